// A questionnaire page (the crible, what you give, a group, your own contribution): reads the
// form, asks the engine, renders the result. The form works before the engine is ready
// (answers are read when it is); every change re-evaluates, latest wins.
// User text only ever reaches the page through text nodes: never parsed as HTML.

import { engineFor } from "./engine.js";
import { el, formatDate, formatPercent, formatScore, quotedName } from "./dom.js";
import { failureNode, messageNode, technicalReason } from "./messages.js";
import { changeArchive, newId, readArchive } from "./store.js";
import { localDay } from "./reseau-history.js";
import { offerUndo } from "./form-undo.js";
import { domain, kindOf, mainPage, rulesWords, subject as subjectNamed, wantedEntry } from "./domain.js";

const STATUS = {
  loading: "Le moteur de calcul se prépare. Vous pouvez déjà répondre.",
  ready: "Répondez aux critères\u00a0: le verdict se met à jour à chaque réponse.",
  error:
    "Le moteur de calcul n’a pas pu démarrer dans ce navigateur. Vos réponses sont conservées " +
    "sur la page\u00a0: utilisez le crible sur papier ci-dessous pour conclure.",
};
// What the summary says when there is no verdict to show (yet).
const SUMMARY = {
  loading: "Le moteur de calcul se prépare\u00a0; vous pouvez déjà répondre.",
  ready: "Répondez à un premier critère\u00a0: le verdict s’affichera ici.",
  error: "Pas de verdict\u00a0: le moteur n’a pas démarré. ",
};
// The worker's start-up stages (worker.js), as the visitor reads them.
const STAGES = {
  runtime: "téléchargement du moteur",
  python: "démarrage de Python",
  scoring: "installation du crible",
};
// A verdict's tone (the band's `tone` in the definition) → the badge's icon. The label says
// the verdict in words: the icon and the colour only repeat it.
const TONE_ICONS = { good: "✓", fair: "≈", warn: "!", bad: "✕" };

// What the page says depends on who is evaluated: the definition's `subject`, which is also
// the kind of the archive entry an evaluation is saved to; its words come from subjects.toml
// through the domain island (domain.js), as does the longest time an evaluation may record.

const hoursFormat = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 2, useGrouping: false });

/**
 * The time field, read: {minutes} (null when empty) or {error}. Hours per month, with a decimal
 * comma or point ("1,5"), become whole minutes.
 */
export function parseHours(text) {
  const typed = text.replace(/\s/g, "");
  if (typed === "") return { minutes: null };
  const minutes = /^\d{1,3}([.,]\d{1,2})?$/.test(typed)
    ? Math.round(Number(typed.replace(",", ".")) * 60)
    : NaN;
  const most = domain().max_minutes;
  if (!(minutes <= most)) {
    return {
      error:
        "le temps indiqué doit être un nombre d’heures par mois, par exemple 2 ou 1,5 " +
        `(${hoursFormat.format(most / 60)} au plus, un mois entier)`,
    };
  }
  return { minutes };
}

/** "1,5": minutes as hours, the way the time field takes them back. */
export function formatHours(minutes) {
  return hoursFormat.format(minutes / 60);
}

/** The answers as scoring expects them: {questionnaire, answers, context}. */
export function readAnswers(root) {
  const form = root.querySelector("form");
  const answers = {};
  for (const fieldset of form.querySelectorAll("fieldset[data-item]")) {
    const checked = fieldset.querySelector("input[type=radio]:checked");
    if (checked) answers[fieldset.dataset.item] = checked.value;
  }
  const request = { questionnaire: root.dataset.questionnaire, answers };
  const duration = form.querySelector("input[name=duration]:checked");
  if (duration) request.context = { duration: duration.value };
  return request;
}

/** The subject of the page's questionnaire (subjects.toml, through domain.js). */
function subjectOf(root) {
  return subjectNamed(root.dataset.subject);
}

