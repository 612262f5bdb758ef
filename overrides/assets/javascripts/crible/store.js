// What the visitor chose to keep, in this browser only: one localStorage entry holding the
// archive text that scoring produces (versioned, keyed by ids). Nothing is written before the
// visitor saves. The key is namespaced by the site's base path, because every GitHub Pages
// project site of a user shares one origin (and one localStorage).

import { engineElement, eraseSnapshot } from "./engine.js";

const SUFFIX = ".crible.archive";

const INACCESSIBLE =
  "Le stockage de ce navigateur est inaccessible (navigation privée, réglages des cookies). " +
  "Autorisez ce site à enregistrer des données, puis rechargez la page";

/** A storage failure, said for people (messages.js shows `message`); `detail` is the
 * browser's name for it (English: « Détails » only). */
export class StoreError extends Error {
  constructor(message, detail = "") {
    super(message);
    this.detail = detail;
  }
}

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
    throw new StoreError(INACCESSIBLE, error?.name);
  }
}

export function writeArchive(text) {
  try {
    window.localStorage.setItem(archiveKey(), text);
  } catch (error) {
    if (error?.name === "QuotaExceededError") {
      throw new StoreError(
        "L’espace de stockage de ce navigateur est plein. Exportez vos données, puis " +
          "supprimez des évaluations anciennes",
        error.name,
      );
    }
    throw new StoreError("L’enregistrement dans ce navigateur a échoué. Réessayez", error?.name);
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

/** Erase everything this site keeps here (the visitor asked, and confirmed). */
export function eraseAll() {
  let storages;
  try {
    storages = [window.localStorage, window.sessionStorage];
    for (const storage of storages) {
      for (const key of siteKeys(storage)) storage.removeItem(key);
    }
  } catch (error) {
    throw new StoreError(INACCESSIBLE, error?.name);
  }
  // The engine's start-up snapshot (no answers in it, see engine.js), in the background.
  eraseSnapshot().catch(() => {});
}

// Every change of the archive is a read-modify-write: read the freshest text, let scoring
// transform it, write the result. Two tabs (or a tab and Mon réseau) doing that at the same
// time would each start from the same text and the second write would drop the first one's
// change. So each change runs under one Web Lock shared by every tab of the site (the lock's
// name is the archive key: other sites of the same origin have their own), and re-reads the
// text inside it. Without Web Locks (old browsers), the text itself is the revision: it is
// read again just before writing, and if another tab changed it meanwhile the transform runs
// again on the new text (compare-and-swap), so the other change is kept, never overwritten.
const MAX_ATTEMPTS = 5;

/**
 * Change the stored archive: `transform(current)` gets the freshest stored text ("" when
 * nothing is stored) and resolves to {archive: new text} to write it, or to anything else
 * (e.g. {refused: message}) to write nothing. Resolves to what `transform` returned.
 * Throws StoreError when storage cannot be read or written, or keeps changing under us.
 */
export async function changeArchive(transform) {
  const once = async () => {
    const before = readArchive();
    const outcome = await transform(before);
    if (typeof outcome?.archive !== "string") return { outcome, done: true };
    if (readArchive() !== before) return { outcome, done: false }; // changed elsewhere
    writeArchive(outcome.archive);
    return { outcome, done: true };
  };
  const attempts = async () => {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const { outcome, done } = await once();
      if (done) return outcome;
    }
    throw new StoreError(
      "Les données ont été modifiées dans un autre onglet pendant l’opération. Réessayez",
    );
  };
  if (navigator.locks?.request) {
    return navigator.locks.request(archiveKey(), { mode: "exclusive" }, attempts);
  }
  return attempts();
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

/**
 * The text of a file the visitor chose, which must be UTF-8 (what the site exports): an invalid
 * byte is refused with its position, never turned into "\ufffd" and stored. A byte-order mark
 * is dropped. Throws StoreError.
 */
export async function readTextFile(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new StoreError(
      `ce n’est pas du texte UTF-8 valide (octet invalide à la position ${invalidByte(bytes) + 1}). ` +
        "Enregistrez-le en UTF-8, puis réessayez",
    );
  }
}

/** Where (0-based) the first invalid UTF-8 sequence of `bytes` starts. */
function invalidByte(bytes) {
  const decodes = (end, stream) => {
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, end), { stream });
      return true;
    } catch {
      return false;
    }
  };
  // The longest prefix that decodes, an unfinished sequence at its end being allowed (`stream`:
  // it may wait for more bytes): a binary search, TextDecoder gives no position.
  let low = 0;
  let high = bytes.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (decodes(middle, true)) low = middle;
    else high = middle - 1;
  }
  // The culprit is the first byte of that unfinished sequence (up to 3 bytes), or the next one.
  let at = low;
  while (at > 0 && at > low - 4 && !decodes(at, false)) at -= 1;
  return at;
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
