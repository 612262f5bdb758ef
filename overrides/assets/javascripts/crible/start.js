// The engine's worker, started from <head>. A classic script that overrides/main.html inlines
// into every page, right after the `crible-engine` meta (so that no file has to arrive first)
// and before the stylesheets (which would hold it back): on a page whose meta says
// data-start="now", the worker is created while the rest of the page is still being parsed,
// a few hundred milliseconds before any module (engine.js) runs on a busy phone. Elsewhere
// (data-start="intent") nothing starts here: intent.js starts the engine if the visitor heads
// for a page that uses it.
//
// The one place that knows how the worker's URL is made (engine.js uses it through this
// global, and so does everything else):
//   window.cribleStart.workerURL(meta?)    the worker's URL: worker.js with the runtime's
//                                          index, the wheel, the stdlib and the snapshot file
//                                          in its fragment, all absolute (see worker.js)
//   window.cribleStart.snapshotFile(meta?) the name of this site's snapshot file
//   window.cribleStart.startWorker(meta?)  a new engine worker
//   window.cribleStart.startEarly()        start that worker now, if this page context has
//                                          started none yet (intent.js, on the visitor's
//                                          intent: without waiting for engine.js to arrive)
//   window.cribleStart.takeEarly()         the worker started here, once: {worker, events},
//                                          `events` being what it said before anyone listened,
//                                          in order; null if none (or already taken)
//   window.cribleStart.meta()              the page's current meta (null if none): where a
//                                          module that does not load engine.js reads it
// `meta` defaults to the page's current `meta[name="crible-engine"]`, looked up at each call:
// Material's instant navigation replaces it with the next page's.
// Inlined without its comment lines (crible_hooks.inline_script): a comment stays on a line of
// its own.

(() => {
  const current = () => document.querySelector('meta[name="crible-engine"]');
  const absolute = (relative) => new URL(relative, document.baseURI).href;

  // One file per site, named after the site's path like the archive's localStorage key
  // ("%2Fcrible%2F.crible.engine" for "/crible/"): all the GitHub Pages project sites of a
  // user share one origin, hence one private file system.
  function snapshotFile(meta = current()) {
    const root = meta?.dataset.siteRoot ?? "./";
    return `${encodeURIComponent(new URL(root, document.baseURI).pathname)}.crible.engine`;
  }

  // The settings go in the fragment, not the query: the HTTP cache, the server and the
  // offline copy see worker.js under the one URL the build versioned (`?v=<digest>`), so that
  // its download is shared by every page and by the copy, which takes it from the HTTP cache.
  function workerURL(meta = current()) {
    const config = meta.dataset;
    const url = new URL(config.engineWorker, document.baseURI);
    url.hash = new URLSearchParams({
      index: absolute(config.engineIndex),
      wheel: absolute(config.engineWheel),
      stdlib: absolute(config.engineStdlib),
      snapshots: snapshotFile(meta),
    }).toString();
    return url;
  }

  let early = null;
  // Whether this page context has started a worker (from <head>, on intent, or engine.js's):
  // startEarly never adds a second one, which nobody would take.
  let begun = false;

  function startWorker(meta = current()) {
    begun = true;
    return new Worker(workerURL(meta), { type: "module", name: "crible-engine" });
  }

  function takeEarly() {
    const taken = early;
    early = null;
    return taken?.release() ?? null;
  }

  // Until engine.js takes the worker over, its events are kept, in order: a message nobody
  // listens to is lost, and an error (its script blocked or broken) must still end the wait.
  function startEarly(meta = current()) {
    if (begun || !meta) return;
    begun = true;
    try {
      const worker = startWorker(meta);
      const events = [];
      const keep = (event) => {
        if (event.type === "error") event.preventDefault(); // as engine.js: reported, not logged
        events.push(event);
      };
      const types = ["message", "error", "messageerror"];
      for (const type of types) worker.addEventListener(type, keep);
      // The page's policy refusing the worker says so on the document, not on the worker.
      document.addEventListener("securitypolicyviolation", keep);
      const release = () => {
        for (const type of types) worker.removeEventListener(type, keep);
        document.removeEventListener("securitypolicyviolation", keep);
        return { worker, events };
      };
      early = { release };
    } catch {
      early = null; // no early worker: engine.js starts one when the page asks for it
    }
  }

  window.cribleStart = Object.freeze({
    workerURL,
    snapshotFile,
    startWorker,
    startEarly,
    takeEarly,
    meta: current,
  });

  const meta = current();
  if (meta?.dataset.start === "now") startEarly(meta);
})();
