// Entry point, loaded on every page as a module. Material's instant navigation swaps pages
// without reloading, and document$ emits after each swap: page code starts from there.

import { engineSettled, prewarm, whenIdle } from "./engine.js";
import { mount } from "./form.js";
import { mountNetwork } from "./network.js";
import { sitePath } from "./store.js";

function onPage() {
  for (const root of document.querySelectorAll(".crible[data-engine]")) mount(root);
  for (const root of document.querySelectorAll(".reseau[data-engine]")) mountNetwork(root);
}

// The first page of a visit warms the engine up; the pages that use it start it themselves.
prewarm();

// Offline: the service worker at the site's root (see sw-template.js) keeps this version of the
// site, engine included, for visits without network. Not for a visitor who saves data (it
// downloads the runtime, as prewarm does). Registered late: its install downloads and hashes
// about 14 MB, which on a first visit competes with the engine's start (two cores on a phone).
// So once the page has loaded, then once the engine started here (by start.js, the page or
// prewarm) is ready or has failed, then when the browser is idle. A failure only means no
// offline copy.
if ("serviceWorker" in navigator && !navigator.connection?.saveData) {
  const scope = sitePath();
  const register = () => navigator.serviceWorker.register(`${scope}sw.js`, { scope });
  const registerLater = () =>
    engineSettled().then(() => whenIdle(() => register().catch(() => {})));
  window.addEventListener("load", registerLater, { once: true });
}

if (window.document$) window.document$.subscribe(onPage);
else onPage();
