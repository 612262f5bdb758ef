// Loaded async from <head>: on a page that needs the engine, start it now rather than once the
// whole page is parsed (page.js runs after DOMContentLoaded, hundreds of milliseconds later on
// a phone). Other pages leave it to page.js, which warms it up when the browser is idle.

import { engineElement, engineFor } from "./engine.js";

if (engineElement()?.dataset.start === "now") engineFor().ready.catch(() => {});
