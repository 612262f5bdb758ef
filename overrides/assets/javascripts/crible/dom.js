// Small DOM helpers shared by the crible's pages. `el` sets text with text nodes and
// attributes with setAttribute: no HTML string is ever parsed, so user text stays text.

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) {
    if (child === null || child === undefined || child === "") continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

const scoreFormat = new Intl.NumberFormat("fr-FR", { signDisplay: "exceptZero" });
const percentFormat = new Intl.NumberFormat("fr-FR", { style: "percent", maximumFractionDigits: 0 });

/** "+6", "−4", "0": the French way, with a true minus sign. */
export function formatScore(value) {
  return scoreFormat.format(value).replace("-", "−");
}

/** "85 %", with the narrow no-break space French uses. */
export function formatPercent(ratio) {
  return percentFormat.format(ratio);
}

/** « text », with the narrow no-break spaces French puts inside guillemets. */
export function quoted(text) {
  return `«\u202f${text}\u202f»`;
}

// A label is a name the visitor typed: right-to-left letters or a bidi control in it (U+202E…)
// must not reorder the text around it, or a label could pass for another. So every label is
// shown isolated: in a <bdi> element where the page builds nodes, between U+2068 FIRST STRONG
// ISOLATE and U+2069 POP DIRECTIONAL ISOLATE where only a string goes (an attribute, a dialog,
// SVG text).

/** A label as a node: <bdi>label</bdi>. */
export function named(label) {
  return el("bdi", {}, label);
}

/** A label in a plain string. */
export function isolated(label) {
  return `\u2068${label}\u2069`;
}

/** « label », isolated, as nodes to put in running text. */
export function quotedName(label) {
  const fragment = document.createDocumentFragment();
  fragment.append("«\u202f", named(label), "\u202f»");
  return fragment;
}

/** The sentence for one or for `count` (French: 1 is singular, 0 and 2+ plural). */
export function plural(count, one, many) {
  return count === 1 ? one : many;
}

const dateFormat = new Intl.DateTimeFormat("fr-FR", { dateStyle: "long" });
const dateTimeFormat = new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeStyle: "short" });

/** `date` written by `format`, the first of the month as French writes it: « 1er juin »
 * (Intl writes « 1 juin »; scoring's french_date says « 1er » too). */
export function frenchDate(date, format = dateFormat) {
  return format
    .formatToParts(date)
    .map((part) => (part.type === "day" && Number(part.value) === 1 ? "1er" : part.value))
    .join("");
}

/** "26 novembre 2026", "1er décembre 2026", from an ISO date string. */
export function formatDate(iso) {
  return frenchDate(new Date(iso));
}

/** "26 novembre 2026 à 10:05". */
export function formatDateTime(iso) {
  return frenchDate(new Date(iso), dateTimeFormat);
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** Like `el`, for SVG elements: text children become text nodes. */
export function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  for (const child of children) {
    if (child === null || child === undefined || child === "") continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}
