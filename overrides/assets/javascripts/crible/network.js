// "Mon réseau": the saved contacts, groups and self-assessment, their latest verdicts, the
// win-win map (what you receive × what you give), the balance of your time (rule 6), their
// history, and the visitor's data (export, import, print, erase). The archive text lives in localStorage (store.js);
// every summary and every change of it is computed by scoring in the worker, so the page only
// renders, with text nodes: a label is never parsed as HTML, here or in the charts.

import { engineFor } from "./engine.js";
import { el, formatDate, formatPercent, formatScore, quoted, svg } from "./dom.js";
import {
  archiveKey,
  download,
  eraseAll,
  onArchiveChange,
  readArchive,
  StoreError,
  writeArchive,
} from "./store.js";

const STALE_DAYS = 180; // "maintenance préventive": re-evaluate at least twice a year
const DAY_MS = 24 * 60 * 60 * 1000;

export function mountNetwork(root) {
  if (root.dataset.mounted) return;
  root.dataset.mounted = "true";
  const engine = engineFor();
  const status = root.querySelector("[data-status]");
  const dataStatus = root.querySelector("[data-data-status]");
  const parts = {
    empty: root.querySelector("[data-empty]"),
    corrupt: root.querySelector("[data-corrupt]"),
    overview: root.querySelector("[data-overview]"),
  };
  let sort = { key: "label", ascending: true };
  let summary = null;
  let pendingImport = null;

  const show = (name) => {
    for (const [key, node] of Object.entries(parts)) node.hidden = key !== name;
  };
  const tell = (text) => {
    dataStatus.textContent = text;
  };

  async function refresh() {
    let text;
    try {
      text = readArchive();
    } catch (error) {
      status.textContent = `Impossible de lire les données\u00a0: ${error.message}.`;
      return;
    }
    let response;
    try {
      response = await engine.request("network", text);
    } catch (error) {
      root.dataset.engine = "error";
      status.textContent =
        "Le moteur de calcul a échoué\u00a0: vos données sont intactes, mais elles ne peuvent " +
        `pas être affichées ici (${error.message}). Rechargez la page pour réessayer.`;
      return;
    }
    root.dataset.engine = "ready";
    if (!response.ok) {
      summary = null;
      status.textContent = "Les données enregistrées sur cet appareil sont illisibles.";
      root.querySelector("[data-corrupt-errors]").replaceChildren(
        ...response.errors.map((e) => el("li", {}, e.path ? `${e.message} (${e.path})` : e.message)),
      );
      show("corrupt");
      return;
    }
    summary = response.result;
    if (summary.total === 0) {
      status.textContent = "";
      show("empty");
      return;
    }
    status.textContent = countsText(summary);
    render();
    show("overview");
  }

  function render() {
    const view = viewOf(root, summary);
    const contacts = view.contacts;
    root.querySelector("[data-chart]").replaceChildren(
      ...bandChart(summary.bands, {
        name: "Verdicts de vos contacts",
        caption: `Dernier verdict de chaque contact évalué (${summary.evaluated}).`,
      }),
    );
    root.querySelector("[data-no-contacts]").hidden = contacts.length > 0;
    root.querySelector("[data-contacts]").hidden = contacts.length === 0;
    renderTable();
    root.querySelector("[data-map]").replaceChildren(...winWinMap(view));
    root.querySelector("[data-groups]").replaceChildren(...groupSection(view));
    root.querySelector("[data-self]").replaceChildren(...selfSection(view));
    root.querySelector("[data-time]").replaceChildren(...timeSection(view));
    root.querySelector("[data-actions]").replaceChildren(...actionLists(view));
    root.querySelector("[data-details]").replaceChildren(
      ...summary.contacts.map((contact) => details(view, contact, edit)),
    );
  }

  function renderTable() {
    const table = root.querySelector("[data-table]");
    const view = viewOf(root, summary);
    const rows = [...view.contacts].sort(compare(sort, summary));
    table.tBodies[0].replaceChildren(...rows.map((contact) => row(view, contact)));
    for (const th of table.tHead.rows[0].cells) {
      const key = th.querySelector("button")?.dataset.sort;
      if (key === sort.key) th.setAttribute("aria-sort", sort.ascending ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    }
  }

  /** Apply one change through scoring, then store the archive it returns. */
  async function edit(change) {
    let current;
    try {
      current = readArchive();
    } catch (error) {
      tell(error.message);
      return false;
    }
    const response = await engine.request("update", { current, ...change });
    if (!response.ok) {
      tell(`Rien n’a été modifié\u00a0: ${response.errors.map((e) => e.message).join("\u202f; ")}.`);
      return false;
    }
    if (!store(response.result.archive)) return false;
    await refresh();
    return true;
  }

  function store(text) {
    try {
      writeArchive(text);
      return true;
    } catch (error) {
      tell(error instanceof StoreError ? `Rien n’a été modifié\u00a0: ${error.message}.` : String(error));
      return false;
    }
  }

  // Sorting: the column headers are buttons.
  root.querySelector("[data-table] thead").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-sort]");
    if (!button || !summary) return;
    const key = button.dataset.sort;
    sort = { key, ascending: sort.key === key ? !sort.ascending : key === "label" };
    renderTable();
  });

  // Export, import, print, erase.
  const today = () => new Date().toISOString().slice(0, 10);
  root.querySelector("[data-export-json]").addEventListener("click", () => {
    const text = readArchive();
    if (!text) return tell("Il n’y a rien à exporter pour l’instant.");
    download(`crible-reseau-${today()}.json`, text, "application/json");
    tell("Le fichier d’export a été créé dans votre navigateur.");
  });
  root.querySelector("[data-export-csv]").addEventListener("click", async () => {
    const response = await engine.request("export_csv", readArchive());
    if (!response.ok) return tell(response.errors.map((e) => e.message).join(" "));
    download(`crible-reseau-${today()}.csv`, response.result.csv, "text/csv;charset=utf-8");
    tell("Le tableau a été créé dans votre navigateur.");
  });
  root.querySelector("[data-print]").addEventListener("click", () => window.print());
  root.querySelector("[data-erase]").addEventListener("click", async () => {
    const sure = window.confirm(
      "Effacer toutes les données que ce site a enregistrées dans ce navigateur\u202f? " +
        "Cette action est définitive\u00a0: exportez d’abord si vous voulez les garder.",
    );
    if (!sure) return;
    eraseAll();
    await refresh();
    tell("Toutes vos données ont été effacées de ce navigateur.");
  });

  const input = root.querySelector("[data-import]");
  const dialog = root.querySelector("[data-import-dialog]");
  input.addEventListener("change", async () => {
    const file = input.files?.[0];
    input.value = "";
    if (!file) return;
    const incoming = await file.text();
    const response = await engine.request("import_preview", { current: readArchive(), incoming });
    if (!response.ok) {
      const why = response.errors.map((e) => (e.path ? `${e.message} (${e.path})` : e.message));
      tell(`Ce fichier n’a pas été importé, rien n’a changé\u00a0: ${why.join("\u202f; ")}.`);
      return;
    }
    pendingImport = incoming;
    root.querySelector("[data-import-preview]").replaceChildren(...importPreview(response.result));
    dialog.showModal();
  });
  const apply = async (mode) => {
    dialog.close();
    const incoming = pendingImport;
    pendingImport = null;
    if (incoming === null) return;
    const response = await engine.request("import_apply", {
      current: readArchive(),
      incoming,
      mode,
    });
    if (!response.ok) return tell(response.errors.map((e) => e.message).join(" "));
    if (store(response.result.archive)) {
      await refresh();
      tell(mode === "replace" ? "Vos données ont été remplacées par celles du fichier." : "Le fichier a été ajouté à vos données.");
    }
  };
  root.querySelector("[data-import-merge]").addEventListener("click", () => apply("merge"));
  root.querySelector("[data-import-replace]").addEventListener("click", () => {
    if (window.confirm("Remplacer toutes vos données par celles du fichier\u202f?")) apply("replace");
  });
  const cancelImport = () => {
    pendingImport = null;
    dialog.close();
    tell("Import annulé, rien n’a changé.");
  };
  root.querySelector("[data-import-cancel]").addEventListener("click", cancelImport);
  dialog.addEventListener("cancel", cancelImport); // Escape: the same as "Annuler"

  // Corrupt storage: keep the raw text available, reset only on request.
  root.querySelector("[data-download-raw]").addEventListener("click", () => {
    download(`crible-donnees-brutes-${today()}.txt`, readArchive(), "text/plain");
  });
  root.querySelector("[data-reset]").addEventListener("click", async () => {
    if (!window.confirm("Effacer les données illisibles de cet appareil\u202f?")) return;
    window.localStorage.removeItem(archiveKey());
    await refresh();
  });

  // A printed overview shows every contact's history, folded on screen or not.
  let folded = [];
  window.addEventListener("beforeprint", () => {
    folded = [...root.querySelectorAll("details.reseau__contact:not([open])")];
    for (const node of folded) node.open = true;
  });
  window.addEventListener("afterprint", () => {
    for (const node of folded) node.open = false;
    folded = [];
  });

  // Another tab saved or erased: show what is stored now.
  onArchiveChange(() => {
    if (root.isConnected) refresh();
  });

  engine.ready.then(refresh, (error) => {
    root.dataset.engine = "error";
    status.textContent =
      "Le moteur de calcul n’a pas pu démarrer dans ce navigateur\u00a0: vos données sont " +
      `intactes, mais elles ne peuvent pas être affichées ici (${error.message}).`;
  });
}


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
 * verdicts of a group and of the self-assessment.
 */