export function mount(root) {
  if (root.dataset.mounted) return;
  root.dataset.mounted = "true";
  const definition = JSON.parse(root.dataset.definition);
  const ruleTitles = JSON.parse(root.dataset.ruleTitles);
  const status = root.querySelector("[data-status]");
  const form = root.querySelector("form");
  const engine = engineFor();
  let sequence = 0;

  const region = root.querySelector("[data-result]");
  const summary = summaryOf(root, definition);
  const loading = root.querySelector("[data-loading]");

  const setState = (state, detail) => {
    root.dataset.engine = state;
    // The reason of a failure (the browser's, often English) only in « Détails ».
    if (detail) status.replaceChildren(messageNode(STATUS[state], [], [detail]));
    else status.textContent = STATUS[state];
    loading.hidden = state !== "loading";
    if (state !== "ready") summary.waiting(state);
  };
  setState("loading");

  // Where the start is, while it lasts: "étape 2 sur 3 : démarrage de Python".
  engine.onStage?.(({ stage, index, of }) => {
    if (root.dataset.engine !== "loading" || !STAGES[stage]) return;
    const where = `étape ${index} sur ${of}\u00a0: ${STAGES[stage]}`;
    status.textContent = `Le moteur de calcul se prépare (${where}). Vous pouvez déjà répondre.`;
    loading.value = index;
    summary.waiting("loading", where);
  });

  async function evaluate() {
    const answered = summary.progress();
    if (root.dataset.engine !== "ready") return;
    const mine = ++sequence;
    if (answered === 0) {
      // No verdict before a first answer: a score of 0 would read as "À surveiller".
      clear(root);
      summary.waiting("ready");
      region.setAttribute("aria-busy", "false");
      return;
    }
    // Busy until the latest answers are scored: assistive technologies wait for it, and so
    // can tests, without guessing a delay.
    region.setAttribute("aria-busy", "true");
    let response;
    try {
      response = await engine.request("evaluate", readAnswers(root));
    } catch (error) {
      fail(error);
      return;
    }
    if (mine !== sequence) return; // a newer evaluation is on its way
    if (response.ok) {
      render(root, definition, ruleTitles, response.result);
      summary.verdict(response.result);
    } else status.replaceChildren(messageNode("Le verdict n’a pas pu être calculé", response.errors));
    region.setAttribute("aria-busy", "false");
  }

  function fail(error) {
    region.setAttribute("aria-busy", "false");
    setState("error", technicalReason(error));
    root.querySelector("[data-paper]").hidden = false;
  }

  const saving = savingFor(root, engine);

  // The time spent is saved with the evaluation but plays no part in the verdict.
  form.addEventListener("change", (event) => {
    if (event.target.name !== "hours") evaluate();
  });
  summary.progress();
  form.addEventListener("input", (event) => {
    if (event.target.name === "label") evaluate();
    if (event.target.name === "hours") event.target.removeAttribute("aria-invalid");
  });
  form.addEventListener("reset", () => setTimeout(evaluate));
  offerUndo(form, root.querySelector("[data-reset-answers]"), root.querySelector("[data-reset-status]"), evaluate);
  form.addEventListener("submit", (event) => event.preventDefault());
  root.querySelector("[data-print]").addEventListener("click", () => window.print());

  engine.ready.then(
    async () => {
      setState("ready");
      await saving.loadTarget();
      evaluate();
    },
    (error) => fail(error),
  );
}

