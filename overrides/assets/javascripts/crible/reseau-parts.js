// Pieces that every part of "Mon réseau" reads: the view of the summary, links to the
// questionnaires' pages and to the rules, hours, trends, and the verdict bars. Text nodes only.

import { el, svg } from "./dom.js";

// --- What every part of the overview reads -----------------------------------------------------

const parseData = (text) => {
  try {
    return JSON.parse(text || "null");
  } catch {
    return null;
  }
};

/**
 * The summary split by kind (a version 1 summary has no kinds: every entry is a contact), with
 * what the page itself knows: the questionnaires' pages, the rules' titles, the advice of the
 * verdicts of a contact, of a group and of the self-assessment.
 */
export function viewOf(root, summary) {
  const kindOf = (entry) => entry.kind ?? "contact";
  const pages = parseData(root.dataset.pages) ?? {};
  pages.contact ??= root.dataset.cribleUrl;
  return {
    summary,
    map: summary.map ?? null,
    contacts: summary.contacts.filter((c) => kindOf(c) === "contact"),
    groups: summary.contacts.filter((c) => kindOf(c) === "groupe"),
    self: summary.contacts.find((c) => kindOf(c) === "soi") ?? null,
    pages,
    rulesURL: root.dataset.rulesUrl,
    ruleTitles: parseData(root.dataset.ruleTitles) ?? {},
    contactDefinition: parseData(root.dataset.contactDefinition),
    groupDefinition: parseData(root.dataset.groupDefinition),
    selfDefinition: parseData(root.dataset.selfDefinition),
  };
}

/** The questionnaires of the two sides of a contact (the map's, or the site's defaults). */
export function sides(view) {
  return {
    receive: view.map?.receive.questionnaire ?? "contact",
    give: view.map?.give.questionnaire ?? "donne",
  };
}

/** The URL of a questionnaire's page, re-evaluating entry `id` when given; null if none. */
export function pageURL(view, questionnaire, id = null) {
  const page = view.pages[questionnaire];
  if (!page) return null;
  return id ? `${page}?contact=${encodeURIComponent(id)}` : page;
}

/** A link whose visible text is short; the hidden part makes it clear out of context. */
export function link(href, text, hidden = "", attributes = {}) {
  if (!href) return "";
  return el("a", { href, ...attributes }, text, hidden ? el("span", { class: "crible-sr" }, hidden) : "");
}

export function ruleLinks(view, numbers) {
  if (!numbers?.length) return "";
  return el(
    "ul",
    { class: "crible__rules" },
    ...numbers.map((n) =>
      el(
        "li",
        {},
        el("a", { href: `${view.rulesURL}#regle-${n}` }, `Relire la règle ${n}\u00a0: ${view.ruleTitles[n] ?? ""}`),
      ),
    ),
  );
}

const hoursFormat = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 });

/** "1,5 h": minutes per month, as hours. */
export function hours(minutes) {
  return `${hoursFormat.format(minutes / 60)}\u00a0h`;
}

export function countsText(summary) {
  const counts = summary.counts ?? { contact: summary.total, groupe: 0, soi: 0 };
  const plural = (n, word) => `${n} ${word}${n > 1 ? "s" : ""}`;
  const parts = [];
  if (counts.contact) parts.push(plural(counts.contact, "contact"));
  if (counts.groupe) parts.push(plural(counts.groupe, "groupe"));
  if (counts.soi) parts.push("votre propre apport");
  const listed = parts.length > 1 ? `${parts.slice(0, -1).join(", ")} et ${parts.at(-1)}` : parts[0];
  return `Sur cet appareil\u00a0: ${listed}.`;
}

/** "en hausse de 3", or "" when there is no change to tell. */
export function trendWords(trend) {
  if (trend === null || trend === undefined || trend === 0) return "";
  return `${trend > 0 ? "en hausse" : "en baisse"} de ${Math.abs(trend)}`;
}

export function trendText(trend) {
  const words = trendWords(trend);
  return words ? ` (${words})` : "";
}

const BAND_COLOURS = ["#1b5e20", "#00695c", "#b26a00", "#b71c1c"];

/**
 * A table as Material lays them out (cards in a narrow column, see labelCells): `attributes` for
 * the <table>, its caption, the header cells (text, or ready <th> elements) and the rows.
 */
export function table(attributes, caption, headers, rows) {
  const head = headers.map((h) => (typeof h === "string" ? el("th", { scope: "col" }, h) : h));
  const node = el(
    "table",
    attributes,
    el("caption", {}, caption),
    el("thead", {}, el("tr", {}, ...head)),
    el("tbody", {}, ...rows),
  );
  labelCells(node);
  return el("div", { class: "md-typeset__scrollwrap" }, el("div", { class: "md-typeset__table" }, node));
}

/**
 * Give each data cell of `node` (a <table>) its column's name, `data-label`: in a narrow
 * column the stylesheet shows each row as a card, every value under its name.
 */
export function labelCells(node) {
  const names = [...(node.tHead?.rows[0]?.cells ?? [])].map((th) => th.textContent.trim());
  for (const row of node.tBodies[0]?.rows ?? []) {
    for (const [index, cell] of [...row.cells].entries()) {
      if (cell.tagName === "TD" && names[index]) cell.dataset.label = names[index];
    }
  }
}

/** Horizontal bars: how many entries got each verdict last time. */
export function bandChart(bands, { name, caption }) {
  const max = Math.max(1, ...bands.map((band) => band.count));
  const rowHeight = 36;
  const height = bands.length * rowHeight + 8;
  const described = bands.map((band) => `${band.label}\u00a0: ${band.count}`).join(", ");
  const chart = svg(
    "svg",
    { viewBox: `0 0 600 ${height}`, role: "img", "aria-label": `${name}\u00a0: ${described}` },
    ...bands.flatMap((band, index) => {
      const y = 4 + index * rowHeight;
      const width = (band.count / max) * 330;
      return [
        svg("text", { x: 0, y: y + 22, class: "reseau__chart-label" }, band.label),
        svg("rect", {
          x: 210,
          y: y + 4,
          width: Math.max(width, 2),
          height: 24,
          rx: 3,
          fill: BAND_COLOURS[Math.min(index, BAND_COLOURS.length - 1)],
        }),
        svg("text", { x: 218 + width, y: y + 22, class: "reseau__chart-count" }, String(band.count)),
      ];
    }),
  );
  return [chart, el("figcaption", {}, caption)];
}
