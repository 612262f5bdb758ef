// The engine: a module worker (Pyodide 314 accepts no other kind) that loads the self-hosted
// runtime once, installs the `scoring` wheel without micropip, and answers calls.
//
// Protocol (the whole boundary, see engine.js): the page posts {id, fn, arg} where fn is one
// of CALLS and arg a JSON string; the worker answers {id, result} with the JSON string that
// Python returned, or {id, error} with a message. Errors are returned, never thrown across.
// Only strings cross: no PyProxy leaves this file.

// The functions of scoring.browser that pages may call (and "ready", answered here).
const ENTRY_POINTS = [
  "evaluate",
  "describe",
  "validate_archive",
  "network",
  "update",
  "import_preview",
  "import_apply",
  "export_csv",
];
const CALLS = new Set(["ready", ...ENTRY_POINTS]);

const params = new URL(self.location.href).searchParams;
const indexURL = params.get("index");
const wheelURL = params.get("wheel");
// The site's own standard library: the bytecode of the modules the engine needs (built by
// overrides/hooks/build_stdlib.mjs), not Pyodide's sources-only zip that Python compiles again
// on every visit. Its URL carries its digest, so that each build is a new URL for the cache.
const stdLibURL = params.get("stdlib");

async function start() {
  // Where start-up time goes (worker-relative ms), returned by "ready" for bench/ and curious
  // visitors' consoles; it costs nothing to measure.
  const timings = { started: performance.now() };
  if (!indexURL || !wheelURL || !stdLibURL) throw new Error("worker started without its URLs");
  const { loadPyodide } = await import(`${indexURL}pyodide.mjs`);
  timings.imported = performance.now();
  // Pyodide prints its banner and warnings on the console; the page has nothing to show there.
  const pyodide = await loadPyodide({
    indexURL,
    stdLibURL,
    packages: [],
    stdout: () => {},
    stderr: () => {},
  });
  timings.pyodide = performance.now();
  const response = await fetch(wheelURL);
  if (!response.ok) throw new Error(`wheel: HTTP ${response.status}`);
  const wheel = new Uint8Array(await response.arrayBuffer());
  // Without extractDir the wheel lands in the working directory, not site-packages, and the
  // distribution's metadata is then missing.
  const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
  pyodide.unpackArchive(wheel, "wheel", { extractDir: sitePackages });
  const entry = pyodide.pyimport("scoring.browser");
  timings.scoring = performance.now();
  const versions = JSON.stringify({
    pyodide: pyodide.version,
    python: pyodide.runPython("import sys; sys.version.split()[0]"),
    scoring: pyodide.runPython("import importlib.metadata as m; m.version('crible-scoring')"),
    timings,
  });
  const calls = { ready: () => versions };
  for (const name of ENTRY_POINTS) {
    const fn = entry[name];
    calls[name] = (arg) => fn(arg);
  }
  return calls;
}

const engine = start();
// An unhandled rejection here would only reach the console; calls report it instead.
engine.catch(() => {});

self.addEventListener("message", async (event) => {
  const { id, fn, arg } = event.data ?? {};
  try {
    if (!CALLS.has(fn)) throw new Error(`unknown call: ${String(fn)}`);
    if (fn !== "ready" && typeof arg !== "string") throw new Error("arg must be a string");
    const calls = await engine;
    self.postMessage({ id, result: calls[fn](arg) });
  } catch (error) {
    self.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
