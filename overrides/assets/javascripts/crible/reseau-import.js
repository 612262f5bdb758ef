// "Mon réseau": bring contacts in from LinkedIn's Connections.csv or a plain list of names.
// The file's bytes go to scoring as they are (base64), which judges the encoding and every
// cell (scoring/contacts_import.py); the dialog shows who would be added and who is already
// there; nothing is stored until the visitor ticks people and confirms, and then only under
// the archive's lock (changeWith, i.e. store.js changeArchive). Text nodes only.

import { el, formatDate, named, plural } from "./dom.js";
import { newId } from "./store.js";
import { localDay } from "./reseau-history.js";

/** The file's bytes as base64 (what the worker's JSON can carry unchanged). */
function base64Of(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

const FORMATS = { linkedin: "Export LinkedIn", liste: "Liste de noms" };

/**
 * Wire [data-contacts-import] (the file input) and [data-contacts-dialog]. `changeWith`,
 * `refresh` and `tell` are Mon réseau's own (network.js): a change under the lock, a new
 * render, and a sentence in the data section's status.
 */
export function mountContactsImport(root, engine, { changeWith, refresh, tell, stored }) {
  const input = root.querySelector("[data-contacts-import]");
  const dialog = root.querySelector("[data-contacts-dialog]");
  const preview = root.querySelector("[data-contacts-preview]");
  const add = root.querySelector("[data-contacts-add]");
  let pending = null; // {file: base64, today}

  // "<message> (ligne 2). <fix>": the path of an import's error is its line.
  const refused = (errors) =>
    errors.map((e) => `${e.message}${e.path ? ` (${e.path})` : ""}.${e.fix ? ` ${e.fix}` : ""}`);

  input.addEventListener("change", async () => {
    const file = input.files?.[0];
    input.value = "";
    if (!file) return;
    const nothing = "Aucun contact n’a été importé, rien n’a changé";
    const current = stored(nothing);
    if (current === null) return;
    let data;
    try {
      data = await base64Of(file);
    } catch (error) {
      return tell(`${nothing}\u00a0: le fichier n’a pas pu être lu (${error?.name ?? "erreur inconnue"}).`);
    }
    const today = localDay();
    const response = await engine.request("preview_contacts_import", { current, file: data, today });
    if (!response.ok) {
      const list = root.querySelector("[data-contacts-errors]");
      list.replaceChildren(...refused(response.errors).map((text) => el("li", {}, text)));
      list.hidden = false;
      return tell(`${nothing}\u00a0: ce fichier a été refusé.`);
    }
    root.querySelector("[data-contacts-errors]").hidden = true;
    pending = { file: data, today };
    preview.replaceChildren(...previewOf(response.result));
    add.disabled = true;
    dialog.showModal();
  });

  preview.addEventListener("change", () => {
    add.disabled = !preview.querySelector("input[data-candidate]:checked");
  });

  add.addEventListener("click", async () => {
    const picks = [...preview.querySelectorAll("input[data-candidate]:checked")].map((box) => ({
      line: Number(box.dataset.candidate),
      id: newId("c-"),
    }));
    const keepUrl = preview.querySelector("[data-keep-url]")?.checked ?? false;
    const keepCompany = preview.querySelector("[data-keep-company]")?.checked ?? false;
    const request = pending;
    pending = null;
    dialog.close();
    if (!request || picks.length === 0) return;
    const result = await changeWith((current) =>
      engine.request("apply_contacts_import", {
        current,
        file: request.file,
        today: request.today,
        picks,
        created: new Date().toISOString(),
        keep_url: keepUrl,
        keep_company: keepCompany,
      }),
    );
    if (!result) return;
    await refresh();
    const n = picks.length;
    tell(`${plural(n, "Une personne a été ajoutée", `${n} personnes ont été ajoutées`)} à vos contacts. Évaluez-les avec le crible depuis «\u202fÀ revoir\u202f».`);
  });

  const cancel = () => {
    pending = null;
    dialog.close();
    tell("Import des contacts annulé, rien n’a changé.");
  };
  root.querySelector("[data-contacts-cancel]").addEventListener("click", cancel);
  dialog.addEventListener("cancel", cancel); // Escape: the same as "Annuler"
}

function candidateText(c) {
  const parts = [];
  if (c.company) parts.push(c.company);
  if (c.connected_on) parts.push(`en relation depuis le ${formatDate(`${c.connected_on}T12:00:00`)}`);
  return parts.length ? ` — ${parts.join(", ")}` : "";
}

function previewOf(result) {
  const { new: fresh, present, skipped } = result;
  const counts =
    `${FORMATS[result.format] ?? "Fichier"}\u00a0: ${fresh.length} personne${fresh.length > 1 ? "s" : ""} à ajouter` +
    (present.length ? `, ${present.length} déjà dans vos contacts ou en double` : "") +
    (skipped.length ? `, ${skipped.length} ligne${skipped.length > 1 ? "s" : ""} sans nom ignorée${skipped.length > 1 ? "s" : ""}` : "") +
    ".";
  const boxes = fresh.map((c) =>
    el(
      "li",
      {},
      el(
        "label",
        { class: "reseau-import__choice" },
        el("input", { type: "checkbox", "data-candidate": String(c.line) }),
        el("span", {}, named(c.label), candidateText(c)),
      ),
    ),
  );
  const hasUrl = fresh.some((c) => c.url);
  const hasCompany = fresh.some((c) => c.company);
  const keep = (attribute, text) =>
    el("label", { class: "reseau-import__choice" }, el("input", { type: "checkbox", [attribute]: "" }), el("span", {}, text));
  return [
    el("p", { "data-contacts-counts": "" }, counts),
    fresh.length
      ? el(
          "fieldset",
          { class: "reseau-import__people" },
          el("legend", {}, "Cochez les personnes à ajouter"),
          el("ul", {}, ...boxes),
        )
      : el("p", {}, "Toutes les personnes de ce fichier sont déjà dans vos contacts."),
    hasUrl || hasCompany
      ? el(
          "fieldset",
          { class: "reseau-import__keep" },
          el("legend", {}, "Garder aussi (facultatif)"),
          hasUrl ? keep("data-keep-url", "l’adresse de leur profil") : "",
          hasCompany ? keep("data-keep-company", "leur entreprise") : "",
        )
      : "",
    el("p", { class: "reseau-import__note" }, "Seuls le nom, la date de mise en relation et, si vous les cochez, l’adresse du profil et l’entreprise sont gardés, dans ce navigateur. Les adresses e-mail ne le sont jamais."),
    present.length
      ? el(
          "details",
          { "data-contacts-present": "" },
          el("summary", {}, `Déjà dans vos contacts ou en double (${present.length})`),
          el(
            "ul",
            {},
            ...present.map((c) =>
              el("li", {}, named(c.label), c.status === "repeated" ? ` (en double, comme la ligne ${c.same_as})` : ""),
            ),
          ),
        )
      : "",
  ];
}
