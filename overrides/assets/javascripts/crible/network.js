// "Mon réseau": the saved contacts, groups and self-assessment, their latest verdicts, the
// win-win map (what you receive × what you give), the balance of your time (rule 6), their
// history, and the visitor's data (export, import, print, erase). The archive text lives in
// localStorage (store.js); every summary and every change of it is computed by scoring in the
// worker, so the page only renders, with text nodes: a label is never parsed as HTML, here or
// in the charts. The map is drawn by reseau-map.js; groups, self and time by reseau-sections.js.

import { engineFor } from "./engine.js";
import { winWinMap } from "./reseau-map.js";
import {
  bandChart,
  countsText,
  hours,
  labelCells,
  link,
  sides,
  trendText,
  viewOf,
} from "./reseau-parts.js";
import { groupSection, selfSection, timeSection } from "./reseau-sections.js";
import { mountReviewsCalendar, renderEvolution } from "./reseau-history.js";
import { mountContactsImport } from "./reseau-import.js";
import { el, formatDate, formatScore, isolated, named, quoted, quotedName, plural } from "./dom.js";
import { archiveKey, changeArchive, download, eraseAll, onArchiveChange, readArchive, readTextFile } from "./store.js";
import { failureNode, messageNode } from "./messages.js";
import { kindOf, mainPage, pageOf, subject } from "./domain.js";