/** "Enregistrer sur cet appareil": the evaluation joins the archive kept in this browser. */
function savingFor(root, engine) {
  const section = root.querySelector("[data-save]");
  const status = root.querySelector("[data-save-status]");
  const labelInput = root.querySelector("input[name=label]"); // none for the visitor themself
  const hoursInput = root.querySelector("input[name=hours]"); // only when the time is asked
  const questionnaire = root.dataset.questionnaire;
  const about = subjectOf(root);
  const subject = about.id;
  const networkURL = root.dataset.networkUrl;
  // The entry being re-evaluated (from ?contact=<id>, or the visitor's own entry on a
  // self-assessment), or the last one saved on this page.
  let target = null;

  const say = (...parts) => status.replaceChildren(...parts);

  async function entries(text) {
    if (!text) return [];
    const summary = await engine.request("network", { current: text });
    // A version 1 archive has no kinds: every entry is a contact.
    return summary.ok ? summary.result.contacts.map((c) => ({ ...c, kind: kindOf(c) })) : [];
  }

  // The save section appears once the entry to re-evaluate, if any, is known and prefilled:
  // saving earlier could create a second entry for it.
  async function loadTarget() {
    try {
      await findTarget();
    } finally {
      section.hidden = false;
    }
  }

  async function findTarget() {
    const wanted = wantedEntry();
    if (!wanted && !about.single) return;
    let text;
    try {
      text = readArchive();
    } catch {
      return;
    }
    const all = await entries(text);
    const entry = wanted ? all.find((c) => c.id === wanted) : all.find((c) => c.kind === subject);
    if (!entry) return;
    const note = root.querySelector("[data-reevaluation]");
    if (entry.kind !== subject) {
      // Another kind of entry: its evaluations would not belong here. Say where they do.
      const page = mainPage(entry.kind, entry.id);
      note.replaceChildren(
        quotedName(entry.label),
        ` est enregistré comme ${subjectNamed(entry.kind).saved_as}\u00a0: ` +
          `ce questionnaire porte sur ${about.saved_as}, il ne lui sera pas ajouté. `,
        page ? el("a", { href: page }, "Ouvrir la bonne page") : "",
      );
      note.hidden = false;
      return;
    }
    target = { id: entry.id, label: entry.label, kind: entry.kind };
    // A name the visitor already typed is theirs: saving under it makes a new entry.
    if (labelInput && !labelInput.value.trim()) labelInput.value = entry.label;
    const latest = entry.evaluations.filter((e) => e.questionnaire === questionnaire).at(-1);
    const stored = JSON.parse(text).contacts.find((c) => c.id === entry.id);
    const previous = latest ? stored?.evaluations.find((e) => e.id === latest.id) : null;
    const kept = previous ? prefill(root, previous) : 0;
    // The label as a node (isolated in a <bdi>): " de « Alice »", or nothing for oneself.
    const who = () => (about.single ? [] : [" de ", quotedName(entry.label)]);
    if (previous && kept > 0) {
      note.replaceChildren(
        "Réévaluation",
        ...who(),
        `. Vos réponses du ${formatDate(latest.date)} ont complété les ` +
          "critères auxquels vous n’aviez pas encore répondu, sans rien changer à vos réponses " +
          "déjà données. Changez ce qui a changé, puis enregistrez.",
      );
    } else if (previous) {
      note.replaceChildren(
        "Réévaluation",
        ...who(),
        `. Vos réponses du ${formatDate(latest.date)} sont reprises\u00a0: ` +
          "changez ce qui a changé, puis enregistrez.",
      );
    } else if (entry.evaluations.length) {
      note.replaceChildren("Première évaluation", ...who(), " avec ce questionnaire.", await datedDuration(text, entry.id));
    } else {
      note.replaceChildren("Première évaluation", ...who(), ".", await datedDuration(text, entry.id));
    }
    note.hidden = false;
  }

  /**
   * A person brought in by an import (Mon réseau), evaluated here for the first time: the
   * relation's duration from the day the import kept (scoring picks the duration), if the
   * visitor has not chosen one. Returns the sentence that says so, or "".
   */
  async function datedDuration(text, id) {
    const response = await engine.request("prefill_duration", { current: text, contact_id: id, questionnaire, today: localDay() });
    const duration = response.ok ? response.result.duration : null;
    const input = duration ? root.querySelector(`input[name=duration][value="${CSS.escape(duration)}"]`) : null;
    if (!input || root.querySelector("input[name=duration]:checked")) return "";
    input.checked = true;
    return " La durée de la relation est préremplie d’après la date de votre mise en relation, gardée à l’import.";
  }

  function refuse(text, field, problems = [], technical = []) {
    say(problems.length || technical.length ? messageNode(text, problems, technical) : text);
    field?.focus();
  }

  async function save() {
    const label = about.single ? about.label : labelInput.value.trim();
    if (!label) return refuse(about.form.unnamed, labelInput);
    const time = hoursInput ? parseHours(hoursInput.value) : { minutes: null };
    if (time.error) {
      hoursInput.setAttribute("aria-invalid", "true");
      return refuse(`L’évaluation n’a pas été enregistrée\u00a0: ${time.error}.`, hoursInput);
    }
    const now = new Date().toISOString();
    const request = readAnswers(root);
    const evaluation = {
      id: newId("e-"),
      date: now,
      questionnaire: request.questionnaire,
      answers: request.answers,
      ...(request.context ? { context: request.context } : {}),
      ...(time.minutes !== null ? { minutes: time.minutes } : {}),
    };
    let contact;
    let outcome;
    try {
      // Under the archive's lock, on the freshest text: a save made by another tab meanwhile
      // is kept (store.js).
      outcome = await changeArchive(async (current) => {
        // The same entry: the one being re-evaluated, the visitor's own, or a saved entry of
        // this kind with this very label.
        let contactId = target && (about.single || target.label === label) ? target.id : null;
        if (contactId === null) {
          const same = (c) => c.kind === subject && (about.single || c.label === label);
          contactId = (await entries(current)).find(same)?.id ?? null;
        }
        contact = { id: contactId ?? newId("c-"), label, kind: subject };
        const response = await engine.request("update", {
          current,
          op: "record",
          contact,
          evaluation,
          created: now,
        });
        if (response.ok) return { archive: response.result.archive };
        if (response.errors.some((e) => e.code === "newer-version")) {
          return {
            refused:
              "Une version plus récente du site a enregistré vos données sur cet appareil, " +
              "et cette page ne doit pas les remplacer. Rechargez la page, puis enregistrez de nouveau",
          };
        }
        return { refused: response.errors };
      });
    } catch (error) {
      say(failureNode("L’évaluation n’a pas été enregistrée", error));
      return undefined;
    }
    if (typeof outcome.refused === "string") {
      return refuse(`L’évaluation n’a pas été enregistrée. ${outcome.refused}.`);
    }
    if (outcome.refused) return refuse("L’évaluation n’a pas été enregistrée", null, outcome.refused);
    target = contact;
    const what = about.single ? ["Votre évaluation"] : ["Évaluation de ", quotedName(label)];
    say(...what, ` enregistrée sur cet appareil le ${formatDate(now)}. `, el("a", { href: networkURL }, "Voir Mon réseau"));
  }

  root.querySelector("[data-save-button]").addEventListener("click", save);
  return { loadTarget };
}

