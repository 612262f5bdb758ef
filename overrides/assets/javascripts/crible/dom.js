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

const dateFormat = new Intl.DateTimeFormat("fr-FR", { dateStyle: "long" });
const dateTimeFormat = new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeStyle: "short" });

/** "26 novembre 2026", from an ISO date string. */
export function formatDate(iso) {
  return dateFormat.format(new Date(iso));
}

/** "26 novembre 2026 à 10:05". */
export function formatDateTime(iso) {
  return dateTimeFormat.format(new Date(iso));
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
