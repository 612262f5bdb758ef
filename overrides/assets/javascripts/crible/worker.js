// The engine: a module worker (Pyodide 314 accepts no other kind) that loads the self-hosted
// runtime once, installs the `scoring` wheel without micropip, and answers calls.
//
// Protocol (the whole boundary, see engine.js): the page posts {id, fn, arg} where fn is
// "ready" or an entry point of scoring/contract.py and arg a JSON string; the worker answers
// {id, result} with the JSON string that Python returned, or {id, error} with a message.
// Errors are returned, never thrown across. Only strings cross: no PyProxy leaves this file.
//
// Start-up from a memory snapshot: once started, the worker copies Python's memory (the
// runtime, the standard library and `scoring` imported, nothing else: the copy is taken after
// "ready" is answered and before any other call reaches Python, so no visitor data can be in
// it) and keeps it in this origin's private file system, in the file the page names
// (`snapshots` parameter; engine.js: one per site path). The next worker restores that copy
// instead of starting Python again. The copy is tied to its key (the runtime, stdlib and wheel
// URLs, which carry their versions and digests) and to its sha256; a missing, stale or damaged
// copy, or any error while restoring it, means a normal start, and a bad copy is deleted.
// Pyodide's snapshot options are private API (`_makeSnapshot`, `_loadSnapshot`,
// `makeMemorySnapshot`, in pyodide.mjs): if they change or go, the normal start remains.
// "ready" says which start was made: {start: {path: "snapshot" | "normal", snapshot: why}}.

// No list of entry points here: every call but "ready" (answered here) goes to
// scoring.browser.call, which knows them (scoring/contract.py, the one list, checked against
// the pages' calls by tests/test_contract.py) and refuses any other name in French.
// The page's settings, in the fragment of this worker's URL (start.js): the query is the
// build's version of this file, the same for every page, hence one download for all of them.
const params = new URLSearchParams(self.location.hash.slice(1));
const indexURL = params.get("index");
const wheelURL = params.get("wheel");
// The site's own standard library: the bytecode of the modules the engine needs (built by
// overrides/hooks/build_stdlib.mjs), not Pyodide's sources-only zip that Python compiles again
// on every visit. Its URL carries its digest, so that each build is a new URL for the cache.
const stdLibURL = params.get("stdlib");
// The file of this site's snapshot (see engine.js); without it, no snapshot is read or made.
const snapshotName = params.get("snapshots");
// Bump when what the worker does before the snapshot changes (the steps of `prepare`).
const SNAPSHOT_FORMAT = 3;
// Everything the snapshot's memory depends on. The runtime's directory names its version (and
// Pyodide itself refuses a snapshot of another build); the stdlib and wheel URLs carry the
// digests of their bytes: a new deployment of any of them is a new key.
const snapshotKey = JSON.stringify([SNAPSHOT_FORMAT, indexURL, stdLibURL, wheelURL]);
// After "ready", the copy waits this long before it is written to disk: the page is busy
// showing its first result then, and the write (about 12 MB) can wait.
const PERSIST_DELAY_MS = 1000;

const quiet = { packages: [], stdout: () => {}, stderr: () => {} };

// Start-up stages, said to the page as {stage} messages (no id) so that it can show where the
// start is: the runtime's files downloading, Python starting (or restored), `scoring` going in.
const STAGES = ["runtime", "python", "scoring"];
function stage(name) {
  self.postMessage({ stage: name, of: STAGES.length, index: STAGES.indexOf(name) + 1 });
}

// What ends the start-up at once instead of leaving it to the page's time limit: Pyodide
// swallows some failures and then waits for ever (a failed WebAssembly download or
// instantiation is only logged, "wasm instantiation failed!"; so is a failed standard
// library). Each of them is reported here, as it happens; the start rejects with the first.
let failStart;
const fatal = new Promise((_, reject) => {
  failStart = (message) => reject(new Error(message));
});
fatal.catch(() => {});

// A download the start cannot do without: a refused, failed or non-OK answer is fatal.
function required(name, download) {
  download.then(
    (response) => {
      if (!response.ok) failStart(`${name} introuvable (HTTP ${response.status})`);
    },
    (error) => failStart(`téléchargement de ${name} impossible (${error?.message ?? error})`),
  );
}

// The page's policy (a Content-Security-Policy header on this worker's script) may forbid
// WebAssembly or eval: the browser says so with this event, before Pyodide logs and waits.
self.addEventListener("securitypolicyviolation", (event) => {
  failStart(`la politique de sécurité bloque le moteur (${event.effectiveDirective}\u00a0: ${event.blockedURI || "wasm-eval"})`);
});

