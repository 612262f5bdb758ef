// The offline copy, from the page's side: the service worker at the site's root (sw.js, see
// sw-template.js) keeps this version of the site, engine included, in the browser.
//
// Kept when the visitor has used the engine (page.js: once it has run, its files are in the
// HTTP cache and the copy costs no second download), or when they ask for it on the privacy
// page (`[data-offline-choice]`, mounted here: what is kept, and a button). A reader who only
// reads gets no copy, and downloads nothing for it.

import { engineElement } from "./engine.js";
import { messageNode } from "./messages.js";
import { sitePath } from "./store.js";

const CACHE_PREFIX = "crible-offline";
const megabytes = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 0 });

function supported() {
  return "serviceWorker" in navigator && window.isSecureContext;
}

/** Register this site's service worker (it installs the copy); resolves to its registration. */
export function keepOffline() {
  const scope = sitePath();
  return navigator.serviceWorker.register(`${scope}sw.js`, { scope });
}

/** What is kept now: "kept", "installing", "none" or "unsupported". */
async function offlineState() {
  if (!supported()) return "unsupported";
  const registration = await navigator.serviceWorker.getRegistration(sitePath());
  if (registration?.installing || registration?.waiting) return "installing";
  if (!registration?.active) return "none";
  const ours = `${CACHE_PREFIX}:${sitePath()}:`;
  const names = await caches.keys();
  return names.some((name) => name.startsWith(ours)) ? "kept" : "none";
}

/** "environ 14 Mo", from the size the build wrote into the meta. */
function size() {
  const bytes = Number(engineElement()?.dataset.offlineSize);
  return bytes > 0 ? `environ ${megabytes.format(bytes / 1e6)}\u00a0Mo` : "quelques mégaoctets";
}

const STATES = {
  unsupported: () =>
    "Ce navigateur ne permet pas de garder le site hors ligne (ou ne le permet pas en navigation privée).",
  none: () =>
    `Aucune copie hors ligne n’est gardée dans ce navigateur pour l’instant. La demander télécharge le site et son moteur de calcul, ${size()}.`,
  installing: () => `Copie hors ligne en cours de téléchargement (${size()})…`,
  kept: () =>
    `Ce navigateur garde une copie hors ligne de cette version du site (${size()})\u00a0: les pages et le crible fonctionnent sans réseau.`,
  // The browser's reason (often English) only in « Détails » (messages.js).
  failed: (why) =>
    messageNode(
      "La copie hors ligne n’a pas pu être téléchargée. Rien n’a changé\u202f; réessayez une fois connecté",
      [],
      [why],
    ),
};

/** The privacy page's choice: says what is kept, and offers to keep the copy. */
export function mountOfflineChoice(root) {
  const status = root.querySelector("[data-offline-status]");
  const button = root.querySelector("[data-offline-keep]");
  if (!status || !button) return;
  const show = (state, why) => {
    root.dataset.offline = state;
    status.replaceChildren(STATES[state](why));
    button.hidden = state !== "none" && state !== "failed";
  };
  const refresh = () => offlineState().then(show, () => show("unsupported"));
  button.textContent = `Garder le site disponible hors ligne (${size()})`;
  button.addEventListener("click", async () => {
    show("installing");
    try {
      const registration = await keepOffline();
      const worker = registration.installing ?? registration.waiting;
      if (worker) await installed(worker);
      await navigator.serviceWorker.ready;
      refresh();
    } catch (error) {
      show("failed", error);
    }
  });
  refresh();
}

/** Resolves once `worker` has installed; rejects if its install failed. */
function installed(worker) {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (worker.state === "redundant") reject(new Error("le téléchargement a été interrompu"));
      else if (worker.state !== "installing") resolve();
    };
    worker.addEventListener("statechange", check);
    check();
  });
}