export function mountNetwork(root) {
  if (root.dataset.mounted) return;
  root.dataset.mounted = "true";
  const engine = engineFor();
  const status = root.querySelector("[data-status]");
  const dataStatus = root.querySelector("[data-data-status]");
  const parts = {
    empty: root.querySelector("[data-empty]"),
    corrupt: root.querySelector("[data-corrupt]"),
    newer: root.querySelector("[data-newer]"),
    overview: root.querySelector("[data-overview]"),
  };
  let sort = { key: "label", ascending: true };
  let summary = null;
  let pendingImport = null;

  const show = (name) => {
    for (const [key, node] of Object.entries(parts)) node.hidden = key !== name;
  };
  // Export, print and erase need something stored. `stored` is false only when scoring read
  // the archive and found nothing in it; unreadable storage keeps them, each saying why it did
  // nothing. Import always stays.
  const needData = ["[data-export-json]", "[data-export-csv]", "[data-print]", "[data-erase]"].map(
    (selector) => root.querySelector(selector),
  );
  const nothingStored = root.querySelector("[data-nothing-stored]");
  const offerData = (hasData) => {
    for (const button of needData) button.disabled = !hasData;
    nothingStored.hidden = hasData;
  };
  // What happened, as a sentence or a message node (messages.js).
  const tell = (text) => {
    dataStatus.replaceChildren(text);
  };
  // A refusal: what happened, the problems (where, what to do), « Détails » (messages.js).
  const tellProblem = (lead, problems = [], technical = []) => {
    dataStatus.replaceChildren(messageNode(lead, problems, technical));
  };

  async function refresh() {
    let text;
    try {
      text = readArchive();
    } catch (error) {
      // Nothing can be shown, but the page is no longer loading: say why, once.
      root.dataset.engine = "ready";
      summary = null;
      show(null);
      status.replaceChildren(failureNode("Impossible de lire les données de cet appareil", error));
      return;
    }
    let response;
    try {
      response = await engine.request("network", { current: text });
    } catch (error) {
      root.dataset.engine = "error";
      status.replaceChildren(
        messageNode(
          "Le moteur de calcul a échoué. Vos données sont intactes, mais elles ne peuvent pas " +
            "être affichées ici. Rechargez la page pour réessayer",
          [],
          [error],
        ),
      );
      return;
    }
    root.dataset.engine = "ready";
    // Something is stored unless scoring read it and found nothing (below).
    offerData(response.ok ? response.result.total > 0 : true);
    if (!response.ok && response.errors.some((e) => e.code === "newer-version")) {
      // Written by a newer release of the site: readable there, so never offered for reset.
      summary = null;
      status.textContent =
        "Une version plus récente du site a enregistré ces données\u00a0: rechargez la page.";
      show("newer");
      return;
    }
    if (!response.ok) {
      summary = null;
      status.textContent = "Les données enregistrées sur cet appareil sont illisibles.";
      root.querySelector("[data-corrupt-errors]").replaceChildren(
        ...response.errors.map((e) => el("li", {}, messageNode("", [e]))),
      );
      show("corrupt");
      return;
    }
    summary = response.result;
    renderSetAside(summary.set_aside);
    if (summary.total === 0) {
      status.textContent = "";
      show("empty");
      return;
    }
    status.textContent = countsText(summary) + ignoredText(summary.ignored ?? 0);
    render();
    show("overview");
  }

  /** Stored entries that cannot be read: how many, why, and a download of their text. */
  function renderSetAside(aside) {
    const section = root.querySelector("[data-set-aside]");
    const count = aside?.count ?? 0;
    section.hidden = count === 0;
    if (count === 0) return;
    const one = count === 1;
    root.querySelector("[data-set-aside-text]").textContent =
      `${plural(count, "Une entrée enregistrée", `${count} entrées enregistrées`)} sur cet appareil ` +
      `${one ? "ne peut" : "ne peuvent"} pas être ${one ? "lue" : "lues"}\u00a0: ` +
      `${one ? "elle est gardée telle quelle" : "elles sont gardées telles quelles"}, à part, ` +
      "et le reste de vos données s’affiche et s’enregistre normalement. " +
      `${one ? "Téléchargez-la pour la conserver" : "Téléchargez-les pour les conserver"}\u202f; ` +
      `«\u202fEffacer toutes mes données\u202f» ${one ? "l’effacerait" : "les effacerait"} aussi.`;
    root.querySelector("[data-set-aside-list]").replaceChildren(
      ...aside.entries.map((entry) => {
        const who = entry.label ? quotedName(entry.label) : "";
        const what =
          entry.kind === "evaluation" ? ["Une évaluation de ", who] : entry.label ? ["Le contact ", who] : ["Une entrée"];
        return el("li", { "data-set-aside-entry": entry.kind }, ...what, `\u00a0: ${entry.reason}.`);
      }),
    );
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
    renderEvolution(root, engine); // À revoir, the quarters and each entry's chart
  }

  function renderTable() {
    const table = root.querySelector("[data-table]");
    const view = viewOf(root, summary);
    const rows = [...view.contacts].sort(compare(sort, summary));
    table.tBodies[0].replaceChildren(...rows.map((contact) => row(view, contact)));
    labelCells(table);
    for (const th of table.tHead.rows[0].cells) {
      const key = th.querySelector("button")?.dataset.sort;
      if (key === sort.key) th.setAttribute("aria-sort", sort.ascending ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    }
  }

  /**
   * Apply one change through scoring, under the archive's lock and on its freshest text (a
   * save made meanwhile in another tab is kept), then show the result.
   */
  async function edit(change) {
    const outcome = await changeWith((current) => engine.request("update", { current, ...change }));
    if (!outcome) return false;
    await refresh();
    return true;
  }

  /**
   * Run `request(current)` (a scoring call answering {ok, result: {archive}} or {ok: false,
   * errors}) inside store.js's changeArchive; say why nothing changed if it failed.
   * Resolves to the response's result, or null.
   */
  async function changeWith(request) {
    try {
      const outcome = await changeArchive(async (current) => {
        const response = await request(current);
        if (!response.ok) return { refused: response.errors };
        return { archive: response.result.archive, result: response.result };
      });
      if (outcome.refused) {
        tellProblem("Rien n’a été modifié", outcome.refused);
        return null;
      }
      return outcome.result;
    } catch (error) {
      dataStatus.replaceChildren(failureNode("Rien n’a été modifié", error));
      return null;
    }
  }

  /** The stored text, or null after saying why it cannot be read. */
  function stored(what) {
    try {
      return readArchive();
    } catch (error) {
      dataStatus.replaceChildren(failureNode(what, error));
      return null;
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
  /** Download the stored archive; says what happened through `say` (a sentence or a node). */
  const exportJSON = (say) => {
    let text;
    try {
      text = readArchive();
    } catch (error) {
      return say(failureNode("Rien n’a été exporté", error));
    }
    if (!text) return say("Il n’y a rien à exporter pour l’instant.");
    download(`crible-reseau-${today()}.json`, text, "application/json");
    return say("Le fichier d’export a été créé dans votre navigateur.");
  };
  root.querySelector("[data-export-json]").addEventListener("click", () => exportJSON(tell));
  root.querySelector("[data-export-csv]").addEventListener("click", async () => {
    const text = stored("Rien n’a été exporté");
    if (text === null) return;
    let response;
    try {
      response = await engine.request("export_csv", { current: text });
    } catch (error) {
      return dataStatus.replaceChildren(failureNode("Rien n’a été exporté", error));
    }
    if (!response.ok) return tellProblem("Rien n’a été exporté", response.errors);
    download(`crible-reseau-${today()}.csv`, response.result.csv, "text/csv;charset=utf-8");
    tell("Le tableau a été créé dans votre navigateur.");
  });
  root.querySelector("[data-print]").addEventListener("click", () => window.print());
  const eraseDialog = root.querySelector("[data-erase-dialog]");
  const eraseStatus = root.querySelector("[data-erase-status]");
  root.querySelector("[data-erase]").addEventListener("click", () => {
    // What is there, in the words of the page's status line; unreadable storage says nothing.
    root.querySelector("[data-erase-what]").textContent = summary ? countsText(summary) : "";
    eraseStatus.textContent = "";
    eraseDialog.showModal();
  });
  const cancelErase = () => {
    eraseDialog.close();
    tell("Rien n’a été effacé.");
  };
  root.querySelector("[data-erase-cancel]").addEventListener("click", cancelErase);
  eraseDialog.addEventListener("cancel", cancelErase); // Escape: the same as "Annuler"
  root.querySelector("[data-erase-export]").addEventListener("click", () => {
    // The dialog stays open: the visitor erases, or not, once the file is saved.
    exportJSON((text) => {
      eraseStatus.replaceChildren(text);
    });
  });
  root.querySelector("[data-erase-confirm]").addEventListener("click", async () => {
    eraseDialog.close();
    try {
      // Under the lock too: a save in another tab is either before (and erased, as asked) or
      // after (and kept), never half-done.
      await (navigator.locks?.request ? navigator.locks.request(archiveKey(), eraseAll) : eraseAll());
    } catch (error) {
      return dataStatus.replaceChildren(failureNode("Rien n’a été effacé", error));
    }
    await refresh();
    tell("Toutes vos données ont été effacées de ce navigateur.");
  });

  const input = root.querySelector("[data-import]");
  const dialog = root.querySelector("[data-import-dialog]");
  input.addEventListener("change", async () => {
    const file = input.files?.[0];
    input.value = "";
    if (!file) return;
    let incoming;
    try {
      incoming = await readTextFile(file);
    } catch (error) {
      tell(`Ce fichier n’a pas été importé, rien n’a changé\u00a0: ${error.message}.`);
      return;
    }
    const current = stored("Ce fichier n’a pas été importé, rien n’a changé");
    if (current === null) return;
    let response;
    try {
      response = await engine.request("import_preview", { current, incoming });
    } catch (error) {
      const lead =
        "Ce fichier n’a pas été importé, rien n’a changé. Le moteur de calcul a échoué. " +
        "Rechargez la page, puis réessayez";
      return tellProblem(lead, [], [error]);
    }
    if (!response.ok) {
      const lead = response.errors.length > 1
        ? `Ce fichier n’a pas été importé, rien n’a changé. Il présente ${response.errors.length} problèmes`
        : "Ce fichier n’a pas été importé, rien n’a changé";
      tellProblem(lead, response.errors);
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
    const result = await changeWith((current) => engine.request("import_apply", { current, incoming, mode }));
    if (result) {
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
  const downloadRaw = () => {
    const text = stored("Rien n’a été exporté");
    if (text === null) return false;
    download(`crible-donnees-brutes-${today()}.txt`, text, "text/plain");
    return true;
  };
  // Unreadable data can be reset only once it has been downloaded as it is.
  root.querySelector("[data-download-raw]").addEventListener("click", () => {
    if (downloadRaw()) root.querySelector("[data-reset]").disabled = false;
  });
  root.querySelector("[data-download-newer]").addEventListener("click", downloadRaw);
  root.querySelector("[data-download-aside]").addEventListener("click", () => {
    if (!summary?.set_aside?.text) return;
    download(`crible-entrees-mises-de-cote-${today()}.json`, summary.set_aside.text, "application/json");
    tell("Les entrées mises de côté ont été téléchargées, telles quelles.");
  });
  root.querySelector("[data-reload]").addEventListener("click", () => window.location.reload());
  root.querySelector("[data-reset]").addEventListener("click", async () => {
    if (!window.confirm("Effacer les données illisibles de cet appareil\u202f?")) return;
    try {
      window.localStorage.removeItem(archiveKey());
    } catch (error) {
      return tellProblem("Rien n’a été effacé. Le stockage de ce navigateur est inaccessible", [], [error]);
    }
    await refresh();
  });

  mountContactsImport(root, engine, { changeWith, refresh, tell, stored });
  mountReviewsCalendar(root, engine, tell);

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
    status.replaceChildren(
      messageNode(
        "Le moteur de calcul n’a pas pu démarrer dans ce navigateur. Vos données sont intactes, " +
          "mais elles ne peuvent pas être affichées ici. Rechargez la page pour réessayer",
        [],
        [error],
      ),
    );
  });
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
    el("th", { scope: "row" }, named(contact.label)),
    el("td", {}, latest ? latest.verdict_label : "Pas encore évalué"),
    el("td", {}, latest ? formatScore(latest.score) + trendText(contact.trend) : "—"),
    el("td", {}, give ? `${give.verdict_label} (${formatScore(give.score)})` : "Pas encore évalué"),
    el("td", {}, latest ? formatDate(latest.date) : "—"),
    el("td", {}, String(contact.evaluations.length)),
    el(
      "td",
      { class: "reseau__links" },
      link(pageOf(receive, contact.id), latest ? "Réévaluer" : "Évaluer", el("span", {}, " ", named(contact.label)), {
        "data-reevaluate": "",
      }),
      " ",
      link(pageOf(giveQuestionnaire, contact.id), "Ce que vous lui donnez", el("span", {}, " (", named(contact.label), ")"), {
        "data-give-link": "",
      }),
    ),
  );
}

// --- What to do now ----------------------------------------------------------------------------

/**
 * The contacts grouped by their latest verdict, one list per band of the definition, under the
 * band's own label and advice (the same words as the chart, the table and the details: the
 * page names no verdict itself), then whatever is due for a new evaluation.
 */
function actionLists(view) {
  const advice = new Map((view.contactDefinition?.bands ?? []).map((b) => [b.id, b.advice]));
  const evaluated = view.contacts.filter((c) => c.latest);
  const list = (attributes, title, text, contacts) => {
    if (contacts.length === 0) return [];
    return [
      el(
        "section",
        { class: "reseau__action", ...attributes },
        el("h3", {}, `${title} (${contacts.length})`),
        text ? el("p", {}, text) : "",
        el(
          "ul",
          {},
          ...contacts.map((c) =>
            el("li", { "data-contact": c.id }, entryName(c)),
          ),
        ),
      ),
    ];
  };
  return [
    ...view.summary.bands.flatMap((band) =>
      list(
        { "data-action-band": band.id },
        band.label,
        advice.get(band.id),
        evaluated.filter((c) => c.latest.verdict === band.id),
      ),
    ),
  ]; // what is due again: « À revoir » (reseau-history.js), from the definitions' cadence
}

// --- History -----------------------------------------------------------------------------------

/** One entry: its history as a chart and a list, and what can be done with it. */
function details(view, contact, edit) {
  const kind = kindOf(contact);
  const about = subject(kind);
  const { receive, give } = sides(view);
  const sideNames = { [receive]: view.map?.receive.label, [give]: view.map?.give.label };
  const mixed = new Set(contact.evaluations.map((e) => e.questionnaire)).size > 1;
  const history = contact.evaluations.map((evaluation) => {
    const remove = el("button", { type: "button", class: "md-button reseau__small" }, "Supprimer");
    remove.addEventListener("click", () => {
      const when = formatDate(evaluation.date);
      const whose = `de ${about.single ? about.this : quoted(isolated(contact.label))}`;
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
  // Kept but counted nowhere (a date ahead, a criterion the site no longer has): said so.
  const ignored = (contact.ignored ?? []).map((evaluation) => {
    const remove = el("button", { type: "button", class: "md-button reseau__small" }, "Supprimer");
    remove.addEventListener("click", () => {
      if (window.confirm(`Supprimer l’évaluation ignorée du ${formatDate(evaluation.date)}\u202f?`)) {
        edit({ op: "delete-evaluation", contact_id: contact.id, evaluation_id: evaluation.id });
      }
    });
    return el(
      "li",
      { class: "reseau__ignored", "data-evaluation": evaluation.id, "data-ignored": "" },
      `${formatDate(evaluation.date)}\u00a0: évaluation ignorée (${evaluation.reason}), gardée telle quelle, ` +
        "sans effet sur le bilan. ",
      remove,
    );
  });
  const buttons = [];
  const label = named(contact.label);
  // The people of the map also have the other side: what you give them.
  const reevaluate = about.single
    ? about.reevaluate
    : el("span", {}, `${about.reevaluate} `, label);
  buttons.push(link(mainPage(kind, contact.id), reevaluate, "", { class: "md-button md-button--primary" }));
  if (kind === view.people.subject?.id) {
    buttons.push(
      link(pageOf(give, contact.id), el("span", {}, "Ce que vous donnez à ", named(contact.label)), "", { class: "md-button" }),
    );
  }
  if (!about.single) {
    const rename = el("input", { type: "text", maxlength: "80", dir: "auto", "aria-label": `Nouveau nom pour ${isolated(contact.label)}` });
    rename.value = contact.label;
    const renameButton = el("button", { type: "button", class: "md-button" }, "Renommer");
    renameButton.addEventListener("click", () => {
      edit({ op: "rename", contact_id: contact.id, label: rename.value.trim() });
    });
    buttons.push(rename, renameButton);
  }
  const removeContact = el("button", { type: "button", class: "md-button" }, `Supprimer ${about.this}`);
  removeContact.addEventListener("click", () => {
    const sure = window.confirm(`Supprimer ${about.single ? about.this : quoted(isolated(contact.label))} et toutes ses évaluations\u202f?`);
    if (sure) edit({ op: "delete-contact", contact_id: contact.id });
  });
  buttons.push(removeContact);
  const latest = contact.latest;
  const title = [entryName(contact), about.suffix && !about.single ? ` ${about.suffix}` : ""];
  return el(
    "details",
    { class: "reseau__contact", "data-contact": contact.id, "data-kind": kind },
    el("summary", {}, ...title, latest ? ` — ${latest.verdict_label}` : ignored.length ? " — évaluations ignorées" : ""),
    // Its charts, one per questionnaire (two scales never share one): reseau-history.js.
    el("div", { "data-evolution-for": contact.id }),
    el("ol", { class: "reseau__history" }, ...history, ...ignored),
    el("p", { class: "reseau__buttons" }, ...buttons),
  );
}

/** How the page names an entry: its label (a node), or its subject's title when single. */
function entryName(entry) {
  const about = subject(kindOf(entry));
  return about.single ? about.title : named(entry.label);
}

/** " 2 évaluations ignorées (détail dans la fiche de chaque contact).", or "". */
function ignoredText(count) {
  if (count === 0) return "";
  const words = count === 1 ? "Une évaluation est ignorée" : `${count} évaluations sont ignorées`;
  return ` ${words}\u00a0: gardée${count === 1 ? "" : "s"} telle${count === 1 ? "" : "s"} quelle${count === 1 ? "" : "s"}, sans effet sur les bilans (voir le détail de chaque contact).`;
}

function importPreview(preview) {
  const items = [];
  const line = (...parts) => items.push(el("li", {}, ...parts));
  for (const contact of preview.new_contacts) {
    const n = contact.evaluations;
    const count = `(${n} évaluation${n > 1 ? "s" : ""})`;
    // The kind, when the preview gives it; an entry without one is a person.
    const about = subject(kindOf(contact));
    if (about.single) line(`${about.new} ${count}`);
    else line(`${about.new} `, quotedName(contact.label), ` ${count}`);
  }
  for (const evaluation of preview.new_evaluations) {
    line(`Nouvelle évaluation du ${formatDate(evaluation.date)} pour `, quotedName(evaluation.contact_label));
  }
  for (const conflict of preview.conflicts) {
    // A conflict is about an entry, or about one of its evaluations.
    const what = conflict.kind === "evaluation" ? "Évaluation présente" : "Contact présent";
    line(`${what} des deux côtés avec un contenu différent\u00a0: `, quotedName(conflict.label));
  }
  if (items.length === 0) line("Ce fichier ne contient rien de nouveau.");
  return [el("ul", {}, ...items)];
}