// Pyodide instantiates the WebAssembly itself and only logs a failure: any rejection of
// these two is the start's end (Pyodide has no fallback between them).
for (const name of ["instantiate", "instantiateStreaming"]) {
  const native = WebAssembly[name];
  if (typeof native !== "function") continue;
  WebAssembly[name] = function (...args) {
    const result = native.apply(this, args);
    result.catch((error) => failStart(`le moteur n’a pas pu être compilé (${error?.message ?? error})`));
    return result;
  };
}

// The runtime's downloads start with the worker, not once pyodide.mjs and pyodide.asm.mjs are
// loaded and Pyodide asks for them (150 to 450 ms later; on a repeat visit the answers then
// wait on the service worker). Pyodide has public options for the lock file only
// (`lockFileContents`, `packageBaseUrl`); the WebAssembly and the standard library it fetches
// itself, with `fetch(url, {})`: for those two URLs only, and once each, the worker's `fetch`
// hands over the download already under way. Pyodide compiles the WebAssembly from that very
// response (a copy would miss V8's code cache, measured: 350 ms instead of about 100 on a
// repeat visit). Should Pyodide stop fetching them so, they are downloaded twice, no more.
function startDownloads() {
  const started = new Map(
    [
      ["pyodide.asm.wasm", new URL("pyodide.asm.wasm", indexURL).href],
      ["la bibliothèque standard", new URL(stdLibURL).href],
    ].map(([name, url]) => {
      const download = fetch(url);
      download.catch(() => {}); // Pyodide meets the same error when it takes the download
      required(name, download);
      return [url, download];
    }),
  );
  const nativeFetch = self.fetch;
  self.fetch = function (input, init) {
    const url = input instanceof Request ? null : String(input);
    const download = started.get(url);
    if (download && !init?.integrity) {
      started.delete(url);
      return download;
    }
    return nativeFetch.call(this, input, init);
  };
  const lockDownload = fetch(new URL("pyodide-lock.json", indexURL));
  required("pyodide-lock.json", lockDownload);
  const lock = lockDownload.then((response) => {
    if (!response.ok) throw new Error(`pyodide-lock.json introuvable (HTTP ${response.status})`);
    return response.json();
  });
  lock.catch(() => {});
  return { lockFileContents: lock, packageBaseUrl: indexURL };
}

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function sha256(bytes) {
  return hex(await crypto.subtle.digest("SHA-256", bytes));
}

// The snapshot file, in the origin private file system (OPFS): read raw, it is several times
// faster than the same bytes from IndexedDB (measured: ~300 ms for IndexedDB in Chromium 156).
// Layout: MAGIC, a little-endian u32 header length, the header (JSON: key, size of the
// memory, sha256 of the payload, the bitmap of its non-zero pages), then the payload: the
// memory's non-zero pages in order (about 13 MB of the 31: the rest of the heap is zeros).
const MAGIC = new TextEncoder().encode("crible-snapshot\n");
const PAGE = 4096;

async function snapshotDirectory() {
  return navigator.storage.getDirectory();
}

async function removeSnapshot() {
  try {
    await (await snapshotDirectory()).removeEntry(snapshotName);
  } catch {
    // absent already, or storage unavailable
  }
}

/** The pages of `memory` that hold something: a bitmap, and those pages end to end. */
function encodeSnapshot(memory) {
  const size = memory.byteLength;
  if (size % 4) throw new Error("unexpected snapshot size");
  const words = new Uint32Array(memory.buffer, memory.byteOffset, size / 4);
  const bitmap = new Uint8Array(Math.ceil(Math.ceil(size / PAGE) / 8));
  const kept = [];
  let total = 0;
  for (let page = 0; page * PAGE < size; page += 1) {
    const begin = page * PAGE;
    const end = Math.min(begin + PAGE, size);
    let used = false;
    for (let word = begin / 4; !used && word < end / 4; word += 1) used = words[word] !== 0;
    if (used) {
      bitmap[page >> 3] |= 1 << (page & 7);
      kept.push([begin, end]);
      total += end - begin;
    }
  }
  const payload = new Uint8Array(total);
  let offset = 0;
  for (const [begin, end] of kept) {
    payload.set(memory.subarray(begin, end), offset);
    offset += end - begin;
  }
  return { payload, bitmap, size };
}

