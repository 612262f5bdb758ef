// Entry point, loaded on every page as a module. Material's instant navigation swaps pages
// without reloading, and document$ emits after each swap: page code starts from there.
//
// A guide page runs nothing of the engine: the questionnaire and Mon réseau modules are
// imported only by the pages that have one (or on the visitor's intent, intent.js, so that
// they are there when the page arrives), and the engine starts on intent only.

import { engineRan, whenIdle } from "./engine.js";
import { watchIntent } from "./intent.js";
import { keepOffline, mountOfflineChoice } from "./offline.js";

const form = () => import("./form.js");
const network = () => import("./network.js");

function onPage() {
  const forms = document.querySelectorAll(".crible[data-engine]");
  if (forms.length) form().then(({ mount }) => forms.forEach(mount));
  const networks = document.querySelectorAll(".reseau[data-engine]");
  if (networks.length) network().then(({ mountNetwork }) => networks.forEach(mountNetwork));
  for (const root of document.querySelectorAll("[data-offline-choice]")) mountOfflineChoice(root);
}

watchIntent(() => {
  form().catch(() => {});
  network().catch(() => {});
});

// Offline: once the engine has run in this page context (on a questionnaire, Mon réseau, or
// after the visitor's intent), the offline copy is kept (offline.js): the engine's files are
// in the HTTP cache by then, and the service worker fills its cache from there, without a
// second download. Late: its install hashes about 14 MB and fetches the pages not seen yet,
// which would compete with the engine's start (two cores on a phone); so once the page has
// loaded and the engine is ready, when the browser is idle. Not for a visitor who saves data
// (the pages it would fetch): they can still ask for it on the privacy page. A failure only
// means no offline copy.
if ("serviceWorker" in navigator && !navigator.connection?.saveData) {
  const registerLater = () => engineRan().then(() => whenIdle(() => keepOffline().catch(() => {})));
  window.addEventListener("load", registerLater, { once: true });
}

if (window.document$) window.document$.subscribe(onPage);
else onPage();
