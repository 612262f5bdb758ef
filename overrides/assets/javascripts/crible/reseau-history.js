// "Mon réseau", over time: each entry's bilan across its evaluations (a small SVG chart with
// the verdict bands shaded, and the same points as a table for screen readers and print), the
// verdict mix per quarter, the « à revoir » list and its calendar (.ics). scoring computes
// everything (history, reviews, reviews_ics: see scoring/network_requests.py); this module
// only draws, with text nodes. The cadence comes from the definitions (review_after_days).

import { kindOf, pageOf, subject } from "./domain.js";
import { el, formatScore, frenchDate, named, svg, plural } from "./dom.js";
import { link, table } from "./reseau-parts.js";
import { download, readArchive } from "./store.js";

// What the « à revoir » list shows: what is due, or due within this many days. The calendar
// holds every planned review.
const HORIZON_DAYS = 30;

/** The visitor's own day, "AAAA-MM-JJ" (not UTC: a review is due on a calendar day). */
export function localDay(date = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

const shortFormat = new Intl.DateTimeFormat("fr-FR", { day: "numeric", month: "short", year: "numeric" });

/** "11 mai 2026" from "2026-05-11" or an ISO moment, read as the visitor's calendar day. */
function formatDay(text, format) {
  const [y, m, d] = text.slice(0, 10).split("-").map(Number);
  return frenchDate(new Date(y, m - 1, d), format);
}

let sequence = 0;

/**
 * Fill [data-reviews] and [data-evolution], and each entry's [data-evolution-for] placeholder
 * (in its details), from the stored archive. Called after every render; a later call wins.
 */
export async function renderEvolution(root, engine) {
  const mine = ++sequence;
  let text;
  try {
    text = readArchive();
  } catch {
    return; // network.js already says why nothing can be read
  }
  const today = localDay();
  const [history, reviews] = await Promise.all([
    engine.request("history", { current: text }),
    engine.request("reviews", { current: text, today }),
  ]);
  if (mine !== sequence) return;
  if (reviews.ok) {
    root.querySelector("[data-reviews]").replaceChildren(...reviewList(reviews.result.reviews));
    root.querySelector("[data-reviews-ics]").disabled = reviews.result.reviews.length === 0;
  }
  if (!history.ok) return;
  root.querySelector("[data-evolution]").replaceChildren(...quarterTable(history.result.quarters));
  for (const entry of history.result.entries) {
    const slot = root.querySelector(`[data-evolution-for="${CSS.escape(entry.id)}"]`);
    if (!slot) continue;
    const about = subject(kindOf(entry));
    const name = about.single ? about.this : entry.label;
    slot.replaceChildren(
      ...entry.series.filter((s) => s.points.length > 1).map((series) => seriesFigure(name, series)),
    );
  }
}

// --- The chart of one entry ---------------------------------------------------------------------

let figures = 0; // ids of the charts' titles, unique in the page

const WIDTH = 320;
const HEIGHT = 190;
const MARGIN = { left: 34, right: 12, top: 10, bottom: 30 };

/** The bilan of each evaluation over time, on the questionnaire's scale, bands shaded. */
function seriesFigure(name, series) {
  const { points, bands } = series;
  const low = series.score_min;
  const high = series.score_max;
  const times = points.map((p) => new Date(p.date).getTime());
  const first = times[0];
  const span = Math.max(1, times[times.length - 1] - first);
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (t) => MARGIN.left + ((t - first) * plotWidth) / span;
  // Half a point above and below the scale, so that a band of one score still has a height.
  const y = (score) => MARGIN.top + ((high + 0.5 - score) * plotHeight) / (high - low + 1);
  figures += 1;
  const titleId = `reseau-evolution-${figures}`;
  const chart = svg(
    "svg",
    {
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      class: "reseau-history__chart",
      role: "img",
      "aria-labelledby": titleId,
      "data-history-chart": series.questionnaire,
    },
    svg("title", { id: titleId }, `Évolution du bilan de ${name} (${series.title})\u00a0: ${points.length} évaluations, détaillées dans le tableau qui suit.`),
    ...bands.map((band) =>
      svg("rect", {
        x: MARGIN.left,
        width: plotWidth,
        y: y(band.high + 0.5),
        height: y(band.low - 0.5) - y(band.high + 0.5),
        class: `reseau-history__band reseau-history__band--${band.tone}`,
        "data-band": band.id,
      }),
    ),
    ...[high, 0, low].map((score) =>
      svg("text", { x: MARGIN.left - 6, y: y(score) + 4, class: "reseau-history__tick", "text-anchor": "end" }, formatScore(score)),
    ),
    svg("line", { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(0), y2: y(0), class: "reseau__axis" }),
    svg("text", { x: MARGIN.left, y: HEIGHT - 8, class: "reseau-history__tick" }, formatDay(points[0].date, shortFormat)),
    svg(
      "text",
      { x: WIDTH - MARGIN.right, y: HEIGHT - 8, class: "reseau-history__tick", "text-anchor": "end" },
      formatDay(points[points.length - 1].date, shortFormat),
    ),
    svg("polyline", {
      points: points.map((p, i) => `${x(times[i]).toFixed(1)},${y(p.score).toFixed(1)}`).join(" "),
      class: "reseau-history__line",
    }),
    ...points.map((p, i) =>
      svg(
        "circle",
        {
          cx: x(times[i]).toFixed(1),
          cy: y(p.score).toFixed(1),
          r: 5,
          class: "reseau-history__point",
          "data-point": p.evaluation,
          "data-score": p.score,
          "data-date": p.date,
          "data-verdict": p.verdict,
        },
        svg("title", {}, `${formatDay(p.date)}\u00a0: ${p.verdict_label} (${formatScore(p.score)})`),
      ),
    ),
  );
  const rows = points.map((p) =>
    el(
      "tr",
      { "data-point": p.evaluation },
      el("td", {}, formatDay(p.date)),
      el("td", {}, formatScore(p.score)),
      el("td", {}, p.verdict_label + (p.provisional ? " (provisoire)" : "")),
    ),
  );
  return el(
    "figure",
    { class: "reseau-history", "data-history": series.questionnaire },
    chart,
    // Without Material's scrolling wrapper: hidden on screen, a scrollable box would be a
    // region that cannot take the focus.
    el(
      "div",
      { class: "reseau-history__data" },
      table(
        { class: "reseau-history__table", "data-history-table": series.questionnaire },
        `Bilan de ${name} à chaque évaluation (${series.title}), de ${formatScore(low)} à ${formatScore(high)}`,
        ["Date", "Bilan", "Verdict"],
        rows,
      ).querySelector("table"),
    ),
  );
}

// --- The mix per quarter ------------------------------------------------------------------------

function quarterTable(quarters) {
  if (!quarters.length) return [el("p", {}, "Évaluez vos contacts avec le crible pour voir ici comment vos verdicts évoluent, trimestre après trimestre.")];
  const bands = quarters[0].counts;
  return [
    table(
      { "data-quarters": "" }, // no class: a card per quarter in a narrow column, like every table here
      "Le dernier verdict de chacun de vos contacts à la fin de chaque trimestre",
      ["Trimestre", ...bands.map((b) => b.label), "Contacts évalués"],
      quarters.map((q) =>
        el(
          "tr",
          { "data-quarter": q.quarter },
          el("th", { scope: "row" }, q.label),
          ...q.counts.map((c) => el("td", { "data-band": c.id }, String(c.count))),
          el("td", {}, String(q.total)),
        ),
      ),
    ),
  ];
}

// --- À revoir -------------------------------------------------------------------------------------

function reviewList(reviews) {
  if (!reviews.length) {
    return [el("p", {}, "Aucune revue prévue pour l’instant\u00a0: chaque évaluation enregistrée en programme une, selon son verdict.")];
  }
  const soon = reviews.filter((r) => r.in_days <= HORIZON_DAYS);
  const later = reviews.length - soon.length;
  const items = soon.map((r) => {
    const about = subject(kindOf(r));
    const who = about.single ? about.title : named(r.label);
    const when =
      r.in_days < 0
        ? `à revoir depuis le ${formatDay(r.due)}`
        : r.in_days === 0
          ? "à revoir aujourd’hui"
          : `à revoir le ${formatDay(r.due)}`;
    const why = r.last
      ? ` (${r.verdict_label}, évaluation du ${formatDay(r.last)})`
      : " (pas encore évalué avec le crible)";
    const questionnaire = r.questionnaire ?? about.questionnaire;
    const name = about.single ? about.this : r.label;
    return el(
      "li",
      { "data-review": r.contact_id, "data-due": r.due },
      who,
      `\u00a0: ${when}${why}. `,
      link(pageOf(questionnaire, r.contact_id), r.last ? "Réévaluer" : "Évaluer", ` ${name}`),
    );
  });
  return [
    soon.length
      ? el("ol", { class: "reseau-history__reviews" }, ...items)
      : el("p", {}, `Rien à revoir dans les ${HORIZON_DAYS} prochains jours.`),
    later
      ? el(
          "p",
          {},
          `${plural(later, "Une autre revue est prévue", `${later} autres revues sont prévues`)} plus tard\u00a0: le calendrier les contient toutes.`,
        )
      : "",
  ];
}

/** The « Télécharger le calendrier des revues (.ics) » button. */
export function mountReviewsCalendar(root, engine, tell) {
  root.querySelector("[data-reviews-ics]").addEventListener("click", async () => {
    let text;
    try {
      text = readArchive();
    } catch (error) {
      return tell(`Aucun calendrier n’a été créé\u00a0: ${error.message}.`);
    }
    const response = await engine.request("reviews_ics", {
      current: text,
      today: localDay(),
      stamp: new Date().toISOString(),
    });
    if (!response.ok) return tell(`Aucun calendrier n’a été créé\u00a0: ${response.errors.map((e) => e.message).join("\u202f; ")}.`);
    download(`crible-revues-${localDay()}.ics`, response.result.ics, "text/calendar;charset=utf-8");
    const n = response.result.events;
    tell(`Le calendrier des revues a été créé dans votre navigateur (${n} revue${n > 1 ? "s" : ""}). Ouvrez-le avec votre agenda pour l’y ajouter.`);
  });
}
