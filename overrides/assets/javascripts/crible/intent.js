// The engine on intent. Most visitors read a page or two and never open a questionnaire: on a
// guide page nothing of the engine is fetched or run (its 13 MB, its CPU) until the visitor
// shows they are heading for a page that uses it. The pages that do (the questionnaires, Mon
// réseau) start it themselves, from <head> (start.js).
//
// Intent, on a link to one of those pages (their list comes from the build: the meta's
// `data-engine-pages`, relative URLs, so any link does, in the text, the navigation, the
// footer or the search results):
// - the pointer resting on it for HOVER_MS (a pointer sweeping across the navigation crosses
//   a link in a few tens of milliseconds, and does not count); the engine's cold start takes
//   about a second, and a visitor's hover before a click lasts some hundreds of milliseconds:
//   what is started here is that much earlier. 100 ms, not less: a slow sweep would start
//   a 6 MB download for a reader who is not going there (50 ms was measured: 50 ms of head
//   start changes nothing to the arrival, bench/README.md);
// - the keyboard's focus resting on it as long (tabbing past does not count);
// - a touch or a press on it (the click follows at once).
// The engine then starts in this page context, and Material's instant navigation keeps it for
// the next page. Never when the visitor asked to save data, or on a very slow connection: the
// questionnaire starts its engine when it is opened, as it must.

// Not imported here: engine.js (on intent only, so that a guide page loads and runs nothing
// of it). The meta comes from start.js's global, inlined in every page.

const HOVER_MS = 100;

const engineElement = () => window.cribleStart?.meta() ?? null;

function savingData() {
  const connection = navigator.connection;
  return Boolean(connection?.saveData) || /(^|-)2g$/.test(connection?.effectiveType ?? "");
}

/** The URL a link leads to, as compared with the engine's pages: no query, no fragment. */
function target(url) {
  const parsed = new URL(url, document.baseURI);
  return `${parsed.origin}${parsed.pathname.replace(/index\.html$/, "")}`;
}

/** The current page's list of engine pages (instant navigation replaces the meta). */
function enginePages() {
  const listed = engineElement()?.dataset.enginePages ?? "";
  return new Set(listed.split(/\s+/).filter(Boolean).map(target));
}

/** The link under `node` that leads to an engine page, or null. */
function engineLink(node) {
  const link = node instanceof Element ? node.closest("a[href]") : null;
  if (!link || !link.href.startsWith(location.origin)) return null;
  return enginePages().has(target(link.href)) ? link : null;
}

/**
 * Watch the document for intent, once per page context. `onIntent` runs once, the first time;
 * the engine is started here.
 */
export function watchIntent(onIntent = () => {}) {
  if (savingData()) return;
  let timer = null;
  let pending = null;
  let done = false;
  const start = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    for (const [type, listener] of listeners) document.removeEventListener(type, listener, true);
    if (!engineElement()) return;
    // The worker at once, from start.js's global (inlined in the page): engine.js, which takes
    // it over, is a module still to be fetched and run, tens of milliseconds later on a busy
    // phone. Failures are the page's to show, when it needs one.
    window.cribleStart.startEarly();
    import("./engine.js")
      .then(({ engineFor }) => engineFor().ready)
      .catch(() => {});
    onIntent();
  };
  const later = (link) => {
    if (pending === link) return;
    clearTimeout(timer);
    pending = link;
    timer = setTimeout(start, HOVER_MS);
  };
  const cancel = (event) => {
    if (!pending || pending.contains(event.relatedTarget)) return; // still on the link
    clearTimeout(timer);
    pending = null;
  };
  const resting = (event) => {
    const link = engineLink(event.target);
    if (link) later(link);
  };
  const pressed = (event) => {
    if (engineLink(event.target)) start();
  };
  const listeners = [
    ["mouseover", resting],
    ["mouseout", cancel],
    ["focusin", resting],
    ["focusout", cancel],
    ["pointerdown", pressed],
    ["touchstart", pressed],
  ];
  for (const [type, listener] of listeners) {
    document.addEventListener(type, listener, { capture: true, passive: true });
  }
}
