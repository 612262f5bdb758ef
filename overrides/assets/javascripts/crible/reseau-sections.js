// "Mon réseau": the groups (which cost more than they give), the visitor's own contribution,
// and the balance of their time (rule 6).

import { pageOf } from "./domain.js";
import { el, formatDate, formatPercent, formatScore, named, svg } from "./dom.js";
import {
  CHART_WIDTH,
  bandChart,
  hours,
  link,
  ruleLinks,
  table,
  trendText,
  trendWords,
} from "./reseau-parts.js";

// --- Groups ------------------------------------------------------------------------------------

export function groupSection(view) {
  const groups = view.groups;
  const questionnaire = view.groupsPart.subject?.questionnaire;
  const page = pageOf(questionnaire);
  if (groups.length === 0) {
    return [
      el(
        "p",
        {},
        "Vous n’avez encore évalué aucun groupe. Un forum, une communauté, une liste de " +
          "discussion se jugent aussi\u00a0: vous apportent-ils autant qu’ils vous coûtent\u202f?",
      ),
      page ? el("p", {}, el("a", { class: "md-button", href: page }, "Évaluer un groupe")) : "",
    ];
  }
  const summary = view.summary;
  const costly = summary.time?.costly_groups ?? [];
  const costlySet = new Set(costly);
  const evaluated = groups.filter((g) => g.latest).length;
  const rows = [...groups]
    .sort((a, b) => a.label.localeCompare(b.label, "fr"))
    .map((g) => {
      const latest = g.latest;
      const isCostly = costlySet.has(g.id);
      return el(
        "tr",
        {
          "data-group": g.id,
          "data-verdict": latest?.verdict ?? "",
          ...(isCostly ? { "data-costly": "", class: "reseau__row--costly" } : {}),
        },
        el("th", { scope: "row" }, named(g.label)),
        el(
          "td",
          {},
          latest ? latest.verdict_label : "Pas encore évalué",
          isCostly ? el("span", { class: "reseau__badge" }, "à revoir") : "",
        ),
        el("td", {}, latest ? formatScore(latest.score) + trendText(g.trend) : "—"),
        el("td", {}, Number.isInteger(latest?.minutes) ? hours(latest.minutes) : "—"),
        el("td", {}, latest ? formatDate(latest.date) : "—"),
        el("td", { class: "reseau__links" }, link(pageOf(questionnaire, g.id), view.groupsPart.subject.reevaluate, el("span", {}, " ", named(g.label)))),
      );
    });
  const parts = [
    el(
      "figure",
      { class: "reseau__chart" },
      ...bandChart(summary.group_bands ?? [], {
        name: "Verdicts de vos groupes",
        caption: `Dernier verdict de chaque groupe évalué (${evaluated}).`,
      }),
    ),
    table(
      { "data-group-table": "" },
      "Le dernier verdict de chaque groupe, et le temps que vous y passez.",
      [
        "Groupe",
        "Verdict",
        "Bilan",
        "Heures par mois",
        "Dernière évaluation",
        el("th", { scope: "col", class: "reseau__links" }, "Évaluer"),
      ],
      rows,
    ),
  ];
  const byId = new Map(groups.map((g) => [g.id, g]));
  const bands = new Map((view.groupDefinition?.bands ?? []).map((b) => [b.id, b]));
  const listed = costly.map((id) => byId.get(id)).filter((g) => g?.latest);
  if (listed.length) {
    parts.push(
      el("h3", {}, `Les groupes à revoir (${listed.length})`),
      el(
        "p",
        {},
        "Ils ne vous apportent pas ce qu’ils vous coûtent, les plus gourmands en temps d’abord. " +
          "Rien ne vous oblige à rester.",
      ),
      el(
        "ul",
        { class: "reseau__costly", "data-costly-groups": "" },
        ...listed.map((g) => {
          const band = bands.get(g.latest.verdict);
          const time = Number.isInteger(g.latest.minutes) ? `, ${hours(g.latest.minutes)} par mois` : "";
          return el(
            "li",
            { "data-group": g.id },
            el("strong", {}, named(g.label)),
            `\u00a0: ${g.latest.verdict_label.toLocaleLowerCase("fr")}${time}. `,
            band ? band.advice : "",
            ruleLinks(view, band?.rules),
          );
        }),
      ),
    );
  }
  if (page) parts.push(el("p", {}, el("a", { class: "md-button", href: page }, "Évaluer un autre groupe")));
  return parts;
}

