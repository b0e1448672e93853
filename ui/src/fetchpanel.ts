// "Find details and PDF": a fetch from the web sources, shown in a panel
// that does not block the window (searching and reading go on), with the
// papers done, an estimate of the time left, each paper's outcome, and
// Cancel.

import { api, type Applied, type FetchStep, type FetchSummary } from "./api";
import { h } from "./dom";
import { showError, toast } from "./feedback";
import { closeModal, openModal } from "./modal";

export interface FetchHooks {
  /** A paper was filled in: refresh it if it is shown. */
  paperChanged(citekey: string): Promise<void>;
  /** The fetch ended: refresh the lists. */
  finished(): Promise<void>;
}

let running = false;

/** One line about a paper's outcome (on a review, what would be done). */
export function outcomeLine(p: Applied, review = false): string {
  switch (p.outcome) {
    case "filled": {
      const fields = p.filled.map((f) => `${f.field} (${f.source})`).join(", ");
      return `${p.citekey}: ${review ? "would fill" : "filled"} ${fields}${p.pdf ? "; PDF attached" : ""}`;
    }
    case "unchanged":
      return `${p.citekey}: found; nothing was missing${p.pdf ? "; PDF attached" : ""}`;
    case "ambiguous":
      return `${p.citekey}: ambiguous, not filled; it could be ${p.candidates.join(" or ")}`;
    case "not_found":
      return `${p.citekey}: not found`;
    default:
      return `${p.citekey}: failed: ${p.error ?? "unknown error"}`;
  }
}

/** "about 1 min 20 s left", from the pace so far. */
export function timeLeft(step: Pick<FetchStep, "done" | "total" | "elapsed_ms">): string {
  if (step.done === 0 || step.done >= step.total) return "";
  const ms = (step.elapsed_ms / step.done) * (step.total - step.done);
  const s = Math.max(1, Math.round(ms / 1000));
  return s < 60 ? `about ${s} s left` : `about ${Math.floor(s / 60)} min ${s % 60} s left`;
}

function summaryLine(s: FetchSummary): string {
  const parts = [`${s.filled} filled`, `${s.unchanged} already complete`];
  if (s.pdfs) parts.push(s.pdfs === 1 ? "1 PDF attached" : `${s.pdfs} PDFs attached`);
  if (s.ambiguous) parts.push(`${s.ambiguous} ambiguous`);
  if (s.not_found) parts.push(`${s.not_found} not found`);
  if (s.failed) parts.push(`${s.failed} failed`);
  return `${s.cancelled ? "Stopped" : "Done"}: ${parts.join(", ")}.`;
}

/** Runs a fetch for `keys` (empty: every paper missing something). With
 * `review`, nothing is written: the panel lists what would change and
 * offers to apply it. */
export async function findDetails(keys: string[], pdf: boolean, hooks: FetchHooks, review = false): Promise<void> {
  if (running) {
    toast("Details are being looked up already; wait for that to end or cancel it.");
    return;
  }
  running = true;
  const bar = h("progress", { id: "fetch-progress", max: 1, value: 0 });
  const label = h("div", { id: "fetch-label" }, "Looking up…");
  const lines = h("ul", { id: "fetch-lines" });
  const cancel = h("button", { id: "fetch-cancel", type: "button", onclick: () => void api.cancelFetch() }, "Cancel");
  const close = h("button", { id: "fetch-close", type: "button", hidden: true, onclick: () => panel.remove() }, "Close");
  // After a review: the papers that would change, to apply at once.
  const changing: string[] = [];
  const apply = h("button", {
    id: "fetch-apply",
    type: "button",
    class: "primary",
    hidden: true,
    onclick: () => void findDetails(changing, pdf, hooks, false),
  }, "Apply");
  const panel = h("aside", { id: "fetch-panel", role: "status", "aria-label": "Finding details" },
    h("div", { class: "fetch-head" }, h("strong", {}, review ? "Reviewing details" : "Finding details"), apply, cancel, close),
    label, bar, lines);
  document.getElementById("fetch-panel")?.remove();
  document.body.appendChild(panel);
  try {
    const summary = await api.fetchPapers(keys, pdf, review, (step) => {
      bar.max = Math.max(1, step.total);
      bar.value = step.done;
      label.textContent = `${step.done} of ${step.total} papers ${timeLeft(step)}`.trim();
      const li = h("li", { class: `fetch-${step.paper.outcome}`, "data-citekey": step.paper.citekey }, outcomeLine(step.paper, review));
      if (step.paper.pdf_problem && pdf && !review) li.appendChild(h("div", { class: "fetch-pdf-problem" }, `No PDF: ${step.paper.pdf_problem}`));
      lines.prepend(li);
      if (review && (step.paper.outcome === "filled" || (pdf && step.paper.outcome === "unchanged"))) changing.push(step.paper.citekey);
      if (!review && (step.paper.outcome === "filled" || step.paper.pdf)) void hooks.paperChanged(step.paper.citekey);
    });
    if (summary.total === 0) label.textContent = "Nothing is missing from these papers.";
    else if (review) label.textContent = `${summaryLine(summary).replace(/^Done: (\d+) filled/, "Reviewed: $1 would be filled")} Nothing was written yet.`;
    else label.textContent = summaryLine(summary);
    apply.hidden = !review || changing.length === 0;
    bar.max = 1;
    bar.value = 1;
  } catch (e) {
    label.textContent = "The lookup stopped.";
    showError(e);
  } finally {
    running = false;
    cancel.hidden = true;
    close.hidden = false;
    await hooks.finished();
  }
}

/** Asks which papers to look up: the listed results or every paper
 * missing something, and whether to download PDFs. */
export function openFindDialog(resultKeys: string[], hooks: FetchHooks): void {
  const withPdf = h("input", { id: "find-pdf", type: "checkbox", checked: true }) as HTMLInputElement;
  const review = h("input", { id: "find-review", type: "checkbox", checked: true }) as HTMLInputElement;
  const go = (keys: string[]) => {
    closeModal();
    void findDetails(keys, withPdf.checked, hooks, review.checked);
  };
  openModal(
    "find-modal",
    "Find details and PDFs",
    h("p", {}, "Lectern asks Hugging Face, arXiv, Crossref and Semantic Scholar for each paper's authors, identifiers and venue, and fills in only what is missing."),
    h("label", { class: "check" }, withPdf, " Also download open-access PDFs"),
    h("label", { class: "check" }, review, " Show what would change before writing anything"),
    h(
      "div",
      { class: "actions" },
      h("button", { id: "find-results", type: "button", disabled: resultKeys.length === 0, onclick: () => go(resultKeys) }, `These ${resultKeys.length} results`),
      h("button", { id: "find-missing", type: "button", class: "primary", onclick: () => go([]) }, "All papers missing something"),
    ),
  );
}
