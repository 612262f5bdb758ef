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