// --- The visitor's own contribution ------------------------------------------------------------

export function selfSection(view) {
  const self = view.self;
  const about = view.selfPart.subject;
  const latest = self?.latest;
  if (!about) return [];
  if (!latest) {
    const page = pageOf(about.questionnaire, self?.id);
    return [
      el(
        "p",
        {},
        "Quelle valeur apportez-vous au réseau\u202f? Faites le point sur votre propre manière " +
          "d’échanger, à la lumière des dix règles\u00a0: quelques minutes suffisent.",
      ),
      page ? el("p", {}, el("a", { class: "md-button md-button--primary", href: page }, about.evaluate)) : "",
    ];
  }
  const band = view.selfDefinition?.bands.find((b) => b.id === latest.verdict);
  return [
    el(
      "p",
      { class: "reseau__self", "data-verdict": latest.verdict },
      `Votre dernier bilan, le ${formatDate(latest.date)}\u00a0: `,
      el("strong", {}, latest.verdict_label),
      ` (${formatScore(latest.score)} sur une échelle de ${formatScore(latest.score_min)} à ` +
        `${formatScore(latest.score_max)}${trendWords(self.trend) ? `, ${trendWords(self.trend)}` : ""})` +
        `${latest.provisional ? ", provisoire" : ""}.`,
    ),
    band ? el("p", {}, band.advice) : "",
    ruleLinks(view, band?.rules),
    el("p", {}, link(pageOf(about.questionnaire, self.id), about.reevaluate, "", { class: "md-button" })),
  ];
}

// --- Time (rule 6) -----------------------------------------------------------------------------

export function timeSection(view) {
  const time = view.summary.time;
  if (!time?.recorded) {
    return [
      el(
        "p",
        {},
        "Indiquez le temps passé quand vous évaluez un contact, ce que vous lui donnez ou un " +
          "groupe\u00a0: vous verrez ici comment votre temps se partage entre vos propres " +
          "questions et l’aide aux autres (règle 6).",
      ),
    ];
  }
  const share = time.help_share === null || time.help_share === undefined ? "" : ` (${formatPercent(time.help_share)} de ce temps)`;
  return [
    el(
      "div",
      {
        class: "reseau__time",
        "data-balance": time.balance ?? "",
        "data-own": String(time.own),
        "data-help": String(time.help),
        "data-groups-minutes": String(time.groups),
      },
      time.own + time.help > 0 ? timeBar(time) : "",
      el(
        "ul",
        {},
        el("li", {}, `Vos propres questions, avec vos contacts\u00a0: ${hours(time.own)} par mois`),
        el("li", {}, `L’aide à vos contacts\u00a0: ${hours(time.help)} par mois${share}`),
        el("li", {}, `Vos groupes\u00a0: ${hours(time.groups)} par mois`),
      ),
      time.message ? el("p", { class: "reseau__time-message" }, time.message) : "",
      ruleLinks(view, time.rules),
    ),
  ];
}

/** One bar: the time on your own questions, then the time helping others. */
function timeBar(time) {
  const total = time.own + time.help;
  const width = CHART_WIDTH;
  const own = (time.own / total) * width;
  return svg(
    "svg",
    {
      viewBox: `0 0 ${width} 64`,
      role: "img",
      class: "reseau__time-bar",
      "aria-label":
        `Votre temps avec vos contacts\u00a0: ${hours(time.own)} pour vos propres questions, ` +
        `${hours(time.help)} pour aider les autres, par mois.`,
    },
    svg("rect", { x: 0, y: 0, width: Math.max(own, 0), height: 28, class: "reseau__bar-own" }),
    svg("rect", { x: own, y: 0, width: Math.max(width - own, 0), height: 28, class: "reseau__bar-help" }),
    svg("text", { x: 0, y: 52, class: "reseau__chart-count" }, `Vos questions\u00a0: ${hours(time.own)}`),
    svg("text", { x: width, y: 52, "text-anchor": "end", class: "reseau__chart-count" }, `Aider\u00a0: ${hours(time.help)}`),
  );
}
