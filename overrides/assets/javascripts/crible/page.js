// Entry point, loaded on every page as a module. Material's instant navigation swaps pages
// without reloading, and document$ emits after each swap: page code starts from there.

import { prewarm } from "./engine.js";
import { mount } from "./form.js";
import { mountNetwork } from "./network.js";

function onPage() {
  for (const root of document.querySelectorAll(".crible[data-engine]")) mount(root);
  for (const root of document.querySelectorAll(".reseau[data-engine]")) mountNetwork(root);
}

// The first page of a visit warms the engine up; the pages that use it start it themselves.
prewarm();

if (window.document$) window.document$.subscribe(onPage);
else onPage();
