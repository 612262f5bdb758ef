// "Effacer les réponses" empties the questionnaire at once (a plain form reset, which works
// before the engine is ready too) and then offers, next to the button, to put every answer
// back: « Réponses effacées. Annuler ». The offer lasts until the visitor answers again:
// restoring over new answers would mix two evaluations.

import { el } from "./dom.js";

/** The state of every named control of `form`: radios checked or not, text typed. */
function stateOf(form) {
  return [...form.elements]
    .filter((element) => element.name)
    .map((element) => ({ element, checked: element.checked, value: element.value }));
}

const isChoice = (element) => element.type === "radio" || element.type === "checkbox";

/**
 * Offer an undo after each reset of `form` that cleared something, in `status` (a role=status
 * element next to the reset button); `restored()` runs once the answers are back.
 */
export function offerUndo(form, resetButton, status, restored) {
  let saved = null;
  const withdraw = () => {
    saved = null;
    status.replaceChildren();
  };
  // "reset" fires before the form is emptied: the state read here is the visitor's answers.
  form.addEventListener("reset", () => {
    const state = stateOf(form);
    const filled = state.some(({ element, checked, value }) => (isChoice(element) ? checked : value.trim()));
    if (!filled) return withdraw();
    saved = state;
    const undo = el(
      "button",
      { type: "button", class: "md-button", "data-undo-reset": "" },
      "Annuler",
      el("span", { class: "crible-sr" }, " l’effacement des réponses"),
    );
    undo.addEventListener("click", () => {
      for (const { element, checked, value } of saved) {
        if (isChoice(element)) element.checked = checked;
        else element.value = value;
      }
      withdraw();
      status.textContent = "Réponses rétablies.";
      resetButton.focus(); // the undo button is gone: the focus stays where it was
      restored();
    });
    status.replaceChildren("Réponses effacées. ", undo);
  });
  // A new answer ends the offer (and the "rétablies" note).
  const answered = () => {
    if (saved !== null || status.textContent) withdraw();
  };
  form.addEventListener("change", answered);
  form.addEventListener("input", answered);
}
