// "Mon réseau": the win-win map (what you receive × what you give), drawn as an SVG chart
// with text nodes, the same as a table, and per quadrant the contacts and what to do.

import { pageOf } from "./domain.js";
import { el, formatScore, isolated, named, svg } from "./dom.js";
import { link, ruleLinks, sides, table } from "./reseau-parts.js";

// --- The win-win map ---------------------------------------------------------------------------

/** The map: a chart, the same as a table, and per quadrant the contacts and what to do. */
export function winWinMap(view) {
  const map = view.map;
  if (!map) return [];
  const placed = view.contacts.filter((c) => c.quadrant);
  const parts = [];
  if (placed.length === 0) {
    parts.push(
      el(
        "p",
        { "data-map-empty": "" },
        "Aucun contact n’a encore ses deux côtés évalués. Passez un contact au crible, puis " +
          "évaluez ce que vous lui donnez, sous le même nom\u00a0: il apparaîtra ici.",
      ),
    );
  } else {
    // Only the quadrants someone is in: an empty one would be a box that says nothing.
    parts.push(mapFigure(map, placed), mapTable(map, placed), quadrantLists(view, map));
  }
  parts.push(...missingSides(view));
  return parts;
}

// The map's drawing: the plot, with room above and below it for the zones' names (outside the
// plot, where no point can hide them) and the axes' titles.
const MAP = { width: 640, height: 476, left: 40, right: 630, top: 34, bottom: 410 };

function mapFigure(map, placed) {
  const { left, right, top, bottom } = MAP;
  const rx = map.receive;
  const gy = map.give;
  // Half a point of margin on each side: a contact at the end of a scale stays inside the plot.
  const x = (score) => left + ((score - rx.score_min + 0.5) * (right - left)) / (rx.score_max - rx.score_min + 1);
  const y = (score) => bottom - ((score - gy.score_min + 0.5) * (bottom - top)) / (gy.score_max - gy.score_min + 1);
  // A side wins from its min_score on: the line runs halfway between two scores.
  const tx = x(rx.min_score - 0.5);
  const ty = y(gy.min_score - 0.5);
  const zones = map.quadrants.flatMap((q) => {
    const [x0, x1] = q.receive ? [tx, right] : [left, tx];
    const [y0, y1] = q.give ? [top, ty] : [ty, bottom];
    const zone = `reseau__zone--${q.receive ? "r" : "n"}${q.give ? "g" : "n"}`;
    return [
      svg("rect", { x: x0, y: y0, width: x1 - x0, height: y1 - y0, class: `reseau__zone ${zone}` }),
      svg(
        "text",
        {
          x: q.receive ? right : left,
          y: q.give ? top - 10 : bottom + 24,
          "text-anchor": q.receive ? "end" : "start",
          class: "reseau__zone-label",
        },
        q.label,
      ),
    ];
  });
  // Contacts with the same two scores would hide one another: each next one steps aside.
  const seen = new Map();
  const points = placed.map((contact) => {
    const key = `${contact.latest.score},${contact.give.score}`;
    const rank = seen.get(key) ?? 0;
    seen.set(key, rank + 1);
    const angle = rank * 2.4;
    const radius = rank ? 9 + 4 * rank : 0;
    const cx = x(contact.latest.score) + radius * Math.cos(angle);
    const cy = y(contact.give.score) + radius * Math.sin(angle);
    const name = contact.label.length > 18 ? `${contact.label.slice(0, 17)}…` : contact.label;
    const onRight = cx > right - 150;
    return svg(
      "g",
      { class: "reseau__map-point", "data-contact": contact.id, "data-quadrant": contact.quadrant },
      svg(
        "title",
        {},
        `${isolated(contact.label)}\u00a0: ${contact.latest.verdict_label} (${formatScore(contact.latest.score)}), ` +
          `${contact.give.verdict_label.toLocaleLowerCase("fr")} (${formatScore(contact.give.score)})`,
      ),
      svg("circle", { cx, cy, r: 7, class: "reseau__dot" }),
      svg(
        "text",
        { x: onRight ? cx - 11 : cx + 11, y: cy + 5, "text-anchor": onRight ? "end" : "start", class: "reseau__dot-label" },
        isolated(name),
      ),
    );
  });
  const counts = map.quadrants.map((q) => `${q.label}\u00a0: ${q.contacts.length}`).join("\u202f; ");
  const n = placed.length;
  const chart = svg(
    "svg",
    {
      viewBox: `0 0 ${MAP.width} ${MAP.height}`,
      role: "img",
      class: "reseau__map",
      "aria-labelledby": "reseau-map-svg-title reseau-map-svg-desc",
    },
    svg("title", { id: "reseau-map-svg-title" }, "Carte gagnant-gagnant de vos contacts"),
    svg(
      "desc",
      { id: "reseau-map-svg-desc" },
      `${n} contact${n > 1 ? "s" : ""} placé${n > 1 ? "s" : ""} selon ce que vous recevez (de gauche à droite) ` +
        `et ce que vous donnez (de bas en haut). ${counts}. Le tableau qui suit donne la place de chacun.`,
    ),
    ...zones,
    svg("line", { x1: tx, x2: tx, y1: top, y2: bottom, class: "reseau__threshold" }),
    svg("line", { x1: left, x2: right, y1: ty, y2: ty, class: "reseau__threshold" }),
    svg("rect", { x: left, y: top, width: right - left, height: bottom - top, class: "reseau__frame" }),
    svg(
      "text",
      { x: (left + right) / 2, y: MAP.height - 8, "text-anchor": "middle", class: "reseau__axis-label" },
      `${rx.label} (bilan d’au moins ${formatScore(rx.min_score)} à droite) →`,
    ),
    svg(
      "text",
      {
        x: -(top + bottom) / 2,
        y: 18,
        transform: "rotate(-90)",
        "text-anchor": "middle",
        class: "reseau__axis-label",
      },
      `${gy.label} (au moins ${formatScore(gy.min_score)} en haut) →`,
    ),
    ...points,
  );
  return el(
    "figure",
    { class: "reseau__chart reseau__map-figure" },
    chart,
    el(
      "figcaption",
      {},
      `À droite, les contacts qui vous apportent (bilan du crible d’au moins ${formatScore(rx.min_score)})\u202f; ` +
        `en haut, ceux à qui vous donnez (bilan d’au moins ${formatScore(gy.min_score)}).`,
    ),
  );
}

