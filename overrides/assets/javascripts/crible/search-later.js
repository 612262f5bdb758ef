// Material's search worker, started late on the pages that start the engine at once (the
// questionnaires, Mon réseau): overrides/hooks/search_later.py points Material's `search`
// setting of those pages here, with Material's own worker in the `worker` parameter.
//
// Why: on those pages the first thing the visitor waits for is the engine, and on a phone's
// two cores the search index (built from scratch on every page load) competes with it for the
// processor: traced on a repeat visit, about 220 ms of CPU in the search worker during the
// engine's start. So Material's worker runs once the engine has started or failed (engine.js
// says so on the BroadcastChannel below), or after LIMIT_MS whatever happens. Messages that
// come before are kept, in order, and handed to it then: a search typed meanwhile is answered
// a moment later, nothing is lost. Material's worker loads its language files relative to its
// own location: this file sits at the same depth (assets/javascripts/crible/ next to workers/).

const CHANNEL = "crible-engine-settled";
const LIMIT_MS = 10000;

const held = [];
const hold = (event) => held.push(event.data);
self.addEventListener("message", hold);

const channel = new BroadcastChannel(CHANNEL);
let started = false;

function start() {
  if (started) return;
  started = true;
  channel.close();
  self.removeEventListener("message", hold);
  // Only Material's worker, from this site: the parameter comes from our own build.
  const param = new URL(self.location.href).searchParams.get("worker") ?? "";
  const worker = new URL(param, self.location.href);
  const material = /\/workers\/search\.[\w.]+\.js$/;
  if (worker.origin !== self.location.origin || !material.test(worker.pathname)) {
    throw new Error(`search-later.js: not Material's search worker: ${worker.href}`);
  }
  importScripts(worker.href);
  for (const data of held.splice(0)) self.dispatchEvent(new MessageEvent("message", { data }));
}

channel.addEventListener("message", start);
setTimeout(start, LIMIT_MS);
