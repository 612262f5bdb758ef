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
  #stage = null;
  #stageListeners = new Set();

  /**
   * @param {() => {worker: Worker, events?: Event[]}} start starts the worker running worker.js
   *   (or hands over one already started, with what it said before this engine listened, in
   *   order); if it throws, the engine has failed (`ready` rejects with the reason)
   */
  constructor(start, timeoutMs = DEFAULT_TIMEOUT_MS) {
    const on = {
      message: (event) => (event.data?.stage ? this.#staged(event.data) : this.#settle(event.data)),
      error: (event) => {
        event.preventDefault();
        // A script that throws has a message; one that never ran (404, wrong type, refused by
        // the policy) has none: the browser says nothing more to the page.
        this.#fail(
          event.message
            ? `le script du moteur n’a pas pu démarrer (${event.message})`
            : "le script du moteur n’a pas pu être chargé (introuvable, refusé ou illisible)",
        );
      },
      messageerror: () => this.#fail("message illisible"),
      // The page's own policy refusing the worker or a file of the engine (start.js keeps
      // those seen before this engine listened): at once, not at the time limit.
      securitypolicyviolation: (event) => {
        if (blocksEngine(event)) {
          this.#fail(`la politique de sécurité de la page bloque le moteur (${event.effectiveDirective})`);
        }
      },
    };
    const violation = (event) => on.securitypolicyviolation(event);
    document.addEventListener("securitypolicyviolation", violation);
    let earlier = [];
    try {
      const started = start();
      this.#worker = started.worker;
      earlier = started.events ?? [];
      for (const [type, listener] of Object.entries(on)) {
        this.#worker.addEventListener(type, listener);
      }
    } catch (error) {
      const why = error?.message || "erreur inconnue";
      this.#fail(error instanceof EngineError ? why : `le moteur n’a pas pu être lancé (${why})`);
    }
    // In the same task as the listeners above: nothing the worker says can come in between.
    for (const event of earlier) on[event.type]?.(event);
    this.ready = this.#withTimeout(this.call("ready"), timeoutMs).then((json) => JSON.parse(json));
    const stopWatching = () => document.removeEventListener("securitypolicyviolation", violation);
    this.ready.then(stopWatching, stopWatching);
  }

  /**
   * Call `listener({stage, index, of})` with each start-up stage the worker reports (see
   * worker.js: runtime, python, scoring), the latest one at once if there is one.
   */
  onStage(listener) {
    this.#stageListeners.add(listener);
    if (this.#stage) listener(this.#stage);
  }

  #staged(stage) {
    this.#stage = stage;
    for (const listener of this.#stageListeners) listener(stage);
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

  /**
   * Call with one request object (every entry point takes one: scoring/contract.py), then
   * parse the {ok, result | errors} envelope that scoring.browser returns.
   */
  async request(fn, request) {
    return JSON.parse(await this.call(fn, JSON.stringify(request)));
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
    this.#worker?.terminate();
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

/** Whether a CSP violation is about the engine: its worker script or one of its files. */
export function blocksEngine(event) {
  const config = engineElement()?.dataset;
  if (!config || !event.blockedURI) return false;
  const files = [config.engineWorker, config.engineIndex, config.engineWheel, config.engineStdlib];
  return files.some((file) => {
    if (!file) return false;
    const url = new URL(file, document.baseURI);
    return event.blockedURI.startsWith(url.origin + url.pathname);
  });
}

let shared = null;
// Resolved the first time an engine of this page context is ready (see engineRan).
let ran;
const firstReady = new Promise((resolve) => {
  ran = resolve;
});

/** The element that says where the current page's engine files are (see main.html). */
export function engineElement() {
  return document.querySelector('meta[name="crible-engine"]');
}

/** start.js's global (inlined in every page's <head>), which knows how to start the worker. */
function starter() {
  const start = window.cribleStart;
  if (!start) throw new EngineError("le script de lancement du moteur manque à cette page");
  return start;
}

/**
 * The file where the engine keeps its start-up snapshot (worker.js), in this origin's private
 * file system, named by start.js: one per site. It holds the state of the interpreter with
 * `scoring` loaded, never a visitor's answers.
 */
export function snapshotFile() {
  return starter().snapshotFile();
}

/** Delete the engine's snapshot (store.js's eraseAll); the next start makes a new one. */
export async function eraseSnapshot() {
  const directory = await navigator.storage?.getDirectory?.();
  if (!directory) return;
  for (const name of [snapshotFile(), `${snapshotFile()}.partial`]) {
    await directory.removeEntry(name).catch(() => {});
  }
}

/**
 * The page context's engine, started on first use; the same one across instant navigation.
 * The first one takes over the worker that start.js started from <head>, if it did.
 */
export function engineFor() {
  if (shared === null || shared.failed) {
    const timeout = Number(engineElement()?.dataset.engineTimeout) || DEFAULT_TIMEOUT_MS;
    shared = new Engine(() => {
      const start = starter();
      return start.takeEarly() ?? { worker: start.startWorker() };
    }, timeout);
    // A failed engine is not kept: the next page that needs one tries again.
    shared.ready.catch(() => {
      shared = null;
    });
    shared.ready.then(announceSettled, announceSettled);
    shared.ready.then(() => ran(), () => {});
  }
  return shared;
}

/**
 * Resolves (never rejects) the first time an engine started in this page context (by the
 * page, or on the visitor's intent: intent.js) is ready: the engine has run here, its files
 * are in the HTTP cache, and the offline copy can be made from them (page.js).
 */
export function engineRan() {
  return firstReady;
}

/**
 * Tell this site's other contexts that the engine has started or failed: Material's search
 * worker waits for it on the pages that start the engine at once (search-later.js).
 */
function announceSettled() {
  if (!("BroadcastChannel" in window)) return;
  const channel = new BroadcastChannel("crible-engine-settled");
  channel.postMessage("settled");
  channel.close();
}

/** Run `task` when the browser is idle (within 3 s), or in a second where it cannot say. */
export function whenIdle(task) {
  if ("requestIdleCallback" in window) window.requestIdleCallback(task, { timeout: 3000 });
  else setTimeout(task, 1000);
}
