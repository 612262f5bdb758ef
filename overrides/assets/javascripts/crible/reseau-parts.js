// Pieces that every part of "Mon réseau" reads: the view of the summary, links to the
// questionnaires' pages and to the rules, hours, trends, and the verdict bars. Text nodes only.

import { el, svg } from "./dom.js";
import { counted, domain, kindOf, subjectFor } from "./domain.js";

// --- What every part of the overview reads -----------------------------------------------------

const parseData = (text) => {
  try {
    return JSON.parse(text || "null");
  } catch {
    return null;
  }
};

/**
 * The summary split by the parts of Mon réseau (the domain island's roles: the people of the
 * map, the groups, the visitor themself), with what the page itself knows: the rules' titles,
 * the definition of each part's questionnaire (the advice of its verdicts).
 */
export function viewOf(root, summary) {
  const definitions = parseData(root.dataset.definitions) ?? {};
  const part = (role) => {
    const about = subjectFor(role);
    return { subject: about, definition: about ? definitions[about.questionnaire] ?? null : null };
  };
  const [people, groups, self] = [part("people"), part("groups"), part("self")];
  const of = (about) => summary.contacts.filter((c) => about && kindOf(c) === about.id);
  return {
    summary,
    map: summary.map ?? null,
    contacts: of(people.subject),
    groups: of(groups.subject),
    self: of(self.subject)[0] ?? null,
    people,
    groupsPart: groups,
    selfPart: self,
    rulesURL: root.dataset.rulesUrl,
    ruleTitles: parseData(root.dataset.ruleTitles) ?? {},
    contactDefinition: people.definition,
    groupDefinition: groups.definition,
    selfDefinition: self.definition,
  };
}

/** The questionnaires of the two sides of a contact (the summary's map, or the build's). */
export function sides(view) {
  return {
    receive: view.map?.receive.questionnaire ?? domain().map.receive,
    give: view.map?.give.questionnaire ?? domain().map.give,
  };
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

/** « Sur cet appareil : 3 contacts, 1 groupe et votre propre apport. » */
export function countsText(summary) {
  // A version 1 summary has no counts: every entry is a person.
  const counts = summary.counts ?? { [domain().roles.people]: summary.total };
  const parts = domain()
    .subjects.filter((s) => counts[s.id])
    .map((s) => counted(s, counts[s.id]));
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

/**
 * The width of Mon réseau's small charts, in their own units: drawn at most this wide (CSS),
 * their 15-unit text is 15 px on a wide screen and still above 12 px in a phone's 328 px.
 */
export const CHART_WIDTH = 400;

/** Horizontal bars: how many entries got each verdict last time. */
export function bandChart(bands, { name, caption }) {
  const max = Math.max(1, ...bands.map((band) => band.count));
  const rowHeight = 36;
  const height = bands.length * rowHeight + 8;
  const described = bands.map((band) => `${band.label}\u00a0: ${band.count}`).join(", ");
  const chart = svg(
    "svg",
    { viewBox: `0 0 ${CHART_WIDTH} ${height}`, role: "img", "aria-label": `${name}\u00a0: ${described}` },
    ...bands.flatMap((band, index) => {
      const y = 4 + index * rowHeight;
      const width = (band.count / max) * 170;
      return [
        svg("text", { x: 0, y: y + 22, class: "reseau__chart-label" }, band.label),
        svg("rect", {
          x: 190,
          y: y + 4,
          width: Math.max(width, 2),
          height: 24,
          rx: 3,
          fill: BAND_COLOURS[Math.min(index, BAND_COLOURS.length - 1)],
        }),
        svg("text", { x: 198 + width, y: y + 22, class: "reseau__chart-count" }, String(band.count)),
      ];
    }),
  );
  return [chart, el("figcaption", {}, caption)];
}