function viewOf(root, summary) {
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
    groupDefinition: parseData(root.dataset.groupDefinition),
    selfDefinition: parseData(root.dataset.selfDefinition),
  };
}

/** The questionnaires of the two sides of a contact (the map's, or the site's defaults). */
function sides(view) {
  return {
    receive: view.map?.receive.questionnaire ?? "contact",
    give: view.map?.give.questionnaire ?? "donne",
  };
}

/** The URL of a questionnaire's page, re-evaluating entry `id` when given; null if none. */
function pageURL(view, questionnaire, id = null) {
  const page = view.pages[questionnaire];
  if (!page) return null;
  return id ? `${page}?contact=${encodeURIComponent(id)}` : page;
}

/** A link whose visible text is short; the hidden part makes it clear out of context. */
function link(href, text, hidden = "", attributes = {}) {
  if (!href) return "";
  return el("a", { href, ...attributes }, text, hidden ? el("span", { class: "crible-sr" }, hidden) : "");
}

function ruleLinks(view, numbers) {
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
function hours(minutes) {
  return `${hoursFormat.format(minutes / 60)}\u00a0h`;
}

function countsText(summary) {
  const counts = summary.counts ?? { contact: summary.total, groupe: 0, soi: 0 };
  const plural = (n, word) => `${n} ${word}${n > 1 ? "s" : ""}`;
  const parts = [];
  if (counts.contact) parts.push(plural(counts.contact, "contact"));
  if (counts.groupe) parts.push(plural(counts.groupe, "groupe"));
  if (counts.soi) parts.push("votre propre apport");
  const listed = parts.length > 1 ? `${parts.slice(0, -1).join(", ")} et ${parts.at(-1)}` : parts[0];
  return `Sur cet appareil\u00a0: ${listed}.`;
}

// --- Contacts ----------------------------------------------------------------------------------

function compare(sort, summary) {
  const order = new Map(summary.bands.map((band, index) => [band.id, index]));
  const value = {
    label: (c) => c.label.toLocaleLowerCase("fr"),
    verdict: (c) => (c.latest ? order.get(c.latest.verdict) ?? 99 : 100),
    score: (c) => c.latest?.score ?? -Infinity,
    give: (c) => c.give?.score ?? -Infinity,
    date: (c) => c.latest?.date ?? "",
    count: (c) => c.evaluations.length,
  }[sort.key];
  return (a, b) => {
    const [x, y] = [value(a), value(b)];
    const result = typeof x === "string" ? x.localeCompare(y, "fr") : x - y;
    return sort.ascending ? result : -result;
  };
}

function row(view, contact) {
  const { latest, give } = contact;
  const { receive, give: giveQuestionnaire } = sides(view);
  return el(
    "tr",
    { "data-contact": contact.id, "data-verdict": latest?.verdict ?? "", "data-give": give?.verdict ?? "" },
    el("th", { scope: "row" }, contact.label),
    el("td", {}, latest ? latest.verdict_label : "Pas encore évalué"),
    el("td", {}, latest ? formatScore(latest.score) + trendText(contact.trend) : "—"),
    el("td", {}, give ? `${give.verdict_label} (${formatScore(give.score)})` : "Pas encore évalué"),
    el("td", {}, latest ? formatDate(latest.date) : "—"),
    el("td", {}, String(contact.evaluations.length)),
    el(
      "td",
      { class: "reseau__links" },
      link(pageURL(view, receive, contact.id), latest ? "Réévaluer" : "Évaluer", ` ${contact.label}`, {
        "data-reevaluate": "",
      }),
      " ",
      link(pageURL(view, giveQuestionnaire, contact.id), "Ce que je lui donne", ` (${contact.label})`, {
        "data-give-link": "",
      }),
    ),
  );
}

/** "en hausse de 3", or "" when there is no change to tell. */
function trendWords(trend) {
  if (trend === null || trend === undefined || trend === 0) return "";
  return `${trend > 0 ? "en hausse" : "en baisse"} de ${Math.abs(trend)}`;
}

function trendText(trend) {
  const words = trendWords(trend);
  return words ? ` (${words})` : "";
}

const BAND_COLOURS = ["#1b5e20", "#00695c", "#b26a00", "#b71c1c"];

/** Horizontal bars: how many entries got each verdict last time. */
function bandChart(bands, { name, caption }) {
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

// --- The win-win map ---------------------------------------------------------------------------

/** The map: a chart, the same as a table, and per quadrant the contacts and what to do. */
function winWinMap(view) {
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
    parts.push(mapFigure(map, placed), mapTable(map, placed));
  }
  parts.push(quadrantLists(view, map), ...missingSides(view));
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
        `${contact.label}\u00a0: ${contact.latest.verdict_label} (${formatScore(contact.latest.score)}), ` +
          `${contact.give.verdict_label.toLocaleLowerCase("fr")} (${formatScore(contact.give.score)})`,
      ),
      svg("circle", { cx, cy, r: 7, class: "reseau__dot" }),
      svg(
        "text",
        { x: onRight ? cx - 11 : cx + 11, y: cy + 5, "text-anchor": onRight ? "end" : "start", class: "reseau__dot-label" },
        name,
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
        el("th", { scope: "row" }, c.label),
        el("td", {}, side(c.latest)),
        el("td", {}, side(c.give)),
        el("td", {}, quadrants.get(c.quadrant)?.label ?? c.quadrant),
      ),
    );
  return el(
    "div",
    { class: "md-typeset__scrollwrap" },
    el(
      "div",
      { class: "md-typeset__table" },
      el(
        "table",
        { "data-map-table": "" },
        el("caption", {}, "La carte en tableau\u00a0: ce que vous recevez et ce que vous donnez, contact par contact."),
        el(
          "thead",
          {},
          el(
            "tr",
            {},
            el("th", { scope: "col" }, "Contact"),
            el("th", { scope: "col" }, map.receive.label),
            el("th", { scope: "col" }, map.give.label),
            el("th", { scope: "col" }, "Sur la carte"),
          ),
        ),
        el("tbody", {}, ...rows),
      ),
    ),
  );
}

