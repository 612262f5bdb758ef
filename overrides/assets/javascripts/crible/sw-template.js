// The service worker: this version of the site, kept in the browser for visits without network.
// Not served from here: the build (overrides/hooks/offline.py) writes it at the site's root as
// sw.js, with the manifest in place of the marker below, so that its scope is the whole site
// and every deployment that changes a byte is a new worker, hence a new cache.
//
// - install: every file of the manifest goes into a new cache, all or nothing. A file whose
//   digest has not changed is copied from our previous cache (the 12 MB runtime is not
//   downloaded again for a new page). A versioned file (its URL names its content) is taken
//   from the HTTP cache as it is (`force-cache`): the engine that has just run downloaded it,
//   and the copy must not download it a second time; only a file the HTTP cache lacks is
//   fetched. The others are fetched with `no-cache` (a revalidation: the HTTP cache answers
//   when the server says nothing changed). Versioned files must match their digest (a
//   mismatch is fetched once more, bypassing the HTTP cache): a server still serving the
//   previous deployment makes the install fail, and the previous worker stays in charge.
// - activate: every other cache of this site is deleted, then this worker takes the pages.
// - fetch (same origin, GET, inside the scope, listed in the manifest; nothing else is
//   touched): a versioned URL (`?v=` digest, runtime version directory, Material's hashed
//   bundles) comes from the cache first; a page or an unversioned file comes from the network
//   first, and from the cache when the network fails. Online, the visitor sees a new
//   deployment at once; offline, one consistent version of the site.

const MANIFEST = /* crible-offline-manifest */ null;

const SCOPE = self.registration.scope;
// One origin holds the caches of every GitHub Pages project site of a user: ours carry the
// scope's path, and only ours are ever deleted.
const PREFIX = `${MANIFEST.prefix}:${new URL(SCOPE).pathname}:`;
const CACHE = PREFIX + MANIFEST.version;
const DIGEST = "x-crible-sha256";

const ENTRIES = new Map(
  MANIFEST.entries.map((entry) => [new URL(entry.url, SCOPE).href, entry]),
);

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A copy from one of our caches, if one holds this URL with the same digest. */
async function reuse(ours, url, entry) {
  for (const cache of ours) {
    const hit = await cache.match(url);
    if (hit?.headers.get(DIGEST) === entry.sha256) return hit;
  }
  return null;
}

async function fetchBody(url, cache) {
  const response = await fetch(url, { cache, credentials: "same-origin" });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return { response, body: await response.arrayBuffer() };
}

async function download(url, entry) {
  const matches = async ({ body }) =>
    !entry.versioned || hex(await crypto.subtle.digest("SHA-256", body)) === entry.sha256;
  let fetched = await fetchBody(url, entry.versioned ? "force-cache" : "no-cache");
  if (!(await matches(fetched))) {
    // A revalidation can be answered "not modified" wrongly (a server comparing modification
    // times to the second, a cache in between): once more, bypassing the HTTP cache.
    fetched = await fetchBody(url, "reload");
    if (!(await matches(fetched))) throw new Error(`${url}: not the file of this version`);
  }
  const { response, body } = fetched;
  // The body is stored decoded: only the type travels (module scripts and the streaming
  // compilation of the wasm check it), with the digest that the next install compares.
  const headers = { [DIGEST]: entry.sha256 };
  const type = response.headers.get("content-type");
  if (type) headers["content-type"] = type;
  return new Response(body, { status: 200, headers });
}

/** A URLPattern input matching exactly this URL's path and query (no pattern syntax left). */
function exactly(url) {
  const literal = (text) => text.replace(/[\\:*?+(){}]/g, "\\$&");
  return { pathname: literal(url.pathname), search: literal(url.search.slice(1)) };
}

/**
 * Versioned files straight from this version's cache, without waking this worker up: the
 * browser's static routing (`addRoutes`, Chromium only). Less work on the way to the engine's
 * start (its gain alone was below the bench's noise). Where static routing is missing or
 * refuses the routes, the fetch handler below does the same.
 */
async function addRoutes(event) {
  const routes = [];
  for (const [url, entry] of ENTRIES) {
    if (!entry.versioned) continue;
    routes.push({ condition: { urlPattern: exactly(new URL(url)) }, source: { cacheName: CACHE } });
  }
  try {
    await event.addRoutes?.(routes);
  } catch {
    // the fetch handler serves them
  }
}

self.addEventListener("install", (event) => {
  const routing = addRoutes(event);
  event.waitUntil(routing);
  event.waitUntil(
    (async () => {
      const names = (await caches.keys()).filter((name) => name.startsWith(PREFIX));
      const ours = await Promise.all(names.map((name) => caches.open(name)));
      const responses = await Promise.all(
        Array.from(ENTRIES, async ([url, entry]) => [
          url,
          (await reuse(ours, url, entry)) ?? (await download(url, entry)),
        ]),
      );
      const cache = await caches.open(CACHE);
      await Promise.all(responses.map(([url, response]) => cache.put(url, response)));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

/** The manifest's URL for an unversioned request: no query, `index.html` as its directory. */
function pageKey(url) {
  const key = new URL(url.pathname, url);
  if (key.pathname.endsWith("/index.html")) key.pathname = key.pathname.slice(0, -10);
  return key.href;
}

async function cacheFirst(request) {
  const hit = await (await caches.open(CACHE)).match(request.url);
  return hit ?? fetch(request);
}

async function networkFirst(request, key) {
  try {
    return await fetch(request);
  } catch (error) {
    const hit = await (await caches.open(CACHE)).match(key);
    if (hit) return hit;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET" || request.headers.has("range")) return;
  const url = new URL(request.url);
  url.hash = ""; // the engine worker's settings (start.js): the manifest has its bare URL
  if (url.origin !== self.location.origin || !url.href.startsWith(SCOPE)) return;
  if (ENTRIES.get(url.href)?.versioned) {
    event.respondWith(cacheFirst(request));
    return;
  }
  const key = pageKey(url);
  const entry = ENTRIES.get(key);
  if (entry && !entry.versioned) event.respondWith(networkFirst(request, key));
});