/**
 * Fill the form from a saved evaluation (a re-evaluation starts from it), but only the fields
 * the visitor has left empty: what they answered while the engine was starting is theirs and
 * stays. Returns how many fields kept the visitor's own answer instead.
 */
function prefill(root, evaluation) {
  let kept = 0;
  const check = (selector, name) => {
    const input = root.querySelector(selector);
    if (!input) return;
    if (root.querySelector(`input[name="${CSS.escape(name)}"]:checked`)) kept += 1;
    else input.checked = true;
  };
  for (const [item, value] of Object.entries(evaluation.answers)) {
    check(`fieldset[data-item="${CSS.escape(item)}"] input[value="${CSS.escape(value)}"]`, `item-${item}`);
  }
  const duration = evaluation.context?.duration;
  if (duration) check(`input[name=duration][value="${CSS.escape(duration)}"]`, "duration");
  const hours = root.querySelector("input[name=hours]");
  if (hours && Number.isInteger(evaluation.minutes)) {
    if (hours.value.trim()) kept += 1;
    else hours.value = formatHours(evaluation.minutes);
  }
  return kept;
}

/** Back to "no verdict": before any answer, or after "Effacer les réponses". */
function clear(root) {
  const region = root.querySelector("[data-result]");
  for (const key of ["verdict", "score", "provisional", "tone"]) delete region.dataset[key];
  const body = region.querySelector("[data-result-body]");
  body.replaceChildren();
  body.hidden = true;
}

/**
 * The compact summary ([data-summary], the live region): how many criteria have an answer,
 * a bar, and the verdict or why there is none. It also gives its height to the page's CSS
 * (--crible-summary-height), which keeps the question being answered clear of it.
 */
