// The library's settings dialog: what Lectern may do online (the email
// sent to Crossref and Unpaywall, the sources asked, whether new papers
// are looked up at once).

import { api, type OnlineSettings } from "./api";
import { h } from "./dom";
import { showError, toast } from "./feedback";
import { closeModal, openModal } from "./modal";

const SOURCES: [string, string][] = [
  ["huggingface", "Hugging Face (paper search, daily papers)"],
  ["arxiv", "arXiv (at most one request every 3 seconds)"],
  ["crossref", "Crossref (published versions, DOIs)"],
  ["semanticscholar", "Semantic Scholar"],
  ["unpaywall", "Unpaywall (open-access PDFs; needs the email)"],
];

export async function openSettings(): Promise<void> {
  let current: OnlineSettings;
  try {
    current = await api.onlineSettings();
  } catch (e) {
    showError(e);
    return;
  }
  const email = h("input", { id: "settings-email", type: "email", placeholder: "you@example.org", value: current.email ?? "" }) as HTMLInputElement;
  const boxes = SOURCES.map(([name, label]) => {
    const box = h("input", { type: "checkbox", "data-source": name, checked: current.sources.includes(name) }) as HTMLInputElement;
    return { name, box, row: h("label", { class: "check" }, box, ` ${label}`) };
  });
  const fillNew = h("input", { id: "settings-fill-new", type: "checkbox", checked: current.fill_new }) as HTMLInputElement;
  const save = async () => {
    const next: OnlineSettings = {
      ...current,
      email: email.value.trim() || null,
      sources: boxes.filter((b) => b.box.checked).map((b) => b.name),
      fill_new: fillNew.checked,
    };
    try {
      await api.setOnlineSettings(next);
      closeModal();
      toast("Settings saved.");
    } catch (e) {
      showError(e);
    }
  };
  openModal(
    "settings-modal",
    "Settings",
    h("p", {}, "Lectern goes online only when you ask it to find details, add a paper by its identifier or import the day's papers — or, if you turn it on below, for papers you import."),
    h("label", { for: "settings-email" }, "Email for Crossref's polite pool and Unpaywall (optional)"),
    email,
    h("fieldset", {}, h("legend", {}, "Sources asked"), ...boxes.map((b) => b.row)),
    h("label", { class: "check" }, fillNew, " Look up newly imported papers at once"),
    h("div", { class: "actions" },
      h("button", { id: "settings-save", type: "button", class: "primary", onclick: () => void save() }, "Save"),
      h("button", { type: "button", onclick: () => closeModal() }, "Cancel")),
  );
}
