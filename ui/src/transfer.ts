// Import (paste, files, sample) with progress and Cancel, and export to a
// Markdown folder.

import { api, type ImportProgress, type ImportReport } from "./api";
import { h, byId } from "./dom";
import { showError, toast } from "./feedback";
import { closeModal, openModal } from "./modal";

export interface TransferHooks {
  /** Called after anything was imported. */
  imported(report: ImportReport): Promise<void>;
  /** Ids of the papers currently listed, for "export these results". */
  currentIds(): string[];
  currentQuery(): string;
}

function progressText(p: ImportProgress): { label: string; fraction: number } {
  if (p.stage === "reading") {
    return { label: `Reading ${p.file} (${p.done + 1} of ${p.total})`, fraction: p.total ? p.done / p.total / 2 : 0 };
  }
  return { label: `Importing ${p.done} of ${p.total} papers`, fraction: p.total ? 0.5 + p.done / p.total / 2 : 1 };
}

/** Runs an import behind a progress dialog (shown after 300 ms) with Cancel. */
export async function runImport(
  start: (onProgress: (p: ImportProgress) => void) => Promise<ImportReport>,
  hooks: TransferHooks,
): Promise<void> {
  const bar = h("progress", { id: "import-progress", max: 1, value: 0 });
  const label = h("div", { id: "import-progress-label" }, "Starting…");
  let dialogShown = false;
  const timer = setTimeout(() => {
    dialogShown = true;
    openModal(
      "progress-modal",
      "Importing",
      label,
      bar,
      h("div", { class: "actions" }, h("button", { id: "import-cancel", type: "button", onclick: () => void api.cancelImport() }, "Cancel")),
    );
  }, 300);
  try {
    const report = await start((p) => {
      const { label: text, fraction } = progressText(p);
      label.textContent = text;
      bar.value = fraction;
    });
    clearTimeout(timer);
    showSummary(report);
    await hooks.imported(report);
  } catch (e) {
    clearTimeout(timer);
    if (dialogShown) closeModal();
    const kind = (e as { kind?: string }).kind;
    if (kind === "cancelled") toast("Import cancelled; nothing was changed.");
    else showError(e);
  }
}

function showSummary(r: ImportReport): void {
  const merges = r.merges.length
    ? h(
        "ul",
        { class: "merges" },
        ...r.merges.slice(0, 200).map((m) =>
          h(
            "li",
            {},
            h("code", {}, m.source),
            " merged into ",
            h("code", {}, m.citekey),
            ` (${m.reason}${m.alias ? `; “${m.alias}” kept as an alias` : ""})`,
          ),
        ),
      )
    : null;
  const problems = r.problems.length
    ? h(
        "ul",
        { class: "problems" },
        ...r.problems.map((p) => h("li", {}, h("code", {}, p.location), " ", p.message)),
      )
    : null;
  openModal(
    "import-summary",
    "Import finished",
    h(
      "p",
      { class: "summary-counts" },
      h("strong", { id: "summary-added" }, String(r.added)),
      " added, ",
      h("strong", { id: "summary-merged" }, String(r.merged)),
      " merged, ",
      h("strong", { id: "summary-skipped" }, String(r.skipped)),
      " already in the library",
      r.rejected ? `, ${r.rejected} not imported` : "",
      r.problems.length ? `, ${r.problems.length} problem${r.problems.length === 1 ? "" : "s"}:` : ".",
    ),
    merges,
    problems,
    h("div", { class: "actions" }, h("button", { type: "button", id: "summary-close", onclick: () => closeModal() }, "Close")),
  );
}

