// What the visitor chose to keep, in this browser only: one localStorage entry holding the
// archive text that scoring produces (versioned, keyed by ids). Nothing is written before the
// visitor saves. The key is namespaced by the site's base path, because every GitHub Pages
// project site of a user shares one origin (and one localStorage).

import { engineElement, eraseSnapshot } from "./engine.js";

const SUFFIX = ".crible.archive";

export class StoreError extends Error {}

/** The site's base path ("/crible/"), from the page's engine element (see main.html). */
export function sitePath() {
  const root = engineElement()?.dataset.siteRoot ?? "./";
  return new URL(root, document.baseURI).pathname;
}

export function archiveKey() {
  return sitePath() + SUFFIX;
}

/** The stored archive text, or "" when nothing is stored. Never parses: scoring does. */
export function readArchive() {
  try {
    return window.localStorage.getItem(archiveKey()) ?? "";
  } catch (error) {
    throw new StoreError(`le stockage de ce navigateur est inaccessible (${error.name})`);
  }
}

export function writeArchive(text) {
  try {
    window.localStorage.setItem(archiveKey(), text);
  } catch (error) {
    if (error?.name === "QuotaExceededError") {
      throw new StoreError(
        "l’espace de stockage de ce navigateur est plein. Exportez vos données, puis " +
          "supprimez des évaluations anciennes",
      );
    }
    throw new StoreError(`l’enregistrement a échoué (${error?.name ?? "erreur inconnue"})`);
  }
}

/** Every key this site wrote (ours and Material's preferences), in both storages. */
export function siteKeys(storage = window.localStorage) {
  const prefix = sitePath();
  const keys = [];
  for (let index = 0; index < storage.length; index += 1) {
    const key = storage.key(index);
    if (key !== null && key.startsWith(prefix)) keys.push(key);
  }
  return keys;
}

export function eraseAll() {
  for (const storage of [window.localStorage, window.sessionStorage]) {
    for (const key of siteKeys(storage)) storage.removeItem(key);
  }
  // The engine's start-up snapshot (no answers in it, see engine.js), in the background.
  eraseSnapshot().catch(() => {});
}

/** Call `listener(text)` when another tab changes the archive. Returns an unsubscribe. */
export function onArchiveChange(listener) {
  const key = archiveKey();
  const handler = (event) => {
    if (event.key === key || event.key === null) listener(event.newValue ?? "");
  };
  window.addEventListener("storage", handler);
  return () => window.removeEventListener("storage", handler);
}

/** A random id for a contact ("c-…") or an evaluation ("e-…"). */
export function newId(prefix) {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return prefix + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Offer a text as a file download, built in the browser: no server involved. */
export function download(filename, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
