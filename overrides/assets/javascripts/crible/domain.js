// What the pages know of the domain, from the build: the `crible-domain` JSON island that
// main.html writes in the <head> of the pages that use the engine (crible_hooks.domain). The
// subjects (what a questionnaire is about, and the words for it), each questionnaire's subject
// and page, the parts of Mon réseau, the limits: no questionnaire id, subject id or domain
// constant is written in the JS, so that a new questionnaire or subject is data only.

let cached = { text: null, value: null };

/**
 * The island of the current page, parsed. Read at each call: Material's instant navigation
 * swaps the <head>, and the next page's island (its URLs are relative to it) with it.
 */
export function domain() {
  const text = document.getElementById("crible-domain")?.textContent ?? "";
  if (text !== cached.text) cached = { text, value: parse(text) };
  return cached.value;
}

function parse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return { subjects: [], questionnaires: {}, pages: {}, roles: {}, map: {}, recent_rules: [] };
  }
}

/** The subject with this id; an unknown one (or none, a version 1 entry) is the people's. */
export function subject(id) {
  const { subjects, roles } = domain();
  return subjects.find((s) => s.id === id) ?? subjects.find((s) => s.id === roles.people) ?? subjects[0];
}

/** The subject that plays a part of Mon réseau: "people", "groups" or "self" (may be none). */
export function subjectFor(role) {
  const id = domain().roles[role];
  return domain().subjects.find((s) => s.id === id) ?? null;
}

/** The kind of a summary's entry (a version 1 summary has none: every entry is a person). */
export function kindOf(entry) {
  return entry.kind ?? domain().roles.people;
}

/** The URL of a questionnaire's page, re-evaluating entry `id` when given; null if none. */
export function pageOf(questionnaire, id = null) {
  const page = domain().pages[questionnaire];
  if (!page) return null;
  return id ? `${page}?${domain().entry_query}=${encodeURIComponent(id)}` : page;
}

/** The page where an entry of this kind is evaluated (its subject's questionnaire). */
export function mainPage(kind, id = null) {
  return pageOf(subject(kind).questionnaire, id);
}

/** The entry being re-evaluated, from the page's query (?contact=<id>), or null. */
export function wantedEntry() {
  return new URLSearchParams(window.location.search).get(domain().entry_query);
}

/** « 3 contacts », « 1 groupe », « votre propre apport »: how many entries of a subject. */
export function counted(s, n) {
  return (n === 1 || !s.many ? s.one : s.many).replace("{n}", String(n));
}

/** « règles 4 et 5 », « règle 4 »: the rules a provisional verdict points to. */
export function rulesWords(numbers) {
  if (numbers.length === 0) return "";
  const last = numbers.at(-1);
  const words = numbers.length > 1 ? `${numbers.slice(0, -1).join(", ")} et ${last}` : String(last);
  return `règle${numbers.length > 1 ? "s" : ""} ${words}`;
}