function decodeSnapshot(payload, bitmap, size) {
  const memory = new Uint8Array(size);
  let offset = 0;
  for (let page = 0; page * PAGE < size; page += 1) {
    if (!(bitmap[page >> 3] & (1 << (page & 7)))) continue;
    const length = Math.min(PAGE, size - page * PAGE);
    if (offset + length > payload.byteLength) throw new Error("snapshot payload too short");
    memory.set(payload.subarray(offset, offset + length), page * PAGE);
    offset += length;
  }
  if (offset !== payload.byteLength) throw new Error("snapshot payload too long");
  return memory;
}

function base64(bytes) {
  return btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(""));
}

function unbase64(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/**
 * The file's bytes. A dedicated worker may read it synchronously, straight into one buffer:
 * measured, 50 to 100 ms less than through `getFile()` on a repeat visit. The handle locks the
 * file: while another tab writes it, the read fails and this start is a normal one.
 */
async function readSnapshotFile(handle) {
  if (typeof handle.createSyncAccessHandle !== "function") {
    return new Uint8Array(await (await handle.getFile()).arrayBuffer());
  }
  const access = await handle.createSyncAccessHandle();
  try {
    const data = new Uint8Array(access.getSize());
    if (access.read(data, { at: 0 }) !== data.byteLength) throw new Error("short read");
    return data;
  } finally {
    access.close();
  }
}

/** The stored snapshot if it is this build's: {memory, digest check}; else why not. */
async function usableSnapshot(timings) {
  let handle;
  try {
    handle = await (await snapshotDirectory()).getFileHandle(snapshotName);
  } catch (error) {
    if (error?.name === "NotFoundError") return { reason: "absent" };
    throw error;
  }
  const data = await readSnapshotFile(handle);
  timings.snapshotGot = performance.now();
  const fail = async (reason) => {
    await removeSnapshot();
    return { reason };
  };
  const magic = data.subarray(0, MAGIC.length);
  if (data.byteLength < MAGIC.length + 4 || magic.some((b, i) => b !== MAGIC[i])) {
    return fail("damaged");
  }
  const length = new DataView(data.buffer).getUint32(MAGIC.length, true);
  const headerEnd = MAGIC.length + 4 + length;
  let header;
  try {
    header = JSON.parse(new TextDecoder().decode(data.subarray(MAGIC.length + 4, headerEnd)));
  } catch {
    return fail("damaged");
  }
  if (header?.key !== snapshotKey) return fail("stale");
  const payload = data.subarray(headerEnd);
  let memory;
  try {
    memory = decodeSnapshot(payload, unbase64(header.pages), header.size);
  } catch {
    return fail("damaged");
  }
  // Checked while Pyodide restores (crypto works on its own thread): a copy whose bytes changed
  // on disk is never used, even if it happens to restore.
  const intact = sha256(payload).then((digest) => digest === header.sha256);
  return { memory, intact };
}

async function writeSnapshot(memory) {
  const { payload, bitmap, size } = encodeSnapshot(memory);
  const header = new TextEncoder().encode(
    JSON.stringify({ key: snapshotKey, size, sha256: await sha256(payload), pages: base64(bitmap) }),
  );
  const prefix = new Uint8Array(MAGIC.length + 4 + header.byteLength);
  prefix.set(MAGIC);
  new DataView(prefix.buffer).setUint32(MAGIC.length, header.byteLength, true);
  prefix.set(header, MAGIC.length + 4);
  const directory = await snapshotDirectory();
  // Written under another name, then renamed: a reader never sees half a file.
  const partial = await directory.getFileHandle(`${snapshotName}.partial`, { create: true });
  const writable = await partial.createWritable();
  await writable.write(prefix);
  await writable.write(payload);
  await writable.close();
  await partial.move(snapshotName);
}

/** The wheel's bytes, and its files when this worker could read them (see wheelFiles). */
async function fetchWheel() {
  const download = fetch(wheelURL);
  required("la roue scoring", download);
  const response = await download;
  if (!response.ok) throw new Error(`la roue scoring introuvable (HTTP ${response.status})`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const files = await wheelFiles(bytes).catch(() => null);
  return { bytes, files };
}

/**
 * The version in a wheel's file name ({name}-{version}[-{build}]-{python}-{abi}-{platform}.whl):
 * the one the distribution's metadata holds, without importing importlib.metadata (and the
 * email and zipfile packages it pulls in: 60 to 90 ms of a first start).
 */
function wheelVersion(url) {
  const name = decodeURIComponent(new URL(url).pathname.split("/").pop());
  const parts = name.replace(/\.whl$/, "").split("-");
  if (!name.endsWith(".whl") || parts.length < 5) throw new Error(`not a wheel: ${name}`);
  return parts[1];
}

/**
 * The files of a wheel (a zip archive), read here rather than by Pyodide's `unpackArchive`,
 * which runs Python's zipfile and tempfile: 25 to 90 ms of each start, a restored one
 * included (a snapshot keeps Python's memory, not the files). Inflated by the browser
 * (`DecompressionStream`) as soon as the wheel arrives, while the runtime loads; written into
 * Python's file system once it is there. Anything unexpected (another compression, a
 * malformed archive, a path out of site-packages) throws: `unpackArchive` then does it.
 */
async function wheelFiles(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at) => view.getUint16(at, true);
  const u32 = (at) => view.getUint32(at, true);
  // The end of central directory record: the last 22 bytes, as a wheel carries no comment.
  const end = bytes.byteLength - 22;
  if (end < 0 || u32(end) !== 0x06054b50) throw new Error("wheel: no end of central directory");
  const count = u16(end + 10);
  let at = u32(end + 16);
  const names = new TextDecoder("utf-8", { fatal: true });
  const files = [];
  const inflate = async (stored) => {
    const stream = new Blob([stored]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  };
  for (let index = 0; index < count; index += 1) {
    if (u32(at) !== 0x02014b50) throw new Error("wheel: bad central directory");
    const [method, packed, size] = [u16(at + 10), u32(at + 20), u32(at + 24)];
    const [nameLength, extraLength, commentLength] = [u16(at + 28), u16(at + 30), u16(at + 32)];
    const name = names.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    const local = u32(at + 42);
    at += 46 + nameLength + extraLength + commentLength;
    const parts = name.split("/");
    if (name.startsWith("/") || parts.some((part) => part === ".." || part === ".")) {
      throw new Error(`wheel: unsafe path ${name}`);
    }
    if (name.endsWith("/")) continue; // directories come with their files
    if (u32(local) !== 0x04034b50) throw new Error("wheel: bad local header");
    const dataStart = local + 30 + u16(local + 26) + u16(local + 28);
    const stored = bytes.subarray(dataStart, dataStart + packed);
    if (method !== 0 && method !== 8) throw new Error(`wheel: compression ${method} in ${name}`);
    files.push(
      (method === 0 ? Promise.resolve(stored.slice()) : inflate(stored)).then((data) => {
        if (data.byteLength !== size) throw new Error(`wheel: ${name} is ${data.byteLength} bytes`);
        return { name, data };
      }),
    );
  }
  return Promise.all(files);
}

/** Install the wheel and import the entry module: the same steps from a snapshot or not. */
function prepare(pyodide, wheel, timings) {
  stage("scoring");
  // Into site-packages (Pyodide's `unpackArchive` without `extractDir` would write into the
  // working directory, and the distribution's metadata would then be missing). After a
  // restore, the files are written again: the modules are already imported, the files serve
  // what is read later (definitions, modules imported on first use, tracebacks).
  const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
  if (wheel.files) {
    for (const { name, data } of wheel.files) {
      const path = `${sitePackages}/${name}`;
      pyodide.FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
      pyodide.FS.writeFile(path, data);
    }
    pyodide.runPython("import importlib; importlib.invalidate_caches()");
  } else {
    pyodide.unpackArchive(wheel.bytes, "wheel", { extractDir: sitePackages });
  }
  timings.unpacked = performance.now();
  // Said by "ready", for the tests: which way the wheel went in, and what was written.
  const install = wheel.files
    ? {
        via: "worker",
        files: wheel.files.length,
        bytes: wheel.files.reduce((total, { data }) => total + data.byteLength, 0),
      }
    : { via: "unpackArchive" };
  const entry = pyodide.pyimport("scoring.browser");
  // The contract too (browser.call imports it on first use): in the snapshot, not at a call.
  pyodide.runPython("import scoring.contract");
  timings.imported = performance.now();
  const versions = {
    pyodide: pyodide.version,
    python: pyodide.runPython("import sys; sys.version.split()[0]"),
    scoring: wheelVersion(wheelURL),
  };
  return { entry, versions, install };
}

/** The start, or its first fatal failure (see `fatal`), whichever comes first. */
function startEngine() {
  return Promise.race([boot(), fatal]);
}

async function boot() {
  // Where start-up time goes (worker-relative ms; `origin` is the worker's time origin, to
  // place them on the page's clock), and which start was made: returned by "ready" for
  // bench/, the tests and curious visitors' consoles. It costs nothing to measure.
  const timings = { origin: performance.timeOrigin, started: performance.now() };
  if (!indexURL || !wheelURL || !stdLibURL) throw new Error("worker lancé sans ses adresses");
  stage("runtime");
  const runtime = startDownloads();
  const wheel = fetchWheel();
  let wheelError = null;
  wheel.catch((error) => {
    wheelError = error;
  });
  const stored = snapshotName
    ? usableSnapshot(timings).catch((error) => ({ reason: `unreadable (${error?.name ?? error})` }))
    : Promise.resolve({ reason: "off" });
  // Both modules at once: Pyodide would import its 1.2 MB pyodide.asm.mjs only once
  // pyodide.mjs is loaded and configured (createPyodideModule is its documented way in).
  const asm = import(`${indexURL}pyodide.asm.mjs`).then((m) => {
    timings.asm = performance.now();
    return m.default;
  });
  const { loadPyodide } = await import(`${indexURL}pyodide.mjs`);
  timings.runtime = performance.now();
  const createPyodideModule = await asm;
  const snapshot = await stored;
  timings.snapshotRead = performance.now();
  const start = { path: "normal", snapshot: snapshot.reason ?? "loaded" };
  stage("python");
  const options = { indexURL, stdLibURL, ...runtime, ...quiet, createPyodideModule };

  let pyodide = null;
  let prepared = null;
  if (snapshot.memory) {
    try {
      pyodide = await loadPyodide({ ...options, _loadSnapshot: snapshot.memory });
      timings.pyodide = performance.now();
      prepared = prepare(pyodide, await wheel, timings);
      if (!(await snapshot.intact)) throw new Error("damaged");
      start.path = "snapshot";
    } catch (error) {
      if (wheelError) throw wheelError; // not the snapshot's fault: no start without the wheel
      // Whatever went wrong, this copy is not to be used again; a normal start follows. Bytes
      // changed on disk may also break the restore itself: the digest says which it was.
      pyodide = null;
      const intact = await snapshot.intact.catch(() => false);
      const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
      start.snapshot = intact ? `failed (${message})` : "damaged";
      await removeSnapshot();
    }
  }
  // Only a normal start makes a snapshot (and only when the page named a file for it).
  const makeSnapshot = pyodide === null && snapshotName !== null;
  if (pyodide === null) {
    pyodide = await loadPyodide({ ...options, _makeSnapshot: makeSnapshot });
    timings.pyodide = performance.now();
    prepared = prepare(pyodide, await wheel, timings);
  }
  timings.scoring = performance.now();

  const { entry, versions, install } = prepared;
  const ready = JSON.stringify({ ...versions, start, install, timings });
  const call = entry.call;
  const calls = { ready: () => ready, call: (fn, arg) => call(fn, arg) };
  const snap = makeSnapshot ? () => takeSnapshot(pyodide) : null;
  return { calls, snap };
}

/** Copy Python's memory now (synchronous, ~25 ms), and write it to disk a little later. */
function takeSnapshot(pyodide) {
  let memory;
  try {
    if (typeof pyodide.makeMemorySnapshot !== "function") return;
    memory = pyodide.makeMemorySnapshot();
  } catch {
    return; // private API: absent or changed, the engine simply starts normally next time
  }
  setTimeout(() => {
    // No room, storage disabled, a file system without `move`: no snapshot, nothing else
    // changes (a half-written file has another name, and is replaced next time).
    writeSnapshot(memory).catch(() => {});
  }, PERSIST_DELAY_MS);
}

const engine = startEngine();
// An unhandled rejection here would only reach the console; calls report it instead.
engine.catch(() => {});
// Calls that carry the page's data reach Python only once the snapshot (when one is made) is
// taken: "ready" is answered first, then the copy, then the queued calls.
const callable = engine.then(
  ({ calls, snap }) =>
    new Promise((resolve) => {
      setTimeout(() => {
        snap?.();
        resolve(calls);
      }, 0);
    }),
);
callable.catch(() => {});

self.addEventListener("message", async (event) => {
  const { id, fn, arg } = event.data ?? {};
  try {
    if (fn === "ready") {
      self.postMessage({ id, result: (await engine).calls.ready() });
      return;
    }
    if (typeof fn !== "string") throw new Error("fn must be a string");
    if (typeof arg !== "string") throw new Error("arg must be a string");
    self.postMessage({ id, result: (await callable).call(fn, arg) });
  } catch (error) {
    self.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
