// The crible page: reads the form, asks the engine, renders the result. The form works before
// the engine is ready (answers are read when it is); every change re-evaluates, latest wins.
// User text only ever reaches the page through text nodes: never parsed as HTML.

import { engineFor } from "./engine.js";
import { el, formatDate, formatPercent, formatScore, quoted } from "./dom.js";
import { newId, readArchive, writeArchive } from "./store.js";

const STATUS = {
  loading: "Le moteur de calcul se prépare. Vous pouvez déjà répondre.",
  ready: "Répondez aux critères\u00a0: le verdict se met à jour à chaque réponse.",
  error:
    "Le moteur de calcul n’a pas pu démarrer dans ce navigateur. Vos réponses sont conservées " +
    "sur la page : utilisez le crible sur papier ci-dessous pour conclure.",
};

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

export function mount(root) {
  if (root.dataset.mounted) return;
  root.dataset.mounted = "true";
  const definition = JSON.parse(root.dataset.definition);
  const ruleTitles = JSON.parse(root.dataset.ruleTitles);
  const status = root.querySelector("[data-status]");
  const form = root.querySelector("form");
  const engine = engineFor();
  let sequence = 0;

  const setState = (state, detail) => {
    root.dataset.engine = state;
    status.textContent = detail ? `${STATUS[state]} (${detail})` : STATUS[state];
  };

  const region = root.querySelector("[data-result]");

  async function evaluate() {
    if (root.dataset.engine !== "ready") return;
    const mine = ++sequence;
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
    if (response.ok) render(root, definition, ruleTitles, response.result);
    else status.textContent = response.errors.map((e) => e.message).join(" ");
    region.setAttribute("aria-busy", "false");
  }

  function fail(error) {
    region.setAttribute("aria-busy", "false");
    setState("error", error?.message);
    root.querySelector("[data-paper]").hidden = false;
  }

  const saving = savingFor(root, engine);

  form.addEventListener("change", evaluate);
  form.addEventListener("input", (event) => {
    if (event.target.name === "label") evaluate();
  });
  form.addEventListener("reset", () => setTimeout(evaluate));
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
  const labelInput = root.querySelector("input[name=label]");
  const networkURL = root.dataset.networkUrl;
  // The contact being re-evaluated (from ?contact=<id>), or the last one saved on this page.
  let target = null;

  const say = (...parts) => status.replaceChildren(...parts);

  async function contacts(text) {
    if (!text) return [];
    const summary = await engine.request("network", text);
    return summary.ok ? summary.result.contacts : [];
  }

  async function loadTarget() {
    section.hidden = false;
    const wanted = new URLSearchParams(window.location.search).get("contact");
    if (!wanted) return;
    let text;
    try {
      text = readArchive();
    } catch {
      return;
    }
    const contact = (await contacts(text)).find((c) => c.id === wanted);
    if (!contact) return;
    target = { id: contact.id, label: contact.label };
    labelInput.value = contact.label;
    const stored = JSON.parse(text).contacts.find((c) => c.id === contact.id);
    const previous = stored.evaluations.find((e) => e.id === contact.latest?.id);
    if (previous) prefill(root, previous);
    const note = root.querySelector("[data-reevaluation]");
    note.textContent = contact.latest
      ? `Réévaluation de ${quoted(contact.label)}. Vos réponses du ${formatDate(contact.latest.date)} ` +
        `sont reprises\u00a0: changez ce qui a changé, puis enregistrez.`
      : `Première évaluation de ${quoted(contact.label)}.`;
    note.hidden = false;
  }

  async function save() {
    const label = labelInput.value.trim();
    if (!label) {
      say("Donnez d’abord un nom à ce contact (un prénom ou un surnom suffit).");
      labelInput.focus();
      return;
    }
    let current;
    try {
      current = readArchive();
    } catch (error) {
      say(`L’évaluation n’a pas été enregistrée\u00a0: ${error.message}.`);
      return;
    }
    // The same contact: the one being re-evaluated, or a saved contact with this very label.
    let contactId = target?.label === label ? target.id : null;
    contactId ??= (await contacts(current)).find((c) => c.label === label)?.id ?? null;
    const now = new Date().toISOString();
    const request = readAnswers(root);
    const evaluation = {
      id: newId("e-"),
      date: now,
      questionnaire: request.questionnaire,
      answers: request.answers,
      ...(request.context ? { context: request.context } : {}),
    };
    const contact = { id: contactId ?? newId("c-"), label };
    const response = await engine.request("update", {
      current,
      op: "record",
      contact,
      evaluation,
      created: now,
    });
    if (!response.ok) {
      const why = response.errors.map((e) => e.message).join("\u202f; ");
      say(`L’évaluation n’a pas été enregistrée\u00a0: ${why}.`);
      return;
    }
    try {
      writeArchive(response.result.archive);
    } catch (error) {
      say(`L’évaluation n’a pas été enregistrée\u00a0: ${error.message}.`);
      return;
    }
    target = contact;
    say(
      `Évaluation de ${quoted(label)} enregistrée sur cet appareil le ${formatDate(now)}. `,
      el("a", { href: networkURL }, "Voir Mon réseau"),
    );
  }

  root.querySelector("[data-save-button]").addEventListener("click", save);
  return { loadTarget };
}