function summaryOf(root, definition) {
  const box = root.querySelector("[data-summary]");
  const count = box.querySelector("[data-progress]");
  const bar = box.querySelector("[data-progress-bar]");
  const line = box.querySelector("[data-summary-verdict]");
  const total = definition.items.length;
  if ("ResizeObserver" in window) {
    new ResizeObserver(() => {
      root.style.setProperty("--crible-summary-height", `${box.offsetHeight}px`);
    }).observe(box);
  }
  return {
    /** Count the answered criteria, show it, and return it. */
    progress() {
      const answered = root.querySelectorAll("fieldset[data-item] input[type=radio]:checked").length;
      const text = `${answered} sur ${total}`;
      if (count.textContent !== text) count.textContent = text;
      bar.style.width = `${(100 * answered) / total}%`;
      return answered;
    },
    waiting(state, detail) {
      delete box.dataset.tone;
      const parts = [detail ? `Le moteur de calcul se prépare (${detail}).` : SUMMARY[state]];
      if (state === "error") parts.push(el("a", { href: "#crible-paper-title" }, "Le crible sur papier"));
      line.replaceChildren(...parts);
    },
    verdict(result) {
      box.dataset.tone = result.tone;
      line.replaceChildren(badge(result, "crible__badge--small"));
    },
  };
}

/** The verdict badge: icon and colour from the band's tone, the label in words. */
function badge(result, modifier = "") {
  return el(
    "span",
    { class: `crible__badge crible__badge--${result.tone} ${modifier}`.trim(), "data-badge": result.tone },
    el("span", { class: "crible__badge-icon", "aria-hidden": "true" }, TONE_ICONS[result.tone] ?? "•"),
    el("span", { class: "crible-sr" }, "Verdict\u00a0: "),
    el("strong", { "data-verdict-label": "" }, result.verdict_label),
    result.provisional ? el("span", { class: "crible__badge-note" }, " (provisoire)") : "",
  );
}

/** A position on the scale score_min..score_max, as a percentage of its width. */
function along(result, value) {
  return (100 * (value - result.score_min)) / (result.score_max - result.score_min || 1);
}

/**
 * The gauge of the score on its own scale, the bands drawn in their tones, and the coverage.
 * The sentence under it says the same in words (a gauge alone says nothing to everyone).
 */
function gauge(definition, result) {
  const track = el("div", { class: "crible__gauge-track", "aria-hidden": "true" });
  definition.bands.forEach((band, index) => {
    const upper = index === 0 ? result.score_max : definition.bands[index - 1].min_score;
    const lower = Math.max(band.min_score, result.score_min);
    const segment = el("span", { class: `crible__gauge-band crible__gauge-band--${band.tone}` });
    segment.style.left = `${along(result, lower)}%`;
    segment.style.width = `${along(result, upper) - along(result, lower)}%`;
    track.append(segment);
  });
  const marker = el("span", { class: "crible__gauge-marker" });
  marker.style.left = `${along(result, result.score)}%`;
  track.append(marker);
  const coverage = el("div", { class: "crible__coverage-track", "aria-hidden": "true" }, el("span"));
  coverage.firstChild.style.width = `${100 * result.coverage}%`;
  return el(
    "div",
    { class: "crible__gauge", "data-gauge": "" },
    track,
    el(
      "p",
      { class: "crible__score" },
      `Bilan\u00a0: ${formatScore(result.score)} sur une échelle de ${formatScore(result.score_min)} à ${formatScore(result.score_max)}.`,
    ),
    coverage,
    el(
      "p",
      { class: "crible__coverage" },
      `Critères renseignés\u00a0: ${result.answered} sur ${result.total} (${formatPercent(result.coverage)}).`,
    ),
  );
}

