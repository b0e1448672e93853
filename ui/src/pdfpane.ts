// The reader's PDF view: one paper's PDF in the pdf.js viewer (ui/src/pdf/),
// its highlights drawn on the pages, new highlights from a selection or a
// dragged area, the page the PDF was left at, and the PDF's own actions
// (a new version, the annotations other readers stored, a copy with the
// highlights). The viewer outlives re-renders of the reader: reopening the
// same paper's same file only redraws the highlights.

import { api, attachmentUrl, PALETTE, type Annotation, type Paper } from "./api";
import type { PdfRect as StoredRect } from "./api";
import { h } from "./dom";
import { afterPaint, busy, metrics, showError, toast } from "./feedback";
import { PdfViewer, type PdfRect, type SelectionTarget } from "./pdf/viewer";
import { rememberPage, type Prefs } from "./prefs";

const HEX = new Map<string, string>(PALETTE);
const hex = (color: string) => HEX.get(color) ?? color;
/** The class of highlight boxes on the pages. */
const MARK = "pdf-hl";

export interface PdfPaneHooks {
  prefs: Prefs;
  savePrefs(): void;
  /** Runs a change, then shows the paper and the lists again. */
  mutate(change: () => Promise<unknown>): Promise<void>;
  /** Offers the highlight toolbar over `rect`; `create` stores the highlight. */
  offerHighlight(rect: DOMRect, create: (color: string, comment: string | null) => Promise<void>): void;
  /** A highlight box was clicked: show it in the Highlights panel. */
  focusHighlight(id: string): void;
}

/** The PDF attachments of a paper that the reader can show (inside the library). */
export function pdfFiles(p: Paper): string[] {
  return p.links.filter((l) => l.kind === "pdf" && l.url.startsWith("attachments/")).map((l) => l.url);
}

/** A stored rectangle as the viewer takes it (the bindings allow `null`
 * for a number that was not finite, which the engine never stores). */
export function toRect(r: StoredRect): PdfRect {
  return { x0: r.x0 ?? 0, y0: r.y0 ?? 0, x1: r.x1 ?? 0, y1: r.y1 ?? 0 };
}

/** The rectangle around all of `rects`. */
export function bounds(rects: PdfRect[]): PdfRect {
  return rects.reduce((u, r) => ({ x0: Math.min(u.x0, r.x0), y0: Math.min(u.y0, r.y0), x1: Math.max(u.x1, r.x1), y1: Math.max(u.y1, r.y1) }));
}

/** Whether a highlight is drawn on `file`'s pages. */
export function onFile(a: Annotation, file: string): boolean {
  return a.page != null && a.placed && a.rects.length > 0 && (a.file == null || a.file === file);
}

export class PdfPane {
  /** The element the reader places in its layout. */
  readonly element: HTMLElement;
  private readonly viewer: PdfViewer;
  private paperId: string | null = null;
  private file: string | null = null;
  private annotations: Annotation[] = [];
  private opening: Promise<unknown> | null = null;
  private saveTimer = 0;

  constructor(private readonly hooks: PdfPaneHooks) {
    this.element = h("div", { id: "pdf-pane", class: "pdf-pane" });
    const host = h("div", { class: "pdf-host" });
    this.element.appendChild(host);
    this.viewer = new PdfViewer(host, {
      onExternalLink: (url) => void api.openUrl(url).catch(showError),
      onPageChange: (page) => this.rememberPage(page),
      onPageRendered: (page) => this.drawPage(page),
      onSelect: (targets) => this.offerSelection(targets),
      onArea: (area) => this.offerArea(area.page, area.rect),
      onMarkClick: (click) => {
        const id = click.marks[click.marks.length - 1]?.dataset.id;
        if (id) this.hooks.focusHighlight(id);
      },
    });
  }

  /** The file shown, if any. */
  get shown(): string | null {
    return this.file;
  }

  get pdf(): PdfViewer {
    return this.viewer;
  }

  /** Shows `file` of `paper` with its highlights; the same paper's same
   * file is not loaded again. */
  async show(paper: Paper, file: string): Promise<void> {
    this.annotations = paper.annotations;
    if (this.paperId === paper.id && this.file === file) {
      await this.opening;
      this.redraw();
      return;
    }
    this.paperId = paper.id;
    this.file = file;
    const page = this.hooks.prefs.pdfPages[paper.id] ?? 1;
    const opening = (async () => {
      const result = await this.viewer.open(attachmentUrl(file), { page });
      if (!result.ok || this.file !== file) return;
      this.element.dataset.pages = String(result.pages);
      this.redraw();
      // The engine reads the pages too, so a highlight is stored at once.
      void api.preparePdf(paper.id, file).catch(() => undefined);
    })();
    this.opening = opening;
    await opening;
  }

  /** Shows the first place the PDF holds `words` (the find bar stays open
   * for the next ones). */
  async findText(words: string): Promise<void> {
    await this.opening;
    await this.viewer.find(words);
  }

  /** Forgets the PDF (another paper, or the abstract view). */
  close(): void {
    this.paperId = null;
    this.file = null;
    this.annotations = [];
    this.viewer.close();
  }

  /** Scrolls to a highlight and flashes it. */
  async reveal(a: Annotation): Promise<void> {
    await this.opening;
    const page = a.page;
    if (page == null || a.rects.length === 0) return;
    const box = bounds(a.rects.map(toRect));
    await this.viewer.scrollToRect(page, box, "center");
    await this.viewer.flash(page, box);
  }

