// "Mon réseau": the saved contacts, their latest verdicts, their history, and the visitor's
// data (export, import, print, erase). The archive text lives in localStorage (store.js);
// every summary and every change of it is computed by scoring in the worker, so the page only
// renders, with text nodes: a label is never parsed as HTML, here or in the charts.

import { engineFor } from "./engine.js";
import { el, formatDate, formatScore, quoted, svg } from "./dom.js";
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
    const n = summary.total;
    status.textContent = `${n} contact${n > 1 ? "s" : ""} enregistré${n > 1 ? "s" : ""} sur cet appareil.`;
    render();
    show("overview");
  }

  function render() {
    root.querySelector("[data-chart]").replaceChildren(...verdictChart(summary));
    renderTable();
    root.querySelector("[data-groups]").replaceChildren(...groups(root, summary));
    root.querySelector("[data-details]").replaceChildren(
      ...summary.contacts.map((contact) => details(root, contact, edit)),
    );
  }

  function renderTable() {
    const table = root.querySelector("[data-table]");
    const rows = [...summary.contacts].sort(compare(sort, summary));
    table.tBodies[0].replaceChildren(...rows.map((contact) => row(root, contact)));
    for (const th of table.tHead.rows[0].cells) {
      const key = th.querySelector("button").dataset.sort;
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

function compare(sort, summary) {
  const order = new Map(summary.bands.map((band, index) => [band.id, index]));
  const value = {
    label: (c) => c.label.toLocaleLowerCase("fr"),
    verdict: (c) => (c.latest ? order.get(c.latest.verdict) ?? 99 : 100),
    score: (c) => c.latest?.score ?? -Infinity,
    date: (c) => c.latest?.date ?? "",
    count: (c) => c.evaluations.length,
  }[sort.key];
  return (a, b) => {
    const [x, y] = [value(a), value(b)];
    const result = typeof x === "string" ? x.localeCompare(y, "fr") : x - y;
    return sort.ascending ? result : -result;
  };
}

function row(root, contact) {
  const latest = contact.latest;
  return el(
    "tr",
    { "data-contact": contact.id, "data-verdict": latest?.verdict ?? "" },
    el("th", { scope: "row" }, contact.label),
    el("td", {}, latest ? latest.verdict_label : "Pas encore évalué"),
    el("td", {}, latest ? formatScore(latest.score) + trendText(contact.trend) : "—"),
    el("td", {}, latest ? formatDate(latest.date) : "—"),
    el("td", {}, String(contact.evaluations.length)),
  );
}

function trendText(trend) {
  if (trend === null || trend === 0) return "";
  return ` (${trend > 0 ? "en hausse" : "en baisse"} de ${Math.abs(trend)})`;
}

const BAND_COLOURS = ["#1b5e20", "#00695c", "#b26a00", "#b71c1c"];

/** Horizontal bars: how many contacts got each verdict last time. */
function verdictChart(summary) {
  const max = Math.max(1, ...summary.bands.map((band) => band.count));
  const rowHeight = 36;
  const height = summary.bands.length * rowHeight + 8;
  const described = summary.bands.map((band) => `${band.label}\u00a0: ${band.count}`).join(", ");
  const chart = svg(
    "svg",
    { viewBox: `0 0 600 ${height}`, role: "img", "aria-label": `Verdicts de vos contacts\u00a0: ${described}` },
    ...summary.bands.flatMap((band, index) => {
      const y = 4 + index * rowHeight;
      const width = (band.count / max) * 330;
      return [
        svg("text", { x: 0, y: y + 22, class: "reseau__chart-label" }, band.label),
        svg("rect", {
          x: 200,
          y: y + 4,
          width: Math.max(width, 2),
          height: 24,
          rx: 3,
          fill: BAND_COLOURS[Math.min(index, BAND_COLOURS.length - 1)],
        }),
        svg("text", { x: 208 + width, y: y + 22, class: "reseau__chart-count" }, String(band.count)),
      ];
    }),
  );
  return [chart, el("figcaption", {}, `Dernier verdict de chaque contact évalué (${summary.evaluated}).`)];
}

function groups(root, summary) {
  const bands = summary.bands;
  const evaluated = summary.contacts.filter((c) => c.latest);
  const first = bands[0]?.id;
  const last = bands[bands.length - 1]?.id;
  const now = Date.now();
  const stale = summary.contacts.filter(
    (c) => !c.latest || now - new Date(c.latest.date).getTime() > STALE_DAYS * DAY_MS,
  );
  const list = (title, advice, contacts) => {
    if (contacts.length === 0) return [];
    return [
      el("h3", {}, `${title} (${contacts.length})`),
      el("p", {}, advice),
      el("ul", {}, ...contacts.map((c) => el("li", {}, c.label))),
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

/** One contact: its history as a chart and a list, and what can be done with it. */
function details(root, contact, edit) {
  const reevaluate = `${root.dataset.cribleUrl}?contact=${encodeURIComponent(contact.id)}`;
  const rename = el("input", { type: "text", maxlength: "80", "aria-label": `Nouveau nom pour ${contact.label}` });
  rename.value = contact.label;
  const history = contact.evaluations.map((evaluation) => {
    const remove = el("button", { type: "button", class: "md-button reseau__small" }, "Supprimer");
    remove.addEventListener("click", () => {
      const when = formatDate(evaluation.date);
      if (window.confirm(`Supprimer l’évaluation du ${when} de ${quoted(contact.label)}\u202f?`)) {
        edit({ op: "delete-evaluation", contact_id: contact.id, evaluation_id: evaluation.id });
      }
    });
    return el(
      "li",
      { "data-evaluation": evaluation.id },
      `${formatDate(evaluation.date)}\u00a0: ${evaluation.verdict_label}, bilan ${formatScore(evaluation.score)}`,
      evaluation.provisional ? " (provisoire) " : " ",
      remove,
    );
  });
  const renameButton = el("button", { type: "button", class: "md-button" }, "Renommer");
  renameButton.addEventListener("click", () => {
    edit({ op: "rename", contact_id: contact.id, label: rename.value.trim() });
  });
  const removeContact = el("button", { type: "button", class: "md-button" }, "Supprimer ce contact");
  removeContact.addEventListener("click", () => {
    const sure = window.confirm(`Supprimer ${quoted(contact.label)} et toutes ses évaluations\u202f?`);
    if (sure) edit({ op: "delete-contact", contact_id: contact.id });
  });
  const latest = contact.latest;
  return el(
    "details",
    { class: "reseau__contact", "data-contact": contact.id },
    el("summary", {}, latest ? `${contact.label} — ${latest.verdict_label}` : contact.label),
    contact.evaluations.length > 1 ? scoreChart(contact) : "",
    el("ol", { class: "reseau__history" }, ...history),
    el(
      "p",
      { class: "reseau__buttons" },
      el("a", { class: "md-button md-button--primary", href: reevaluate }, `Réévaluer ${contact.label}`),
      rename,
      renameButton,
      removeContact,
    ),
  );
}

/** The score of each evaluation over time, on the questionnaire's whole scale. */
function scoreChart(contact) {
  const points = contact.evaluations;
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
      "aria-label": `Évolution du bilan de ${contact.label}\u00a0: ${described}`,
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
      svg("circle", { cx: x(i), cy: y(p.score), r: 5, class: "reseau__point" },
        svg("title", {}, `${formatDate(p.date)}\u00a0: ${p.verdict_label} (${formatScore(p.score)})`)),
    ),
  );
}

function importPreview(preview) {
  const items = [];
  const line = (text) => items.push(el("li", {}, text));
  for (const contact of preview.new_contacts) {
    const n = contact.evaluations;
    line(`Nouveau contact ${quoted(contact.label)} (${n} évaluation${n > 1 ? "s" : ""})`);
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