function mapTable(map, placed) {
  const quadrants = new Map(map.quadrants.map((q) => [q.id, q]));
  const side = (s) => `${s.verdict_label} (${formatScore(s.score)})`;
  const rows = [...placed]
    .sort((a, b) => a.label.localeCompare(b.label, "fr"))
    .map((c) =>
      el(
        "tr",
        { "data-contact": c.id, "data-quadrant": c.quadrant },
        el("th", { scope: "row" }, named(c.label)),
        el("td", {}, side(c.latest)),
        el("td", {}, side(c.give)),
        el("td", {}, quadrants.get(c.quadrant)?.label ?? c.quadrant),
      ),
    );
  return table(
    { "data-map-table": "" },
    "La carte en tableau\u00a0: ce que vous recevez et ce que vous donnez, contact par contact.",
    ["Contact", map.receive.label, map.give.label, "Sur la carte"],
    rows,
  );
}

/** Per quadrant with someone in it: who is there, what the guide advises, the rules to reread. */
function quadrantLists(view, map) {
  const labels = new Map(view.contacts.map((c) => [c.id, c.label]));
  return el(
    "div",
    { class: "reseau__quadrants" },
    ...map.quadrants.filter((q) => q.contacts.length).map((q) =>
      el(
        "section",
        { class: "reseau__quadrant", "data-quadrant-list": q.id },
        el("h3", {}, `${q.label} (${q.contacts.length})`),
        el("ul", { class: "reseau__names" }, ...q.contacts.map((id) => el("li", {}, named(labels.get(id) ?? id)))),
        el("p", {}, q.advice),
        ruleLinks(view, q.rules),
      ),
    ),
  );
}

/** Contacts with one side only: the link that would place them on the map. */
function missingSides(view) {
  const { receive, give } = sides(view);
  const missing = view.contacts.filter((c) => !c.quadrant);
  if (missing.length === 0) return [];
  return [
    el("h3", {}, `Pas encore sur la carte (${missing.length})`),
    el("p", {}, "Pour placer ces contacts, évaluez l’autre côté de l’échange\u00a0:"),
    el(
      "ul",
      { "data-map-missing": "" },
      ...missing.map((c) =>
        el(
          "li",
          { "data-contact": c.id },
          c.latest
            ? link(pageOf(give, c.id), el("span", {}, "Évaluer ce que vous donnez à ", named(c.label)))
            : link(pageOf(receive, c.id), el("span", {}, "Évaluer ce que ", named(c.label), " vous apporte")),
        ),
      ),
    ),
  ];
}