/** Check the radios of a saved evaluation's answers (re-evaluation starts from them). */
function prefill(root, evaluation) {
  for (const [item, value] of Object.entries(evaluation.answers)) {
    const input = root.querySelector(`fieldset[data-item="${CSS.escape(item)}"] input[value="${CSS.escape(value)}"]`);
    if (input) input.checked = true;
  }
  const duration = evaluation.context?.duration;
  if (duration) {
    const input = root.querySelector(`input[name=duration][value="${CSS.escape(duration)}"]`);
    if (input) input.checked = true;
  }
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
  const label = root.querySelector("input[name=label]").value.trim();
  region.dataset.verdict = result.verdict;
  region.dataset.score = String(result.score);
  region.dataset.provisional = String(result.provisional);

  const rulesURL = root.dataset.rulesUrl;
  const weak = result.dimensions.filter((d) => d.weak).map((d) => d.label);
  const reasons = {
    recent: "la relation est encore trop récente pour être jugée (règles 4 et 5)",
    "low-coverage": "moins de la moitié des critères ont une réponse",
  };

  const parts = [
    el(
      "p",
      { class: `crible__verdict crible__verdict--${result.verdict}` },
      label ? `${quoted(label)}\u00a0: ` : "",
      el("strong", {}, result.verdict_label),
    ),
    el(
      "p",
      { class: "crible__score" },
      `Bilan\u00a0: ${formatScore(result.score)} sur une échelle de ${formatScore(result.score_min)} à ${formatScore(result.score_max)}. `,
      `Critères renseignés\u00a0: ${result.answered} sur ${result.total} (${formatPercent(result.coverage)}).`,
    ),
    el("p", { class: "crible__advice" }, result.advice),
  ];
  if (result.provisional) {
    const why = result.provisional_reasons.map((r) => reasons[r] ?? r).join("\u202f; ");
    parts.push(el("p", { class: "crible__provisional" }, `Verdict provisoire\u00a0: ${why}.`));
  }
  parts.push(...list("Ce qui compte pour ce contact", labelsOf(definition, result.positives)));
  parts.push(...list("Ce qui compte contre", labelsOf(definition, result.negatives)));
  if (weak.length) parts.push(el("p", {}, `Points faibles de la relation\u00a0: ${weak.join(", ")}.`));
  parts.push(...list("Réponses à revoir", result.contradictions.map((c) => c.message)));
  if (result.rules.length) {
    parts.push(
      el("h3", {}, "Règles à relire"),
      el(
        "ul",
        { class: "crible__rules" },
        ...result.rules.map((n) =>
          el(
            "li",
            {},
            el("a", { href: `${rulesURL}#regle-${n}` }, `Relire la règle ${n}\u00a0: ${ruleTitles[n] ?? ""}`),
          ),
        ),
      ),
    );
  }
  body.replaceChildren(...parts);
  body.hidden = false;
}
