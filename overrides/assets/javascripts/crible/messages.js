// Messages for people (FRENCH.md, « Interface »): what happened, where, and what to do, in
// sentences that read alone; several problems as a list. Key paths and the engine's technical
// reasons (the browser's and Python's, often in English) stay available, but only inside a
// « Détails » disclosure, as code: the visitor never reads them as the message.
//
// A problem is what scoring.browser returns: {message, fix, where?, path, detail?} (see its
// docstring); `where` already names the contact and the evaluation's date in French.
import { el } from "./dom.js";
import { StoreError } from "./store.js";

const sentence = (text) => {
  const trimmed = text.trim();
  if (!trimmed) return "";
  const capital = trimmed.charAt(0).toLocaleUpperCase("fr") + trimmed.slice(1);
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`;
};

/** One problem as sentences: "Contact « Alice », évaluation du 3 décembre 2026 : critère… ." */
export function problemText(problem) {
  const what = sentence(problem.message ?? "");
  const located = problem.where
    ? `${problem.where}\u00a0: ${what.charAt(0).toLocaleLowerCase("fr")}${what.slice(1)}`
    : what;
  return [located, sentence(problem.fix ?? "")].filter(Boolean).join(" ");
}

/**
 * A message node: `lead` (what happened, a sentence), the problems (one paragraph, or a list
 * when there are several), and « Détails » with each problem's key path and the `failures`
 * (errors or strings: an engine's reason, an exception) when there is any. A StoreError is
 * said for people (store.js): it becomes a problem; any other failure stays in « Détails ».
 */
export function messageNode(lead, given = [], failures = []) {
  const problems = [...given];
  const technical = [];
  for (const failure of failures) {
    if (failure instanceof StoreError) problems.push({ message: failure.message, detail: failure.detail });
    else technical.push(technicalReason(failure));
  }
  const node = el("div", { class: "crible-message", "data-message": "" });
  if (lead) node.append(el("p", {}, sentence(lead)));
  if (problems.length === 1) node.append(el("p", {}, problemText(problems[0])));
  if (problems.length > 1) {
    node.append(el("ul", {}, ...problems.map((problem) => el("li", {}, problemText(problem)))));
  }
  const details = [
    ...problems
      .filter((problem) => problem.path || problem.detail)
      .map((problem) => [problem.path, problem.detail].filter(Boolean).join(" — ")),
    ...technical.filter(Boolean).map(String),
  ];
  if (details.length > 0) {
    node.append(
      el(
        "details",
        { class: "crible-message__details", "data-message-details": "" },
        el("summary", {}, "Détails"),
        el("ul", {}, ...details.map((detail) => el("li", {}, el("code", {}, detail)))),
      ),
    );
  }
  return node;
}

/** The reason an engine call or start failed, for « Détails »: never shown as the message. */
export function technicalReason(error) {
  if (error === null || error === undefined) return "";
  return typeof error === "string" ? error : error.message || error.name || String(error);
}

/**
 * What a caught failure says: `lead` (nothing was done), then the storage's own sentence for
 * a StoreError, or, for anything else (an engine call that failed), to reload and retry; the
 * technical reason in « Détails ».
 */
export function failureNode(lead, error) {
  if (error instanceof StoreError) return messageNode(lead, [], [error]);
  return messageNode(`${lead}. Rechargez la page, puis réessayez`, [], [error]);
}
