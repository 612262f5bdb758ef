// Runs Python calls in real Pyodide under Node, with our wheel installed as the site installs it.
//
//   node tests/pyodide_runner.mjs --wheel dist/crible_scoring-0.1.0-py3-none-any.whl \
//        --calls calls.json [--out results.json] [--pyodide node_modules/pyodide] \
//        [--stdlib .cache/crible/stdlib/<key>.zip]
//
// calls.json is a list of {"fn": "evaluate", "arg": "<string>"}; tests/pyodide_driver.py runs
// them (the same file runs them in CPython, for comparison). The answer is one JSON document:
//   {"python": sys.version, "pyodide": "314.0.7", "distribution_version": "0.1.0",
//    "timings_ms": {...}, "results": [{"ok": true, "value": "..."}, ...]}
// written to --out when given, else to stdout between two marker lines. Python's own output
// (print, warnings) goes to stderr, so it can never corrupt the answer.
//
// --stdlib loads that standard library zip (loadPyodide's stdLibURL, as the site's worker does)
// instead of the runtime's own python_stdlib.zip.
//
// The wheel is unpacked into site-packages with pyodide.unpackArchive, without micropip: that
// keeps the distribution metadata (importlib.metadata works) and needs no network.

import { readFile, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const here = dirname(fileURLToPath(import.meta.url));
export const MARKER = "----- crible pyodide results -----";

const { values: options } = parseArgs({
  options: {
    wheel: { type: "string" },
    calls: { type: "string" },
    out: { type: "string" },
    pyodide: { type: "string", default: resolve(here, "..", "node_modules", "pyodide") },
    stdlib: { type: "string" },
  },
});
if (!options.wheel || !options.calls) {
  process.stderr.write("usage: pyodide_runner.mjs --wheel <file.whl> --calls <calls.json> [--out <file>]\n");
  process.exit(2);
}

const started = performance.now();
const timings = {};
const lap = (name, since) => {
  timings[name] = Math.round(performance.now() - since);
  return performance.now();
};

const indexURL = resolve(options.pyodide) + "/";
const { loadPyodide } = await import(pathToFileURL(resolve(indexURL, "pyodide.mjs")).href);
const toStderr = (line) => process.stderr.write(line + "\n");
const stdLibURL = options.stdlib ? resolve(options.stdlib) : undefined;
const pyodide = await loadPyodide({ indexURL, stdLibURL, stdout: toStderr, stderr: toStderr });
let mark = lap("load", started);

// Under Node, unpackArchive refuses a Buffer: it wants a plain Uint8Array view.
const wheel = await readFile(options.wheel);
const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
pyodide.unpackArchive(new Uint8Array(wheel.buffer, wheel.byteOffset, wheel.byteLength), "wheel", {
  extractDir: sitePackages,
});
const driverDir = "/tmp/crible-driver";
pyodide.FS.mkdirTree(driverDir);
pyodide.FS.writeFile(`${driverDir}/pyodide_driver.py`, await readFile(resolve(here, "pyodide_driver.py")));
pyodide.runPython(`import sys, importlib; sys.path.insert(0, "${driverDir}"); importlib.invalidate_caches()`);
mark = lap("install", mark);

const driver = pyodide.pyimport("pyodide_driver");
let answer;
try {
  answer = JSON.parse(driver.run(await readFile(options.calls, "utf8")));
} finally {
  driver.destroy();
}
lap("calls", mark);
timings.total = Math.round(performance.now() - started);

const text = JSON.stringify({ ...answer, pyodide: pyodide.version, timings_ms: timings });
if (options.out) {
  await writeFile(options.out, text);
} else {
  process.stdout.write(`${MARKER}\n${text}\n${MARKER}\n`);
}
