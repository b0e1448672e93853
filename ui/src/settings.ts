// The library's settings dialog: what Lectern may do online (the email
// sent to Crossref and Unpaywall, the sources asked, whether new papers
// are looked up at once), and search by meaning (its model, fetched only
// when the person agrees, and the default search mode).

import { api, type MeaningStatus, type OnlineSettings, type SearchMode } from "./api";
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
  const meaning = await meaningSection();
  openModal(
    "settings-modal",
    "Settings",
    h("p", {}, "Lectern goes online only when you ask it to find details, add a paper by its identifier or import the day's papers — or, if you turn it on below, for papers you import."),
    h("label", { for: "settings-email" }, "Email for Crossref's polite pool and Unpaywall (optional)"),
    email,
    h("fieldset", {}, h("legend", {}, "Sources asked"), ...boxes.map((b) => b.row)),
    h("label", { class: "check" }, fillNew, " Look up newly imported papers at once"),
    meaning,
    h("div", { class: "actions" },
      h("button", { id: "settings-save", type: "button", class: "primary", onclick: () => void save() }, "Save"),
      h("button", { type: "button", onclick: () => closeModal() }, "Cancel")),
  );
}

const MODES: [SearchMode, string][] = [
  ["hybrid", "Words and meaning (the default)"],
  ["words", "Words only"],
  ["meaning", "Meaning only"],
];

/** Search by meaning: what runs where, the model's state, getting it, and
 *  the default mode (saved at once). */
async function meaningSection(): Promise<HTMLElement> {
  const box = h("fieldset", { id: "settings-meaning" }, h("legend", {}, "Search by meaning"));
  let status: MeaningStatus;
  try {
    status = await api.meaningStatus();
  } catch (e) {
    box.appendChild(h("p", { class: "hint" }, e instanceof Error ? e.message : String(e)));
    return box;
  }
  box.appendChild(h("p", {}, "A small language model on this computer finds papers by what they are about, not only by their words. Nothing leaves your machine; without the model, search works by words alone."));
  const state = h("p", { id: "meaning-state" });
  const describe = (s: MeaningStatus) => {
    state.textContent = s.model
      ? `Model ${s.model}${s.runtime ? `, on ${s.runtime}` : ""}: ${s.embedded.toLocaleString()} of ${s.papers.toLocaleString()} papers read.`
      : `No model yet (${s.model_dir}).`;
  };
  describe(status);
  box.appendChild(state);
  const mode = h("select", { id: "settings-search-mode" }, ...MODES.map(([m, label]) => h("option", { value: m, selected: m === status.mode }, label))) as HTMLSelectElement;
  mode.addEventListener("change", () => {
    api.setSearchMode(mode.value as SearchMode).then(() => toast("Search mode saved."), showError);
  });
  box.append(h("label", { for: "settings-search-mode" }, "Search box matches by"), mode,
    h("p", { class: "hint" }, "Start a search with ~ for meaning only, or = for words only."));
  if (status.model) return box;
  const progress = h("progress", { id: "model-progress", max: 1, value: 0, hidden: true }) as HTMLProgressElement;
  const offer = await api.modelOffer();
  const mb = Math.round((offer.bytes ?? 0) / 1e6);
  const download = h("button", { id: "model-download", type: "button" }, `Download the model (${mb} MB)…`);
  const place = h("button", { id: "model-place", type: "button" }, "Use a model folder…");
  // Asked before anything is fetched: what, how big, from where, to where.
  const consent = h("div", { id: "model-consent", class: "consent", hidden: true },
    h("p", {}, `Download all-MiniLM-L6-v2 (${mb} MB) from ${offer.from} into ${offer.into}? Every file is checked against its known checksum; your papers stay on this computer.`),
    h("div", { class: "actions" },
      h("button", { id: "model-download-yes", type: "button", class: "primary", onclick: () => start() }, "Download"),
      h("button", { type: "button", onclick: () => { consent.hidden = true; } }, "Not now")));
  const done = async () => {
    toast("The model is installed; papers are being read in the background.");
    describe(await api.meaningStatus());
    for (const e of [download, place, consent, progress]) e.remove();
  };
  const start = () => {
    consent.hidden = true;
    download.setAttribute("disabled", "");
    progress.hidden = false;
    api.fetchModel((p) => {
      progress.max = p.total ?? 1;
      progress.value = p.done ?? 0;
    }).then(done, (e) => {
      download.removeAttribute("disabled");
      progress.hidden = true;
      showError(e);
    });
  };
  download.addEventListener("click", () => {
    consent.hidden = false;
  });
  place.addEventListener("click", () => {
    api.placeModel().then((placed) => (placed ? done() : undefined), showError);
  });
  box.append(h("div", { class: "actions" }, download, place), consent, progress);
  return box;
}
