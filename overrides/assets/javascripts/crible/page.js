// Entry point, loaded on every page as a module. Material's instant navigation swaps pages
// without reloading, and document$ emits after each swap: page code starts from there.

import { prewarm } from "./engine.js";
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
// site, engine included, for visits without network. Registered once the page has loaded, and
// not for a visitor who saves data (it downloads the runtime, as prewarm does). A failure only
// means no offline copy.
if ("serviceWorker" in navigator && !navigator.connection?.saveData) {
  const scope = sitePath();
  const register = () => navigator.serviceWorker.register(`${scope}sw.js`, { scope });
  window.addEventListener("load", () => register().catch(() => {}), { once: true });
}

if (window.document$) window.document$.subscribe(onPage);
else onPage();