/** The dimensions at a glance: for each, what speaks for and against, and whether it is weak. */
function dimensions(result) {
  return el(
    "ul",
    { class: "crible__dimensions", "data-dimensions": "" },
    ...result.dimensions.map((d) =>
      el(
        "li",
        { class: `crible__dimension${d.weak ? " crible__dimension--weak" : ""}`, "data-dimension": d.id },
        el("span", { class: "crible__dimension-label" }, d.label),
        el(
          "span",
          { class: "crible__dimension-counts" },
          `${d.favourable} pour, ${d.unfavourable} contre${d.unknown ? `, ${d.unknown} sans réponse` : ""}`,
        ),
        d.weak ? el("span", { class: "crible__dimension-flag" }, "point faible") : "",
      ),
    ),
  );
}

function ruleLink(rulesURL, ruleTitles, n) {
  return el("a", { href: `${rulesURL}#regle-${n}` }, `Relire la règle ${n}\u00a0: ${ruleTitles[n] ?? ""}`);
}

/** Why a rule is among the first: what in this result points to it. */
function ruleReason(rule) {
  if (rule.recent) return "la relation est récente";
  if (rule.weight > 0) {
    const n = rule.items.length;
    return `${n} critère${n > 1 ? "s" : ""} en défaveur`;
  }
  return rule.band ? "conseillée pour ce verdict" : "";
}

function labelsOf(definition, ids) {
  const byId = new Map(definition.items.map((item) => [item.id, item.label]));
  return ids.map((id) => byId.get(id) ?? id);
}

function list(title, items) {
  if (items.length === 0) return [];
  return [el("h3", {}, title), el("ul", {}, ...items.map((text) => el("li", {}, text)))];
}

export function render(root, definition, ruleTitles, result) {
  const region = root.querySelector("[data-result]");
  const body = region.querySelector("[data-result-body]");
  const label = root.querySelector("input[name=label]")?.value.trim() ?? "";
  const texts = subjectOf(root).form;
  region.dataset.verdict = result.verdict;
  region.dataset.score = String(result.score);
  region.dataset.provisional = String(result.provisional);
  region.dataset.tone = result.tone;

  const rulesURL = root.dataset.rulesUrl;
  const rules = rulesWords(domain().recent_rules);
  const reasons = {
    recent: rules ? `${texts.recent} (${rules})` : texts.recent,
    "low-coverage": `moins de ${formatPercent(definition.min_coverage)} des critères ont une réponse`,
  };

  const parts = [
    el(
      "p",
      { class: `crible__verdict crible__verdict--${result.verdict}` },
      label ? el("span", { class: "crible__who" }, quotedName(label), "\u00a0: ") : "",
      badge(result),
    ),
    gauge(definition, result),
    el("p", { class: "crible__advice" }, result.advice),
  ];
  if (result.provisional) {
    const why = result.provisional_reasons.map((r) => reasons[r] ?? r).join("\u202f; ");
    parts.push(el("p", { class: "crible__provisional" }, `Verdict provisoire\u00a0: ${why}.`));
  }
  parts.push(el("h3", {}, texts.dimensions), dimensions(result));
  parts.push(...list(texts.positives, labelsOf(definition, result.positives)));
  parts.push(...list(texts.negatives, labelsOf(definition, result.negatives)));
  parts.push(...list("Réponses à revoir", result.contradictions.map((c) => c.message)));
  const ranked = result.ranked_rules;
  if (ranked.length) {
    const first = ranked.slice(0, result.top_rules);
    parts.push(
      el("h3", {}, "Règles à relire en premier"),
      el(
        "ol",
        { class: "crible__rules", "data-rules": "" },
        ...first.map((rule) => {
          const why = ruleReason(rule);
          return el(
            "li",
            { "data-rule": String(rule.number) },
            ruleLink(rulesURL, ruleTitles, rule.number),
            why ? el("span", { class: "crible__rule-why" }, ` (${why})`) : "",
          );
        }),
      ),
    );
    if (ranked.length > first.length) {
      parts.push(
        el(
          "details",
          { class: "crible__all-rules", "data-all-rules": "" },
          el("summary", {}, `Toutes les règles concernées (${ranked.length})`),
          el(
            "ul",
            {},
            ...result.rules.map((n) => el("li", { "data-rule": String(n) }, ruleLink(rulesURL, ruleTitles, n))),
          ),
        ),
      );
    }
  }
  body.replaceChildren(...parts);
  body.hidden = false;
}
