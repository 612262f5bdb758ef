// The page's side of the engine: one module worker per page context (it survives Material's
// instant navigation), calls correlated by id, and two limits: one on start-up, because
// Pyodide hangs without an error when a CSP or a wrong MIME type blocks its WebAssembly, and
// one on each call once started, because a worker that dies (crash, out of memory) answers
// nothing and tells nobody.

const DEFAULT_TIMEOUT_MS = 60000;
// The slowest call measured (importing a 2 MB archive in Pyodide) takes about 2.5 s.
const CALL_TIMEOUT_MS = 20000;

export class EngineError extends Error {}

export class Engine {
  #worker;
  #pending = new Map();
  #nextId = 1;
  #failure = null;

  /**
   * @param {{worker: string, index: string, wheel: string, stdlib: string, snapshots?: string}}
   *   urls absolute, and the name of the snapshot file (none: no snapshot, see worker.js)
   */
  constructor(urls, timeoutMs = DEFAULT_TIMEOUT_MS) {
    const url = new URL(urls.worker);
    url.searchParams.set("index", urls.index);
    url.searchParams.set("wheel", urls.wheel);
    url.searchParams.set("stdlib", urls.stdlib);
    if (urls.snapshots) url.searchParams.set("snapshots", urls.snapshots);
    this.#worker = new Worker(url, { type: "module", name: "crible-engine" });
    this.#worker.addEventListener("message", (event) => this.#settle(event.data));
    this.#worker.addEventListener("error", (event) => {
      event.preventDefault();
      this.#fail(`le script du moteur n’a pas pu démarrer (${event.message || "erreur inconnue"})`);
    });
    this.#worker.addEventListener("messageerror", () => this.#fail("message illisible"));
    this.ready = this.#withTimeout(this.call("ready"), timeoutMs).then((json) => JSON.parse(json));
  }

  /** Whether the engine has failed for good (a new one must be started). */
  get failed() {
    return this.#failure !== null;
  }

  /** Call a function of scoring.browser with a JSON string; resolves to its JSON string. */
  call(fn, arg) {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    const answer = new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, fn, arg });
    });
    // "ready" waits for the start-up, which has its own, longer limit.
    if (fn === "ready") return answer;
    return this.#withTimeout(answer, CALL_TIMEOUT_MS, "le moteur ne répond plus");
  }

  /** Call, then parse the {ok, result | errors} envelope that scoring.browser returns. */
  async request(fn, payload) {
    const arg = typeof payload === "string" ? payload : JSON.stringify(payload);
    return JSON.parse(await this.call(fn, arg));
  }

  #settle({ id, result, error }) {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    if (error === undefined) pending.resolve(result);
    else pending.reject(new EngineError(error));
  }

  #fail(reason) {
    if (this.#failure) return;
    this.#failure = new EngineError(reason);
    this.#worker.terminate();
    for (const { reject } of this.#pending.values()) reject(this.#failure);
    this.#pending.clear();
  }

  #withTimeout(promise, ms, reason = null) {
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => {
        this.#fail(reason ?? `le moteur ne s’est pas chargé en ${Math.round(ms / 1000)} secondes`);
        reject(this.#failure);
      }, ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }
}

let shared = null;

/** The element that says where the current page's engine files are (see main.html). */
export function engineElement() {
  return document.querySelector('meta[name="crible-engine"]');
}

/**
 * The file where the engine keeps its start-up snapshot (worker.js), in this origin's private
 * file system: one per site, named after the site's path like the archive's localStorage key
 * ("%2Fcrible%2F.crible.engine" for "/crible/"), because all the GitHub Pages project sites of a
 * user share one origin. It holds the state of the interpreter with `scoring` loaded, never a
 * visitor's answers.
 */
export function snapshotFile() {
  const root = engineElement()?.dataset.siteRoot ?? "./";
  return `${encodeURIComponent(new URL(root, document.baseURI).pathname)}.crible.engine`;
}

/** Delete the engine's snapshot (store.js's eraseAll); the next start makes a new one. */
export async function eraseSnapshot() {
  const directory = await navigator.storage?.getDirectory?.();
  if (!directory) return;
  for (const name of [snapshotFile(), `${snapshotFile()}.partial`]) {
    await directory.removeEntry(name).catch(() => {});
  }
}

/** The page context's engine, started on first use; the same one across instant navigation. */
export function engineFor() {
  if (shared === null || shared.failed) {
    const config = engineElement().dataset;
    const absolute = (relative) => new URL(relative, document.baseURI).href;
    shared = new Engine(
      {
        worker: absolute(config.engineWorker),
        index: absolute(config.engineIndex),
        wheel: absolute(config.engineWheel),
        stdlib: absolute(config.engineStdlib),
        snapshots: snapshotFile(),
      },
      Number(config.engineTimeout) || DEFAULT_TIMEOUT_MS,
    );
    // A failed engine is not kept: the next page that needs one tries again.
    shared.ready.catch(() => {
      shared = null;
    });
  }
  return shared;
}

/**
 * Start the engine in the background on a page that does not need it yet, so that it is
 * ready when the visitor opens the crible. Once per page context, when the browser is idle,
 * and never when the visitor asked to save data or the connection is very slow: a reader who
 * never opens the crible then pays the download once (it stays in the HTTP cache).
 */
export function prewarm() {
  const connection = navigator.connection;
  if (connection?.saveData || /(^|-)2g$/.test(connection?.effectiveType ?? "")) return;
  const start = () => {
    if (engineElement()) engineFor().ready.catch(() => {});
  };
  if ("requestIdleCallback" in window) window.requestIdleCallback(start, { timeout: 3000 });
  else setTimeout(start, 1000);
}