// Entry point, loaded on every page as a module. Material's instant navigation swaps pages
// without reloading, and document$ emits after each swap: page code starts from there.
//
// A guide page runs nothing of the engine, and loads nothing of it either: this module and
// intent.js are all it gets. The questionnaire and Mon réseau modules (and the engine's, with
// them) are imported only by the pages that have one, or on the visitor's intent (intent.js,
// so that they are there when the page arrives); the offline copy's module only where it is
// offered or once the engine has run.

import { watchIntent } from "./intent.js";

const form = () => import("./form.js");
const network = () => import("./network.js");
const offline = () => import("./offline.js");

// Offline: once the engine has run in this page context (on a questionnaire, Mon réseau, or
// after the visitor's intent), the offline copy is kept (offline.js): the engine's files are
// in the HTTP cache by then, and the service worker fills its cache from there, without a
// second download. Late: its install hashes about 14 MB and fetches the pages not seen yet,
// which would compete with the engine's start (two cores on a phone); so once the page has
// loaded and the engine is ready, when the browser is idle. Not for a visitor who saves data
// (the pages it would fetch): they can still ask for it on the privacy page. A failure only
// means no offline copy.
let copyAwaited = false;

function keepCopyOnceRan() {
  if (copyAwaited || !("serviceWorker" in navigator) || navigator.connection?.saveData) return;
  copyAwaited = true;
  const loaded = new Promise((resolve) => {
    if (document.readyState === "complete") resolve();
    else window.addEventListener("load", resolve, { once: true });
  });
  Promise.all([import("./engine.js"), loaded])
    .then(([{ engineRan, whenIdle }]) => engineRan().then(() => whenIdle(keepCopy)))
    .catch(() => {});
}

function keepCopy() {
  offline()
    .then(({ keepOffline }) => keepOffline())
    .catch(() => {});
}

function onPage() {
  const forms = document.querySelectorAll(".crible[data-engine]");
  if (forms.length) form().then(({ mount }) => forms.forEach(mount));
  const networks = document.querySelectorAll(".reseau[data-engine]");
  if (networks.length) network().then(({ mountNetwork }) => networks.forEach(mountNetwork));
  if (forms.length || networks.length) keepCopyOnceRan();
  const choices = document.querySelectorAll("[data-offline-choice]");
  if (choices.length) offline().then(({ mountOfflineChoice }) => choices.forEach(mountOfflineChoice));
}

// On intent, the questionnaire's module at once (most links with intent lead to one); Mon
// réseau's, six modules more, only once the engine is ready and the browser idle: fetched and
// run meanwhile, they would compete with the engine's start and the next page's arrival.
watchIntent(() => {
  form().catch(() => {});
  import("./engine.js")
    .then(({ engineRan, whenIdle }) => engineRan().then(() => whenIdle(() => network().catch(() => {}))))
    .catch(() => {});
  keepCopyOnceRan();
});

if (window.document$) window.document$.subscribe(onPage);
else onPage();
