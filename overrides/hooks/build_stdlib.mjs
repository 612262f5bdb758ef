// Builds the standard library zip the site ships to Pyodide: only the modules the engine needs,
// as bytecode compiled by Pyodide's own CPython (the magic number the browser checks).
//
//   node overrides/hooks/build_stdlib.mjs --pyodide node_modules/pyodide \
//        --wheel crible_scoring-0.1.0-py3-none-any.whl --out stdlib.zip [--sources] [--report r.json]
//        [--bytecode scoring-pyc.zip]
//
// Run by engine_assets.engine_stdlib (which caches the result); by hand only to experiment.
// Steps: start Pyodide from the stock stdlib and do exactly what worker.js does (install the
// wheel, import scoring.browser, read the versions), let an error cross into JavaScript (the
// worker reports such errors, formatted by Python's traceback machinery), then let
// stdlib_probe.py call every entry point, list the modules, add scoring's static import closure
// and compile them all into --out. The report (JSON) lists the modules and sizes. --bytecode
// also compiles the installed `scoring` package (stdlib_probe.write_package_bytecode): the
// `.pyc` files that engine_assets.build_wheel adds to the wheel the site ships.
//
// The site ships bytecode only. --sources adds each .py next to its .pyc: measured under Node
// (Pyodide 314.0.7, 194 modules, median of 7) it starts no faster (2128 vs 2124 ms of CPU to the
// first evaluate) and weighs 2.82 MB instead of 1.84 MB (Pyodide's own zip: 2.55 MB). Without
// sources, a traceback through a stdlib frame shows no source line; scoring's frames keep theirs
// (its sources come with the wheel), and the entry points never let an exception out anyway.

import { readFile, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const here = dirname(fileURLToPath(import.meta.url));
const { values: options } = parseArgs({
  options: {
    pyodide: { type: "string" },
    wheel: { type: "string" },
    out: { type: "string" },
    sources: { type: "boolean", default: false },
    report: { type: "string" },
    bytecode: { type: "string" },
  },
});
if (!options.pyodide || !options.wheel || !options.out) {
  process.stderr.write(
    "usage: build_stdlib.mjs --pyodide <dir> --wheel <file.whl> --out <file.zip> [--sources] " +
      "[--report <file>] [--bytecode <file.zip>]\n",
  );
  process.exit(2);
}

const started = performance.now();
const indexURL = resolve(options.pyodide) + "/";
const { loadPyodide } = await import(pathToFileURL(resolve(indexURL, "pyodide.mjs")).href);
const toStderr = (line) => process.stderr.write(line + "\n");

// What worker.js does, in the same order, with the same calls.
const pyodide = await loadPyodide({ indexURL, packages: [], stdout: toStderr, stderr: toStderr });
const wheel = await readFile(options.wheel);
const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
pyodide.unpackArchive(new Uint8Array(wheel.buffer, wheel.byteOffset, wheel.byteLength), "wheel", {
  extractDir: sitePackages,
});
const entry = pyodide.pyimport("scoring.browser");
pyodide.runPython("import scoring.contract");
pyodide.runPython("import sys; sys.version.split()[0]");
// Every entry point once through the FFI, as the worker calls them (browser.call, JavaScript
// strings in); the names are the contract's (scoring/contract.py).
const names = pyodide.runPython("import scoring.contract as c; [p.name for p in c.ENTRY_POINTS]");
for (const name of names.toJs()) {
  try {
    entry.call(name, "{}");
  } catch {
    // only the imports matter
  }
}
names.destroy();
// An exception crossing into JavaScript: Pyodide formats it with traceback.
try {
  pyodide.runPython("import json; json.loads('{')");
} catch {
  // expected
}

const probeDir = "/tmp/crible-stdlib-probe";
pyodide.FS.mkdirTree(probeDir);
pyodide.FS.writeFile(`${probeDir}/stdlib_probe.py`, await readFile(resolve(here, "stdlib_probe.py")));
const stdlibZip = pyodide.runPython("import sys; next(p for p in sys.path if p.endswith('.zip'))");
const out = "/tmp/crible-stdlib.zip";
const answer = pyodide.runPython(`
import sys
sys.path.insert(0, ${JSON.stringify(probeDir)})
import stdlib_probe as probe
calls = probe.exercise()
imported = probe.imported_modules(${JSON.stringify(stdlibZip)})
needed = probe.needed_modules(${JSON.stringify(stdlibZip)}, imported)
modules = sorted({name for names in needed.values() for name in names})
written = probe.write_zip(
    ${JSON.stringify(stdlibZip)}, modules, ${JSON.stringify(out)},
    sources=${options.sources ? "True" : "False"},
)
bytecode = {}
if ${options.bytecode ? "True" : "False"}:
    bytecode = probe.write_package_bytecode("/tmp/crible-scoring-pyc.zip")
import json
json.dumps({"calls": calls, **needed, **written, **bytecode})
`);
const report = JSON.parse(answer);
const zip = pyodide.FS.readFile(out);
await writeFile(options.out, zip);
if (options.bytecode) await writeFile(options.bytecode, pyodide.FS.readFile("/tmp/crible-scoring-pyc.zip"));
report.pyodide = pyodide.version;
report.bytes = zip.byteLength;
report.ms = Math.round(performance.now() - started);
if (options.report) {
  await writeFile(options.report, JSON.stringify(report, null, 1));
}
process.stdout.write(
  `${report.modules} modules (${report.imported.length} imported, ${report.static.length} ` +
    `from scoring's imports, ${report.codecs.length} codecs), ${report.bytes} bytes, ` +
    `${report.calls} calls, ${report.ms} ms\n`,
);