/** Per quadrant: who is there, what the guide advises, and the rules to reread. */
function quadrantLists(view, map) {
  const labels = new Map(view.contacts.map((c) => [c.id, c.label]));
  return el(
    "div",
    { class: "reseau__quadrants" },
    ...map.quadrants.map((q) =>
      el(
        "section",
        { class: "reseau__quadrant", "data-quadrant-list": q.id },
        el("h3", {}, `${q.label} (${q.contacts.length})`),
        q.contacts.length
          ? el("ul", { class: "reseau__names" }, ...q.contacts.map((id) => el("li", {}, labels.get(id) ?? id)))
          : el("p", {}, "Aucun contact ici pour l’instant."),
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
            ? link(pageURL(view, give, c.id), `Évaluer ce que vous donnez à ${c.label}`)
            : link(pageURL(view, receive, c.id), `Évaluer ce que ${c.label} vous apporte`),
        ),
      ),
    ),
  ];
}

// --- Groups ------------------------------------------------------------------------------------

function groupSection(view) {
  const groups = view.groups;
  const page = pageURL(view, "groupe");
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
        el("th", { scope: "row" }, g.label),
        el(
          "td",
          {},
          latest ? latest.verdict_label : "Pas encore évalué",
          isCostly ? el("span", { class: "reseau__badge" }, "à revoir") : "",
        ),
        el("td", {}, latest ? formatScore(latest.score) + trendText(g.trend) : "—"),
        el("td", {}, Number.isInteger(latest?.minutes) ? hours(latest.minutes) : "—"),
        el("td", {}, latest ? formatDate(latest.date) : "—"),
        el("td", { class: "reseau__links" }, link(pageURL(view, "groupe", g.id), "Réévaluer", ` ${g.label}`)),
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
    el(
      "div",
      { class: "md-typeset__scrollwrap" },
      el(
        "div",
        { class: "md-typeset__table" },
        el(
          "table",
          { "data-group-table": "" },
          el("caption", {}, "Le dernier verdict de chaque groupe, et le temps que vous y passez."),
          el(
            "thead",
            {},
            el(
              "tr",
              {},
              ...["Groupe", "Verdict", "Bilan", "Heures par mois", "Dernière évaluation"].map((h) =>
                el("th", { scope: "col" }, h),
              ),
              el("th", { scope: "col", class: "reseau__links" }, "Évaluer"),
            ),
          ),
          el("tbody", {}, ...rows),
        ),
      ),
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
            el("strong", {}, g.label),
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

function selfSection(view) {
  const self = view.self;
  const latest = self?.latest;
  if (!latest) {
    const page = pageURL(view, "apport", self?.id);
    return [
      el(
        "p",
        {},
        "Quelle valeur apportez-vous au réseau\u202f? Faites le point sur votre propre manière " +
          "d’échanger, à la lumière des dix règles\u00a0: quelques minutes suffisent.",
      ),
      page ? el("p", {}, el("a", { class: "md-button md-button--primary", href: page }, "Faire le point sur votre apport")) : "",
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
    el("p", {}, link(pageURL(view, "apport", self.id), "Refaire le point sur votre apport", "", { class: "md-button" })),
  ];
}

// --- Time (rule 6) -----------------------------------------------------------------------------

function timeSection(view) {
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
  const width = 600;
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

// --- What to do now ----------------------------------------------------------------------------

/** The contacts grouped by what their latest verdict suggests, and whatever is due again. */
function actionLists(view) {
  const bands = view.summary.bands;
  const evaluated = view.contacts.filter((c) => c.latest);
  const first = bands[0]?.id;
  const last = bands[bands.length - 1]?.id;
  const now = Date.now();
  const entries = [...view.contacts, ...view.groups, ...(view.self ? [view.self] : [])];
  const stale = entries.filter(
    (c) => !c.latest || now - new Date(c.latest.date).getTime() > STALE_DAYS * DAY_MS,
  );
  const list = (title, advice, contacts) => {
    if (contacts.length === 0) return [];
    return [
      el("h3", {}, `${title} (${contacts.length})`),
      el("p", {}, advice),
      el("ul", {}, ...contacts.map((c) => el("li", {}, c.kind === "soi" ? "Votre apport au réseau" : c.label))),
    ];
  };
  return [
    ...list(
      "À cultiver",
      "Ces relations vous enrichissent\u00a0: donnez-leur du temps, et rendez autant que vous recevez.",
      evaluated.filter((c) => c.latest.verdict === first),
    ),
    ...list(
      "À surveiller",
      "Le bilan est moyen ou mitigé\u00a0: observez comment ces relations évoluent.",
      evaluated.filter((c) => c.latest.verdict !== first && c.latest.verdict !== last),
    ),
    ...list(
      "À laisser partir",
      "Ces relations vous coûtent plus qu’elles ne vous apportent. On n’est pas obligé de rester (règle 10).",
      evaluated.filter((c) => c.latest.verdict === last),
    ),
    ...list(
      "À réévaluer",
      `Pas d’évaluation depuis plus de ${STALE_DAYS} jours\u00a0: refaites le point.`,
      stale,
    ),
  ];
}

// --- History -----------------------------------------------------------------------------------

/** One entry: its history as a chart and a list, and what can be done with it. */
function details(view, contact, edit) {
  const kind = contact.kind ?? "contact";
  const { receive, give } = sides(view);
  const sideNames = { [receive]: view.map?.receive.label, [give]: view.map?.give.label };
  const mixed = new Set(contact.evaluations.map((e) => e.questionnaire)).size > 1;
  const name = kind === "soi" ? "votre apport" : contact.label;
  const history = contact.evaluations.map((evaluation) => {
    const remove = el("button", { type: "button", class: "md-button reseau__small" }, "Supprimer");
    remove.addEventListener("click", () => {
      const when = formatDate(evaluation.date);
      const whose = kind === "soi" ? "de votre apport" : `de ${quoted(contact.label)}`;
      if (window.confirm(`Supprimer l’évaluation du ${when} ${whose}\u202f?`)) {
        edit({ op: "delete-evaluation", contact_id: contact.id, evaluation_id: evaluation.id });
      }
    });
    const side = mixed && sideNames[evaluation.questionnaire] ? `${sideNames[evaluation.questionnaire]} — ` : "";
    const time = Number.isInteger(evaluation.minutes) ? `, ${hours(evaluation.minutes)} par mois` : "";
    return el(
      "li",
      { "data-evaluation": evaluation.id, "data-questionnaire": evaluation.questionnaire },
      `${formatDate(evaluation.date)}\u00a0: ${side}${evaluation.verdict_label}, bilan ${formatScore(evaluation.score)}${time}`,
      evaluation.provisional ? " (provisoire) " : " ",
      remove,
    );
  });
  const buttons = [];
  if (kind === "contact") {
    buttons.push(
      link(pageURL(view, receive, contact.id), `Réévaluer ${contact.label}`, "", { class: "md-button md-button--primary" }),
      link(pageURL(view, give, contact.id), `Ce que je donne à ${contact.label}`, "", { class: "md-button" }),
    );
  } else if (kind === "groupe") {
    buttons.push(link(pageURL(view, "groupe", contact.id), `Réévaluer ${contact.label}`, "", { class: "md-button md-button--primary" }));
  } else {
    buttons.push(link(pageURL(view, "apport", contact.id), "Refaire le point sur votre apport", "", { class: "md-button md-button--primary" }));
  }
  if (kind !== "soi") {
    const rename = el("input", { type: "text", maxlength: "80", "aria-label": `Nouveau nom pour ${contact.label}` });
    rename.value = contact.label;
    const renameButton = el("button", { type: "button", class: "md-button" }, "Renommer");
    renameButton.addEventListener("click", () => {
      edit({ op: "rename", contact_id: contact.id, label: rename.value.trim() });
    });
    buttons.push(rename, renameButton);
  }
  const what = { contact: "ce contact", groupe: "ce groupe", soi: "votre apport" }[kind] ?? "ce contact";
  const removeContact = el("button", { type: "button", class: "md-button" }, `Supprimer ${what}`);
  removeContact.addEventListener("click", () => {
    const sure = window.confirm(`Supprimer ${kind === "soi" ? "votre apport" : quoted(contact.label)} et toutes ses évaluations\u202f?`);
    if (sure) edit({ op: "delete-contact", contact_id: contact.id });
  });
  buttons.push(removeContact);
  const latest = contact.latest;
  const title = { contact: contact.label, groupe: `${contact.label} (groupe)`, soi: "Votre apport au réseau" }[kind] ?? contact.label;
  // The chart follows one questionnaire: the scores of two questionnaires are not on one scale.
  const main = latest ? contact.evaluations.filter((e) => e.questionnaire === latest.questionnaire) : [];
  return el(
    "details",
    { class: "reseau__contact", "data-contact": contact.id, "data-kind": kind },
    el("summary", {}, latest ? `${title} — ${latest.verdict_label}` : title),
    main.length > 1 ? scoreChart(name, main) : "",
    el("ol", { class: "reseau__history" }, ...history),
    el("p", { class: "reseau__buttons" }, ...buttons),
  );
}

/** The score of each evaluation over time, on the questionnaire's whole scale. */
function scoreChart(name, points) {
  const [low, high] = [points[0].score_min, points[0].score_max];
  const width = 560;
  const height = 160;
  const x = (i) => 40 + (i * (width - 60)) / Math.max(1, points.length - 1);
  const y = (score) => 16 + ((high - score) * (height - 40)) / Math.max(1, high - low);
  const described = points.map((p) => `${formatDate(p.date)}\u00a0: ${formatScore(p.score)}`).join(", ");
  return svg(
    "svg",
    {
      viewBox: `0 0 ${width} ${height}`,
      role: "img",
      class: "reseau__history-chart",
      "aria-label": `Évolution du bilan de ${name}\u00a0: ${described}`,
    },
    svg("line", { x1: 40, x2: width - 20, y1: y(0), y2: y(0), class: "reseau__axis" }),
    svg("text", { x: 0, y: y(high) + 5, class: "reseau__chart-count" }, formatScore(high)),
    svg("text", { x: 0, y: y(0) + 5, class: "reseau__chart-count" }, "0"),
    svg("text", { x: 0, y: y(low) + 5, class: "reseau__chart-count" }, formatScore(low)),
    svg("polyline", {
      points: points.map((p, i) => `${x(i)},${y(p.score)}`).join(" "),
      class: "reseau__line",
    }),
    ...points.map((p, i) =>
      svg(
        "circle",
        { cx: x(i), cy: y(p.score), r: 5, class: "reseau__point" },
        svg("title", {}, `${formatDate(p.date)}\u00a0: ${p.verdict_label} (${formatScore(p.score)})`),
      ),
    ),
  );
}

function importPreview(preview) {
  const items = [];
  const line = (text) => items.push(el("li", {}, text));
  for (const contact of preview.new_contacts) {
    const n = contact.evaluations;
    const count = `(${n} évaluation${n > 1 ? "s" : ""})`;
    // The kind, when the preview gives it; an entry without one is a contact.
    if (contact.kind === "soi") line(`Votre apport au réseau ${count}`);
    else if (contact.kind === "groupe") line(`Nouveau groupe ${quoted(contact.label)} ${count}`);
    else line(`Nouveau contact ${quoted(contact.label)} ${count}`);
  }
  for (const evaluation of preview.new_evaluations) {
    line(`Nouvelle évaluation du ${formatDate(evaluation.date)} pour ${quoted(evaluation.contact_label)}`);
  }
  for (const conflict of preview.conflicts) {
    const what = conflict.kind === "contact" ? "Contact" : "Évaluation";
    line(`${what} présent des deux côtés avec un contenu différent\u00a0: ${quoted(conflict.label)}`);
  }
  if (items.length === 0) line("Ce fichier ne contient rien de nouveau.");
  return [el("ul", {}, ...items)];
}
