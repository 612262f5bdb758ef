// The page's side of the engine: one module worker per page context (it survives Material's
// instant navigation), calls correlated by id, and a timeout, because Pyodide hangs without
// an error when a CSP or a wrong MIME type blocks its WebAssembly.

const DEFAULT_TIMEOUT_MS = 60000;

export class EngineError extends Error {}

export class Engine {
  #worker;
  #pending = new Map();
  #nextId = 1;
  #failure = null;

  /** @param {{worker: string, index: string, wheel: string}} urls absolute URLs */
  constructor(urls, timeoutMs = DEFAULT_TIMEOUT_MS) {
    const url = new URL(urls.worker);
    url.searchParams.set("index", urls.index);
    url.searchParams.set("wheel", urls.wheel);
    this.#worker = new Worker(url, { type: "module", name: "crible-engine" });
    this.#worker.addEventListener("message", (event) => this.#settle(event.data));
    this.#worker.addEventListener("error", (event) => {
      event.preventDefault();
      this.#fail(`le script du moteur n'a pas pu démarrer (${event.message || "erreur inconnue"})`);
    });
    this.#worker.addEventListener("messageerror", () => this.#fail("message illisible"));
    this.ready = this.#withTimeout(this.call("ready"), timeoutMs).then((json) => JSON.parse(json));
  }

  /** Call a function of scoring.browser with a JSON string; resolves to its JSON string. */
  call(fn, arg) {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, fn, arg });
    });
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

  #withTimeout(promise, ms) {
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => {
        this.#fail(`le moteur ne s'est pas chargé en ${Math.round(ms / 1000)} secondes`);
        reject(this.#failure);
      }, ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }
}

let shared = null;

/** The page context's engine, started on first use from the URLs a crible root carries. */
export function engineFor(root) {
  if (shared === null) {
    const absolute = (relative) => new URL(relative, document.baseURI).href;
    const timeout = Number(root.dataset.engineTimeout) || DEFAULT_TIMEOUT_MS;
    shared = new Engine(
      {
        worker: absolute(root.dataset.engineWorker),
        index: absolute(root.dataset.engineIndex),
        wheel: absolute(root.dataset.engineWheel),
      },
      timeout,
    );
    // A failed engine is not kept: the next page that needs one tries again.
    shared.ready.catch(() => {
      shared = null;
    });
  }
  return shared;
}
