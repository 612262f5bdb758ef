// Entry point, loaded on every page as a module. Material's instant navigation swaps pages
// without reloading, and document$ emits after each swap: page code starts from there.

import { mount } from "./form.js";

function onPage() {
  for (const root of document.querySelectorAll(".crible[data-engine]")) mount(root);
}

if (window.document$) window.document$.subscribe(onPage);
else onPage();