export function openImportDialog(hooks: TransferHooks): void {
  const paste = h("textarea", {
    id: "paste",
    rows: 12,
    spellcheck: "false",
    placeholder: "Paste a page of papers here: titles, authors, abstracts, links…",
  });
  const importPasted = async () => {
    const text = paste.value;
    if (!text.trim()) {
      toast("Paste a listing first.");
      return;
    }
    closeModal();
    await runImport((p) => api.importText(text, "pasted text", p), hooks);
  };
  openModal(
    "import-modal",
    "Import papers",
    h("label", { for: "paste" }, "Paste a paper listing, or BibTeX, RIS or CSL-JSON"),
    paste,
    h(
      "div",
      { class: "actions" },
      h("button", { id: "import-paste", type: "button", class: "primary", onclick: () => void importPasted() }, "Import pasted text"),
      h("button", { id: "import-files", type: "button", onclick: () => void importFromDialog(hooks) }, "Import files…"),
      h("button", { id: "import-sample", type: "button", onclick: () => void importSample(hooks) }, "Load the sample papers"),
      h("button", {
        id: "import-hf-daily",
        type: "button",
        title: "Import the latest day's Hugging Face daily papers, with their arXiv ids, authors and links (goes online)",
        onclick: () => {
          closeModal();
          void runImport((p) => api.importHfDaily(null, p), hooks);
        },
      }, "Today's papers from Hugging Face"),
    ),
    h("p", { class: "hint" }, "You can also drop files anywhere on the window."),
  );
  paste.focus();
}

export async function importFromDialog(hooks: TransferHooks): Promise<void> {
  try {
    const paths = await api.pickImportFiles();
    if (paths.length === 0) return;
    closeModal();
    await runImport((p) => api.importFiles(paths, p), hooks);
  } catch (e) {
    showError(e);
  }
}

export async function importSample(hooks: TransferHooks): Promise<void> {
  closeModal();
  await runImport((p) => api.importSample(p), hooks);
}

export async function importDropped(paths: string[], hooks: TransferHooks): Promise<void> {
  await runImport((p) => api.importFiles(paths, p), hooks);
}

export function openExportDialog(hooks: TransferHooks): void {
  const dir = h("input", { id: "export-dir", type: "text", placeholder: "Folder to write Markdown files into", spellcheck: "false" });
  const ids = hooks.currentIds();
  const query = hooks.currentQuery();
  const all = h("input", { type: "radio", name: "scope", id: "export-all", value: "all", checked: true });
  const results = h("input", { type: "radio", name: "scope", id: "export-results", value: "results", disabled: ids.length === 0 });
  const result = h("div", { id: "export-result", role: "status" });
  const run = async () => {
    const target = dir.value.trim();
    if (!target) {
      toast("Choose a folder first.");
      return;
    }
    const keys = results.checked ? ids : null;
    const button = byId<HTMLButtonElement>("export-run");
    button.disabled = true;
    result.textContent = "Exporting…";
    try {
      const r = await api.exportMarkdown(target, keys);
      result.textContent = `Wrote ${r.written} file${r.written === 1 ? "" : "s"} to ${target}` +
        (r.unchanged ? `; ${r.unchanged} already up to date` : "") +
        (r.kept_edits.length ? `; kept your edits in ${r.kept_edits.length}` : "") + ".";
    } catch (e) {
      result.textContent = "";
      showError(e);
    } finally {
      button.disabled = false;
    }
  };
  openModal(
    "export-modal",
    "Export to Markdown",
    h("label", { for: "export-dir" }, "Folder (Obsidian opens it as a vault)"),
    h(
      "div",
      { class: "row" },
      dir,
      h("button", {
        id: "export-choose",
        type: "button",
        onclick: async () => {
          try {
            const picked = await api.pickFolder("Export Markdown into…");
            if (picked) dir.value = picked;
          } catch (e) {
            showError(e);
          }
        },
      }, "Choose…"),
    ),
    h("div", { class: "scope" },
      h("label", {}, all, " The whole library"),
      h("label", {}, results, ` The current results (${ids.length}${query ? ` for “${query}”` : ""})`),
    ),
    h("div", { class: "actions" }, h("button", { id: "export-run", type: "button", class: "primary", onclick: () => void run() }, "Export")),
    result,
  );
  dir.focus();
}