  /** The actions on the PDF itself, for the reader's toolbar. */
  actions(paper: Paper): HTMLElement {
    return h(
      "div",
      { class: "pdf-actions" },
      h("button", { type: "button", id: "pdf-replace", title: "Use a new version of this PDF; highlights are placed in it", onclick: () => void this.replace(paper, null) }, "New version…"),
      h("button", { type: "button", id: "pdf-read-annotations", title: "Read the highlights and notes another reader stored in this PDF", onclick: () => void this.readAnnotations(paper) }, "Read annotations"),
      h("button", { type: "button", id: "pdf-save", title: "Save a copy of the PDF with your highlights in it", onclick: () => void this.saveCopy(paper) }, "Save with highlights…"),
    );
  }

  /** Makes `path` (dropped on the reader) or a file chosen now the paper's PDF. */
  async replace(paper: Paper, path: string | null): Promise<void> {
    try {
      const r = await busy(api.replacePdf(paper.id, path));
      if (!r) return;
      this.file = null; // the new file is loaded on the next show
      await this.hooks.mutate(async () => undefined);
      const unplaced = r.highlights - r.placed;
      toast(
        r.highlights === 0
          ? "New version attached."
          : `${r.placed} of ${r.highlights} highlights placed in the new version${unplaced ? `; ${unplaced} could not be placed` : ""}.`,
      );
    } catch (e) {
      showError(e);
    }
  }

  private async readAnnotations(paper: Paper): Promise<void> {
    try {
      const r = await busy(api.readPdfAnnotations(paper.id));
      await this.hooks.mutate(async () => undefined);
      toast(r.found === 0 ? "This PDF holds no annotations." : `Read ${r.found} annotations from the PDF: ${r.added} new.`);
    } catch (e) {
      showError(e);
    }
  }

  private async saveCopy(paper: Paper): Promise<void> {
    try {
      const where = await busy(api.savePdfWithHighlights(paper.id, `${paper.citekey}-highlights.pdf`));
      if (where) toast(`Saved ${where}`);
    } catch (e) {
      showError(e);
    }
  }

  private rememberPage(page: number): void {
    if (!this.paperId) return;
    this.hooks.prefs.pdfPages = rememberPage(this.hooks.prefs.pdfPages, this.paperId, page);
    window.clearTimeout(this.saveTimer);
    this.saveTimer = window.setTimeout(() => this.hooks.savePrefs(), 300);
  }

  private redraw(): void {
    this.viewer.clearOverlay(undefined, MARK);
    const pages = new Set(this.annotations.map((a) => a.page).filter((p): p is number => p != null));
    for (const page of pages) this.drawPage(page);
  }

  private drawPage(page: number): void {
    const file = this.file;
    if (!file) return;
    this.viewer.clearOverlay(page, MARK);
    for (const a of this.annotations) {
      if (a.page !== page || !onFile(a, file)) continue;
      const boxes = this.viewer.drawRects(page, a.rects.map(toRect), `${MARK} ${a.kind}`, { id: a.id });
      for (const b of boxes) {
        b.style.setProperty("--hl", hex(a.color));
        if (a.comment) b.title = a.comment;
      }
    }
  }

  private offerSelection(targets: SelectionTarget[]): void {
    const paperId = this.paperId;
    const file = this.file;
    const text = targets.filter((t) => t.text.trim() && t.rects.length > 0);
    if (!paperId || !file || text.length === 0) return;
    const first = text[0];
    const box = this.viewer.clientBox(first.page, first.rects[0]);
    if (!box) return;
    this.hooks.offerHighlight(box, async (color, comment) => {
      const t0 = performance.now();
      window.getSelection()?.removeAllRanges();
      // Drawn at once; the stored highlight replaces it when the paper is
      // read again (or it goes, if storing failed).
      for (const t of text) this.drawPending(t.page, t.rects, color);
      afterPaint(t0, (ms) => metrics.pdfHighlightDrawn.push(ms));
      // A selection across a page break is one highlight per page.
      await this.hooks.mutate(async () => {
        for (const t of text) {
          const context = await this.viewer.textContext(t.page, t.start, t.end);
          await api.annotatePdf(
            paperId,
            { file, page: t.page, kind: "text", rects: t.rects, exact: context.exact, prefix: context.prefix, suffix: context.suffix },
            color,
            comment,
          );
        }
        metrics.pdfHighlightStored.push(performance.now() - t0);
      });
    });
  }

  private offerArea(page: number, rect: PdfRect): void {
    const paperId = this.paperId;
    const file = this.file;
    if (!paperId || !file) return;
    const box = this.viewer.clientBox(page, rect);
    if (!box) return;
    this.hooks.offerHighlight(box, (color, comment) => {
      this.drawPending(page, [rect], color, "area");
      return this.hooks.mutate(() =>
        api.annotatePdf(paperId, { file, page, kind: "area", rects: [rect], exact: "", prefix: "", suffix: "" }, color, comment),
      );
    });
  }

  /** A highlight drawn before the engine has stored it. */
  private drawPending(page: number, rects: PdfRect[], color: string, kind: "text" | "area" = "text"): void {
    for (const b of this.viewer.drawRects(page, rects, `${MARK} ${kind} pending`)) b.style.setProperty("--hl", hex(color));
  }
}
