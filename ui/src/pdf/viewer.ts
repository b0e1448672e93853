// The PDF viewer: a toolbar, an optional outline and all pages of one PDF in
// a continuous vertical scroll, drawn with pdf.js's display layer. Pages
// near the view get a canvas and a selectable text layer; the others are
// boxes of the right size, so the scroll height is right and memory stays
// bounded. Hooks let the reader pane draw highlights on the pages, follow
// the selection and route links; nothing here navigates the web view.
//
// API (pages are 1-based; rectangles are PDF user space, y up):
//
//   const viewer = new PdfViewer(container, hooks?, { zoom?, theme?, outline?, maxCanvasPixels? })
//       container: an element with a definite height (the viewer fills it)
//       hooks (all optional, see ViewerHooks): onExternalLink(url),
//       onPageChange(page), onArea({page, rect}), onPageRendered(page,
//       overlay), onSelect(targets), onMarkClick({page, marks}, event),
//       onSettingsChange({zoom, theme, outline})
//   await viewer.open(src: string | Uint8Array, { page?, zoom? }): OpenResult
//       src: a URL the page may fetch (the attachment protocol; a URL of
//       another origin must answer with Access-Control-Allow-Origin) or the
//       bytes (copied, the caller's array stays usable).
//       Never throws: a password, a broken file or a failed fetch resolve
//       { ok: false, reason, message } and the message is shown in the pane.
//   viewer.close()                      back to empty; the component stays usable
//   viewer.destroy()                    removes it and its listeners
//   viewer.pageCount(), viewer.currentPage(), viewer.goToPage(n)
//   viewer.zoom(): number               the factor (1 = 100 %)
//   viewer.setZoom("fit-width" | "fit-page" | factor), zoomIn(), zoomOut()
//   viewer.find(query): Promise<number> opens the find bar and searches
//   viewer.findNext(dir = 1), viewer.closeFind()
//   viewer.showOutline(on?: boolean)    when the PDF has an outline
//   viewer.setPageTheme("auto" | "normal" | "dim" | "invert")
//   viewer.setAreaMode(on: boolean)     the area tool (also: Alt+drag)
//   viewer.selectionTargets(): SelectionTarget[] | null
//       the selection inside the pages, per page: { page, rects (merged per
//       line and column), text, start, end } with
//       text = pageText(page).slice(start, end)
//   viewer.pageText(page): Promise<string>
//       the page text as pdf.js builds it (items + "\n" at line ends)
//   viewer.textContext(page, start, end, chars = 32): Promise<{prefix, exact, suffix}>
//   viewer.drawRects(page, rects, className, data?): HTMLElement[]
//       highlight boxes in the page's overlay (above the text, not in the
//       way of selecting it; colored by the CSS variable --hl); they follow
//       every zoom and survive the page being released and drawn again;
//       data becomes their data-* attributes
//   viewer.clearOverlay(page?, className?)
//   viewer.scrollToRect(page, rect, block = "auto"): Promise<void>
//   viewer.flash(page, rect): Promise<void>
//   viewer.clientBox(page, rect): DOMRect | null   where a rectangle is on screen
//
// Keys while the viewer has focus: Ctrl+F find, PageUp/PageDown previous/next
// page, Home/End first/last page, Ctrl+= / Ctrl+− / Ctrl+0 zoom in, out, fit
// width; Ctrl+wheel zooms around the pointer. Alt+drag marks an area.

import "./viewer.css";
import type { PDFDocumentLoadingTask, PDFDocumentProxy, PDFPageProxy, PDFWorker } from "pdfjs-dist";
import type { TextContent } from "pdfjs-dist/types/src/display/api";
import { h } from "../dom";
import { AreaTool } from "./area";
import { parseExplicitDest, pageNumberRef } from "./dest";
import type { Hit } from "./find";
import { FindBar } from "./findbar";
import { apply, boxToPdf, invert, pdfToBox, union, type Box, type PdfRect } from "./geometry";
import { anchorAt, anchorY, computeLayout, currentPage, fitPageZoom, fitWidthZoom, clampZoom, renderWindow, stepZoom, visibleRange, type Layout } from "./layout";
import type { LinkTarget } from "./links";
import { buildOutline, outlineSize, type OutlineNode } from "./outline";
import { Cancelled, PageView, type PageEnv } from "./page";
import { documentParams, loadPdfjs } from "./pdfjs";
import { selectionTargets, textRangeRects, type SelectionTarget, type TextPage } from "./selection";
import { buildPageText, isBlank, itemGeometry, textContext, type ItemGeometry, type PageText } from "./text";
import { SelectionGuard } from "./textlayer";
import { keyCommand } from "./keys";
import { Toolbar, type PageTheme } from "./toolbar";

export type { PdfRect } from "./geometry";
export type { SelectionTarget } from "./selection";

export type Zoom = "fit-width" | "fit-page" | number;
export type { PageTheme } from "./toolbar";

export type OpenResult =
  | { ok: true; pages: number }
  | { ok: false; reason: "password" | "unreadable" | "cancelled"; message: string };

export interface MarkClick {
  page: number;
  /** The overlay elements (from drawRects) under the click; their data-* are in `dataset`. */
  marks: HTMLElement[];
}

export interface ViewerHooks {
  /** A link to an address outside the document was clicked. */
  onExternalLink?(url: string): void;
  /** The current page changed (scrolling, jumps, opening). */
  onPageChange?(page: number): void;
  /** An area was marked with the area tool or Alt+drag. */
  onArea?(area: { page: number; rect: PdfRect }): void;
  /** A page was drawn (first time or at a new zoom); `overlay` holds its highlight boxes. */
  onPageRendered?(page: number, overlay: HTMLElement): void;
  /** The mouse button was released over the pages with text selected in them. */
  onSelect?(targets: SelectionTarget[]): void;
  /** A click (not a selection) landed on highlight boxes. */
  onMarkClick?(click: MarkClick, event: MouseEvent): void;
  /** Zoom, page theme or outline visibility changed, for remembering them. */
  onSettingsChange?(settings: { zoom: Zoom; theme: PageTheme; outline: boolean }): void;
}

export interface ViewerOptions {
  zoom?: Zoom;
  theme?: PageTheme;
  outline?: boolean;
  /** Largest canvas, in pixels; bigger pages are drawn at a lower resolution. */
  maxCanvasPixels?: number;
}

/** CSS pixels per PDF point at zoom 1. */
const CSS_PER_PT = 96 / 72;
/** Space between pages, above the first and below the last, and at the sides (CSS px). */
const GAP = 12;
const PAD = 16;
const SIDE = 16;
/**
 * Pages beyond the visible ones: drawn ahead, and canvases kept. Text
 * layers of pages further away are hidden rather than thrown away, up to
 * MAX_TEXT_LAYERS pages: WebKit holds on to the memory of removed text spans
 * for a long time, so rebuilding them on every visit makes memory grow with
 * every pass through a document.
 */
const AHEAD = 1;
const KEEP = 2;
const MAX_TEXT_LAYERS = 60;
/** Wait after the last zoom step before drawing pages sharp again (ms). */
const REDRAW_DELAY = 180;

export const SCANNED_NOTICE = "No text layer: text selection is unavailable; you can still mark areas.";
export const PASSWORD_MESSAGE = "This PDF is protected with a password; Lectern cannot open it.";

interface PageTextData {
  content: TextContent;
  text: PageText;
  items: ItemGeometry[];
}

export class PdfViewer {
  readonly root: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly pagesEl: HTMLElement;
  private readonly outlinePane: HTMLElement;
  private readonly message: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly toolbar: Toolbar;
  private readonly findBar: FindBar;
  private readonly guard = new SelectionGuard();
  private readonly area: AreaTool;
  private readonly ac = new AbortController();
  private readonly resize: ResizeObserver;
  private readonly dark = window.matchMedia("(prefers-color-scheme: dark)");

  private worker: PDFWorker | null = null;
  private task: PDFDocumentLoadingTask | null = null;
  private fetching: AbortController | null = null;
  private doc: PDFDocumentProxy | null = null;
  private views: PageView[] = [];
  private proxies: (Promise<PDFPageProxy> | undefined)[] = [];
  private texts = new Map<number, Promise<PageTextData>>();
  private layout: Layout = computeLayout([], GAP, PAD);
  private pagesWidth = 0;
  private generation = 0;

  private zoomSetting: Zoom;
  private zoomFactor = 1;
  /** The CSS scale pages are drawn at; trails the layout's during a zoom gesture. */
  private drawScale = 0;
  private redrawTimer = 0;
  private current = 0;
  private raf = 0;
  private relayoutPending = false;
  private busy = false;
  private theme: PageTheme;
  private outlineWanted: boolean;
  private hasOutline = false;
  private findHits = new Map<number, { start: number; end: number; current: boolean }[]>();
  private pendingReveal: Hit | null = null;
  private wheelFactor = 1;
  private wheelPoint: { x: number; y: number } | null = null;
  private wheelRaf = 0;
  private readonly maxCanvasPixels: number;

  constructor(container: HTMLElement, private readonly hooks: ViewerHooks = {}, options: ViewerOptions = {}) {
    this.zoomSetting = options.zoom ?? "fit-width";
    this.theme = options.theme ?? "auto";
    this.outlineWanted = options.outline ?? false;
    this.maxCanvasPixels = options.maxCanvasPixels ?? 2 ** 24;

    this.toolbar = new Toolbar(
      {
        toggleOutline: () => this.showOutline(),
        zoomIn: () => this.zoomIn(),
        zoomOut: () => this.zoomOut(),
        fitWidth: () => this.setZoom("fit-width"),
        fitPage: () => this.setZoom("fit-page"),
        goToPage: (n) => this.goToPage(n),
        leavePageBox: () => this.scroller.focus({ preventScroll: true }),
        openFind: () => this.doc && this.findBar.open(),
        toggleArea: () => this.setAreaMode(!this.area.active),
        setTheme: (theme) => this.setPageTheme(theme),
      },
      this.theme,
      this.ac.signal,
    );
    this.notice = h("div", { class: "pdf-notice", role: "status", hidden: true }, SCANNED_NOTICE);
    this.pagesEl = h("div", { class: "pdf-pages" });
    this.message = h("div", { class: "pdf-message", hidden: true });
    this.scroller = h("div", { class: "pdf-scroll", tabindex: 0 }, this.pagesEl, this.message);
    this.outlinePane = h("nav", { class: "pdf-outline", "aria-label": "Outline", hidden: true });
    this.findBar = new FindBar({
      pageCount: () => this.views.length,
      currentPage: () => this.current,
      pageText: async (i) => (await this.textOf(i)).text.text,
      showHits: (hits, cur) => this.showHits(hits, cur),
      reveal: (hit) => void this.revealHit(hit),
      done: () => this.scroller.focus({ preventScroll: true }),
    });
    this.root = h(
      "div",
      { class: "pdf-viewer" },
      this.toolbar.el,
      this.notice,
      h("div", { class: "pdf-body" }, this.outlinePane, h("div", { class: "pdf-main" }, this.scroller, this.findBar.el)),
    );
    container.append(this.root);

    this.area = new AreaTool({
      pages: this.pagesEl,
      pageOf: (t) => {
        const div = (t as Element | null)?.closest?.<HTMLElement>(".pdf-page");
        const index = div ? Number(div.dataset.page) - 1 : -1;
        return div && this.views[index] ? { index, div } : null;
      },
      done: (index, box) => {
        const rect = this.boxToPdf(index, box);
        if (rect) this.hooks.onArea?.({ page: index + 1, rect });
      },
    });

    const { signal } = this.ac;
    this.scroller.addEventListener("scroll", () => this.schedule(), { passive: true, signal });
    this.scroller.addEventListener("wheel", (e) => this.onWheel(e), { passive: false, signal });
    this.root.addEventListener("keydown", (e) => this.onKey(e), { signal });
    this.pagesEl.addEventListener("mouseup", () => window.setTimeout(() => this.afterMouseUp(), 0), { signal });
    this.pagesEl.addEventListener("click", (e) => this.onClick(e), { signal });
    this.dark.addEventListener("change", () => this.applyTheme(), { signal });
    this.resize = new ResizeObserver(() => this.onResize());
    this.resize.observe(this.scroller);
    this.applyTheme();
    this.updateToolbar();
  }

  // ---- Opening and closing --------------------------------------------------

  async open(src: string | Uint8Array, opts: { page?: number; zoom?: Zoom } = {}): Promise<OpenResult> {
    const gen = ++this.generation;
    this.teardown();
    if (opts.zoom !== undefined) this.zoomSetting = opts.zoom;
    this.showMessage("Opening the PDF…", false);
    try {
      const pdfjs = await loadPdfjs();
      let data: Uint8Array;
      if (typeof src === "string") {
        const ac = new AbortController();
        this.fetching = ac;
        const res = await fetch(src, { signal: ac.signal });
        if (!res.ok) throw new Error(`the file could not be loaded (${res.status}${res.statusText ? " " + res.statusText : ""})`);
        data = new Uint8Array(await res.arrayBuffer());
      } else {
        // pdf.js hands its input to the worker; keep the caller's bytes intact.
        data = src.slice();
      }
      if (gen !== this.generation) return cancelled();
      this.worker ??= new pdfjs.PDFWorker();
      const task = pdfjs.getDocument({ ...documentParams(data), worker: this.worker });
      this.task = task;
      const doc = await task.promise;
      if (gen !== this.generation) {
        void task.destroy().catch(() => {});
        return cancelled();
      }
      this.doc = doc;
      const n = doc.numPages;
      const env: PageEnv = {
        pdfjs,
        guard: this.guard,
        text: (i) => this.textOf(i),
        follow: (t) => this.follow(t),
        maxCanvasPixels: this.maxCanvasPixels,
      };
      this.views = Array.from({ length: n }, (_, i) => new PageView(i, env));
      this.proxies = new Array(n);
      await this.proxy(0);
      const asked = Number.isFinite(opts.page) ? Math.floor(opts.page!) : 1;
      const start = Math.min(n, Math.max(1, asked)) - 1;
      if (start > 0) await this.proxy(start);
      if (gen !== this.generation) return cancelled();
      this.hideMessage();
      this.pagesEl.replaceChildren(...this.views.map((v) => v.div));
      this.zoomFactor = this.fitZoom(start);
      this.applyLayout();
      this.drawScale = this.scale;
      this.scrollToPage(start);
      this.centerPage(start);
      this.current = start;
      this.updateToolbar();
      this.update();
      this.hooks.onPageChange?.(start + 1);
      this.checkNotice();
      void this.loadRest(gen);
      void this.loadOutline(gen);
      return { ok: true, pages: n };
    } catch (e) {
      if (gen !== this.generation) return cancelled();
      this.teardown();
      const password = (e as { name?: string } | null)?.name === "PasswordException";
      const message = password ? PASSWORD_MESSAGE : `Could not read this PDF: ${reason(e)}`;
      this.showMessage(message, true);
      return { ok: false, reason: password ? "password" : "unreadable", message };
    }
  }

  /** Closes the document; the viewer stays, empty. */
  close(): void {
    this.generation++;
    this.teardown();
    this.hideMessage();
  }

  destroy(): void {
    this.close();
    this.ac.abort();
    this.resize.disconnect();
    this.area.destroy();
    this.guard.destroy();
    this.worker?.destroy();
    this.worker = null;
    this.root.remove();
  }

  private teardown(): void {
    this.fetching?.abort();
    this.fetching = null;
    void this.task?.destroy().catch(() => {});
    this.task = null;
    this.findBar.reset();
    this.findHits.clear();
    this.pendingReveal = null;
    for (const v of this.views) v.destroy();
    this.views = [];
    this.proxies = [];
    this.texts.clear();
    this.doc = null;
    this.layout = computeLayout([], GAP, PAD);
    this.pagesEl.replaceChildren();
    this.pagesEl.style.height = "0px";
    this.outlinePane.replaceChildren();
    this.hasOutline = false;
    this.current = 0;
    this.busy = false;
    this.notice.hidden = true;
    this.area.cancel();
    this.updateToolbar();
  }

  private async loadRest(gen: number): Promise<void> {
    for (let i = 1; i < this.views.length; i++) {
      if (gen !== this.generation) return;
      if (!this.views[i].proxy) await this.proxy(i).catch(() => undefined);
    }
  }

  private async loadOutline(gen: number): Promise<void> {
    const doc = this.doc;
    if (!doc) return;
    let items: OutlineNode[] | null = null;
    try {
      items = (await doc.getOutline()) as OutlineNode[] | null;
    } catch {
      items = null;
    }
    if (gen !== this.generation || !items || outlineSize(items) === 0) return;
    this.hasOutline = true;
    this.outlinePane.replaceChildren(
      buildOutline(items, (node) => {
        if (node.dest) void this.goToDest(node.dest);
        else if (node.url) this.hooks.onExternalLink?.(node.url);
      }),
    );
    this.showOutline(this.outlineWanted, false);
    this.updateToolbar();
  }

  /** The page's pdf.js object, fetched once; its size may change the layout. */
  private proxy(i: number): Promise<PDFPageProxy> {
    const doc = this.doc;
    if (!doc) return Promise.reject(new Cancelled());
    this.proxies[i] ??= doc.getPage(i + 1).then((p) => {
      const v = this.views[i];
      if (v && this.doc === doc) {
        const before = this.size(i);
        v.setProxy(p);
        const after = this.size(i);
        if (before.width !== after.width || before.height !== after.height) this.relayoutSoon();
      }
      return p;
    });
    return this.proxies[i]!;
  }

  private textOf(i: number): Promise<PageTextData> {
    let t = this.texts.get(i);
    if (!t) {
      t = this.proxy(i)
        .then((p) => p.getTextContent())
        .then((content) => ({ content, text: buildPageText(content.items), items: itemGeometry(content.items, content.styles) }));
      this.texts.set(i, t);
      t.catch(() => this.texts.delete(i));
    }
    return t;
  }

  // ---- Layout and zoom --------------------------------------------------------

  /** CSS px per PDF point. */
  private get scale(): number {
    return this.zoomFactor * CSS_PER_PT;
  }

  /** A page's unscaled size, from the page itself or, until it is known, from the first page. */
  private unitSize(i: number): { width: number; height: number } {
    const u = this.views[i]?.unit ?? this.views.find((v) => v.unit)?.unit;
    return u ? { width: u.width, height: u.height } : { width: 612, height: 792 };
  }

  private size(i: number, scale = this.scale): { width: number; height: number } {
    const u = this.unitSize(i);
    return { width: Math.floor(u.width * scale), height: Math.floor(u.height * scale) };
  }

  private fitZoom(page = this.current): number {
    const z = this.zoomSetting;
    if (typeof z === "number") return clampZoom(z);
    const u = this.unitSize(page);
    const pt = { width: u.width * CSS_PER_PT, height: u.height * CSS_PER_PT };
    // Leave room for a scroll bar that a fit may bring.
    const w = Math.max(100, this.scroller.clientWidth - 2 * SIDE - 2);
    const hgt = Math.max(100, this.scroller.clientHeight - 2 * 8);
    return z === "fit-width" ? fitWidthZoom(pt.width, w) : fitPageZoom(pt, w, hgt);
  }

  /** Positions and sizes every page box for the current zoom. */
  private applyLayout(): void {
    const scale = this.scale;
    const sizes = this.views.map((_, i) => this.size(i, scale));
    this.layout = computeLayout(sizes, GAP, PAD);
    this.pagesWidth = Math.max(this.scroller.clientWidth, this.layout.maxWidth + 2 * SIDE);
    this.pagesEl.style.width = `${this.pagesWidth}px`;
    this.pagesEl.style.height = `${this.layout.total}px`;
    this.views.forEach((v, i) => {
      v.setScale(scale, sizes[i].width, sizes[i].height);
      v.div.style.top = `${this.layout.tops[i]}px`;
      v.div.style.left = `${this.pageLeft(i)}px`;
    });
    this.updateToolbar();
  }

  /** Centers a page horizontally in the view (pages narrower than the widest one). */
  private centerPage(i: number): void {
    const w = this.layout.widths[i];
    if (w === undefined) return;
    this.scroller.scrollLeft = Math.max(0, this.pageLeft(i) + w / 2 - this.scroller.clientWidth / 2);
  }

  private pageLeft(i: number): number {
    return Math.floor((this.pagesWidth - this.layout.widths[i]) / 2);
  }

  /**
   * Changes the zoom keeping a point of the view in place: the point at
   * (x, y) in the scroller's client area (default: the middle of the view)
   * shows the same spot of the same page afterwards.
   */
  private zoomTo(factor: number, at?: { x: number; y: number }): void {
    if (!this.doc) return;
    const sc = this.scroller;
    const x = at?.x ?? sc.clientWidth / 2;
    const y = at?.y ?? sc.clientHeight / 2;
    const cy = sc.scrollTop + y;
    const cx = sc.scrollLeft + x;
    const a = anchorAt(this.layout, cy);
    const w = this.layout.widths[a.page] || 1;
    const fx = (cx - this.pageLeft(a.page)) / w;
    // Past the page's bottom (in the gap below): keep the offset in px.
    const below = cy - (this.layout.tops[a.page] + this.layout.heights[a.page]);
    this.zoomFactor = clampZoom(factor);
    this.applyLayout();
    const ny = below > 0 ? this.layout.tops[a.page] + this.layout.heights[a.page] + below : anchorY(this.layout, a);
    sc.scrollTop = ny - y;
    sc.scrollLeft = this.pageLeft(a.page) + fx * this.layout.widths[a.page] - x;
    this.redrawLater();
    this.schedule();
  }

  /** Draws pages sharp at the new zoom once zooming pauses. */
  private redrawLater(): void {
    clearTimeout(this.redrawTimer);
    this.redrawTimer = window.setTimeout(() => {
      this.drawScale = this.scale;
      this.update();
    }, REDRAW_DELAY);
  }

  /** Page sizes changed (pages loaded in the background): keep the top of the view where it is. */
  private relayoutSoon(): void {
    if (this.relayoutPending) return;
    this.relayoutPending = true;
    requestAnimationFrame(() => {
      this.relayoutPending = false;
      if (!this.doc) return;
      const a = anchorAt(this.layout, this.scroller.scrollTop);
      if (typeof this.zoomSetting !== "number") this.zoomFactor = this.fitZoom();
      this.applyLayout();
      this.scroller.scrollTop = anchorY(this.layout, a);
      if (typeof this.zoomSetting !== "number") this.centerPage(this.current);
      this.drawScale = this.scale;
      this.schedule();
    });
  }

  private onResize(): void {
    if (!this.doc) return;
    const fit = typeof this.zoomSetting !== "number" ? this.fitZoom() : this.zoomFactor;
    if (Math.abs(fit - this.zoomFactor) > 1e-4) {
      this.zoomTo(fit, { x: this.scroller.clientWidth / 2, y: 0 });
      this.centerPage(this.current);
    } else if (Math.max(this.scroller.clientWidth, this.layout.maxWidth + 2 * SIDE) !== this.pagesWidth) {
      this.applyLayout();
      this.schedule();
    } else {
      this.schedule();
    }
  }

  zoom(): number {
    return this.zoomFactor;
  }

  setZoom(z: Zoom): void {
    this.zoomSetting = typeof z === "number" ? clampZoom(z) : z;
    if (!this.doc) {
      this.settingsChanged();
      return;
    }
    const page = this.current;
    this.settingsChanged();
    this.zoomTo(this.fitZoom(page));
    if (z === "fit-page") this.scrollToPage(page, 8);
    if (typeof z !== "number") this.centerPage(page);
    this.drawScale = this.scale;
    this.update();
  }

  zoomIn(): void {
    this.setZoom(stepZoom(this.zoomFactor, 1));
  }

  zoomOut(): void {
    this.setZoom(stepZoom(this.zoomFactor, -1));
  }

  private onWheel(e: WheelEvent): void {
    if (!e.ctrlKey || !this.doc) return;
    e.preventDefault();
    const px = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaMode === 2 ? e.deltaY * this.scroller.clientHeight : e.deltaY;
    this.wheelFactor *= Math.min(2, Math.max(0.5, Math.exp(-px * 0.0025)));
    const r = this.scroller.getBoundingClientRect();
    this.wheelPoint = { x: e.clientX - r.left, y: e.clientY - r.top };
    if (this.wheelRaf) return;
    this.wheelRaf = requestAnimationFrame(() => {
      this.wheelRaf = 0;
      const f = this.wheelFactor;
      this.wheelFactor = 1;
      this.zoomSetting = clampZoom(this.zoomFactor * f);
      this.zoomTo(this.zoomSetting, this.wheelPoint ?? undefined);
      this.settingsChanged();
    });
  }

  // ---- Pages: which to draw, which is current --------------------------------

  private schedule(): void {
    if (this.raf) return;
    this.raf = requestAnimationFrame(() => {
      this.raf = 0;
      this.update();
    });
  }

  private update(): void {
    if (!this.doc || this.views.length === 0) return;
    const sc = this.scroller;
    const top = sc.scrollTop;
    const bottom = top + sc.clientHeight;
    const cur = currentPage(this.layout, top, bottom);
    if (cur !== this.current) {
      this.current = cur;
      this.updateToolbar();
      this.hooks.onPageChange?.(cur + 1);
      this.checkNotice();
    }
    const range = visibleRange(this.layout, top, bottom) ?? [cur, cur];
    const win = renderWindow(range, this.views.length, AHEAD, KEEP);
    const withText: PageView[] = [];
    for (const v of this.views) {
      const near = v.index >= win.keep[0] && v.index <= win.keep[1];
      // A page drawn for a place the view has left is given up at once:
      // after a jump the page now in view is drawn next, not after it.
      if (!near && (v.hasCanvas || v.drawing)) v.releaseCanvas();
      if (v.setTextShown(near) && near) this.textLayerReady(v);
      if (v.textLayer) withText.push(v);
    }
    if (withText.length > MAX_TEXT_LAYERS) {
      withText.sort((a, b) => Math.abs(b.index - cur) - Math.abs(a.index - cur));
      for (const v of withText.slice(0, withText.length - MAX_TEXT_LAYERS)) v.release();
    }
    this.pump(range, win.draw);
  }

  /** Draws one page at a time: visible pages nearest the current one first, then the ones around. */
  private pump(range?: [number, number], draw?: [number, number]): void {
    if (this.busy || !this.doc) return;
    const sc = this.scroller;
    if (!range || !draw) {
      const top = sc.scrollTop;
      const bottom = top + sc.clientHeight;
      range = visibleRange(this.layout, top, bottom) ?? [this.current, this.current];
      draw = renderWindow(range, this.views.length, AHEAD, KEEP).draw;
    }
    const ratio = window.devicePixelRatio || 1;
    const scale = this.drawScale || this.scale;
    const order: number[] = [];
    for (let i = range[0]; i <= range[1]; i++) order.push(i);
    order.sort((a, b) => Math.abs(a - this.current) - Math.abs(b - this.current));
    for (let i = draw[0]; i <= draw[1]; i++) if (i < range[0] || i > range[1]) order.push(i);
    const next = order.map((i) => this.views[i]).find((v) => v && v.needsDraw(scale, ratio));
    if (!next) return;
    const gen = this.generation;
    this.busy = true;
    this.proxy(next.index)
      .then(() => next.draw(scale, ratio))
      .then(
        (newText) => {
          if (gen !== this.generation) return;
          if (newText) this.textLayerReady(next);
          this.hooks.onPageRendered?.(next.index + 1, next.overlay);
        },
        (e) => {
          if (!(e instanceof Cancelled) && gen === this.generation) console.warn(`page ${next.index + 1}:`, e);
        },
      )
      .finally(() => {
        if (gen !== this.generation) return;
        this.busy = false;
        this.pump();
      });
  }

  /** A page's text layer was built or shown again: draw its find hits, finish a jump to one. */
  private textLayerReady(v: PageView): void {
    this.drawFinds(v);
    const r = this.pendingReveal;
    if (r && r.page === v.index) {
      this.pendingReveal = null;
      // Not from inside update(), which may be what called this.
      queueMicrotask(() => void this.revealHit(r));
    }
  }

  pageCount(): number {
    return this.views.length;
  }

  currentPage(): number {
    return this.doc ? this.current + 1 : 0;
  }

  goToPage(n: number): void {
    if (!this.doc) return;
    const i = Math.min(this.views.length, Math.max(1, Math.floor(n))) - 1;
    this.scrollToPage(i);
    this.update();
  }

  private scrollToPage(i: number, margin = GAP / 2): void {
    this.scroller.scrollTop = Math.max(0, this.layout.tops[i] - margin);
  }

  private async goToDest(dest: unknown): Promise<void> {
    const doc = this.doc;
    if (!doc) return;
    try {
      const explicit = typeof dest === "string" ? await doc.getDestination(dest) : dest;
      const t = parseExplicitDest(explicit);
      if (!t || this.doc !== doc) return;
      let index = pageNumberRef(t.page);
      if (index === null && t.page && typeof t.page === "object") index = await doc.getPageIndex(t.page as { num: number; gen: number });
      if (index === null || index < 0 || index >= this.views.length || this.doc !== doc) return;
      await this.proxy(index);
      const vp = this.views[index].viewport(this.scale);
      if (!vp) return;
      const [px, py] = t.top === null && t.left === null ? [0, 0] : vp.convertToViewportPoint(t.left ?? 0, t.top ?? (vp.viewBox[3] as number));
      this.scroller.scrollTop = Math.max(0, this.layout.tops[index] + (t.top === null ? 0 : py) - GAP / 2);
      if (t.left !== null && this.layout.widths[index] > this.scroller.clientWidth) this.scroller.scrollLeft = this.pageLeft(index) + px - SIDE;
      this.update();
    } catch (e) {
      console.warn("destination:", e);
    }
  }

  private follow(t: LinkTarget): void {
    if (t.kind === "url") this.hooks.onExternalLink?.(t.url);
    else if (t.kind === "dest") void this.goToDest(t.dest);
    else {
      const last = this.views.length;
      const to: Record<string, number> = { NextPage: this.current + 2, PrevPage: this.current, FirstPage: 1, LastPage: last };
      if (to[t.action] !== undefined) this.goToPage(to[t.action]);
    }
  }

  // ---- Toolbar, keys, outline, theme ------------------------------------------

  private updateToolbar(): void {
    this.toolbar.show({
      open: !!this.doc,
      zoom: this.zoomFactor,
      page: this.current + 1,
      pages: this.views.length,
      hasOutline: this.hasOutline,
      outlineShown: !this.outlinePane.hidden,
    });
  }

  private onKey(e: KeyboardEvent): void {
    const t = e.target as HTMLElement | null;
    const inField = !!t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
    const command = keyCommand(e, inField, !!this.doc);
    if (!command || (command === "escape" && !this.findBar.isOpen && !this.area.active)) return;
    e.stopPropagation();
    if (command === "scroll") return;
    e.preventDefault();
    switch (command) {
      case "find":
        return this.findBar.open();
      case "zoom-in":
        return this.zoomIn();
      case "zoom-out":
        return this.zoomOut();
      case "fit-width":
        return this.setZoom("fit-width");
      case "next-page":
        return this.goToPage(this.current + 2);
      case "previous-page": {
        // Mid-page, go to the top of the current page first.
        const midPage = this.scroller.scrollTop > this.layout.tops[this.current] + 2 * GAP;
        return this.goToPage(midPage ? this.current + 1 : this.current);
      }
      case "first-page":
        return this.goToPage(1);
      case "last-page":
        return this.goToPage(this.views.length);
      case "escape":
        return this.findBar.isOpen ? this.findBar.close() : this.setAreaMode(false);
    }
  }

  /** Shows, hides or (without argument) toggles the outline. */
  showOutline(on?: boolean, remember = true): void {
    const show = (on ?? this.outlinePane.hidden) && this.hasOutline;
    this.outlinePane.hidden = !show;
    if (remember && on === undefined) this.outlineWanted = show;
    else if (remember) this.outlineWanted = !!on;
    this.updateToolbar();
    if (remember) this.settingsChanged();
    // The scroller's width changed: the resize observer relayouts.
  }

  setPageTheme(theme: PageTheme): void {
    this.theme = theme;
    this.toolbar.showTheme(theme);
    this.applyTheme();
    this.settingsChanged();
  }

  private applyTheme(): void {
    const t = this.theme === "auto" ? (this.dark.matches ? "dim" : "normal") : this.theme;
    this.root.classList.toggle("pdf-dim", t === "dim");
    this.root.classList.toggle("pdf-invert", t === "invert");
  }

  setAreaMode(on: boolean): void {
    this.area.active = on;
    this.root.classList.toggle("pdf-area-mode", on);
    this.toolbar.showArea(on);
  }

  private settingsChanged(): void {
    this.hooks.onSettingsChange?.({ zoom: this.zoomSetting, theme: this.theme, outline: this.outlineWanted });
  }

  private showMessage(text: string, error: boolean): void {
    this.message.textContent = text;
    this.message.classList.toggle("error", error);
    this.message.hidden = false;
  }

  private hideMessage(): void {
    this.message.hidden = true;
    this.message.textContent = "";
  }

  /** One line under the toolbar while the current page has no text at all (a scan). */
  private checkNotice(): void {
    const i = this.current;
    const gen = this.generation;
    void this.textOf(i).then(
      (t) => {
        if (gen === this.generation && i === this.current) this.notice.hidden = !isBlank(t.text.text);
      },
      () => {},
    );
  }

  // ---- Find ---------------------------------------------------------------------

  async find(query: string): Promise<number> {
    if (!this.doc) return 0;
    this.findBar.open();
    return this.findBar.search(query);
  }

  findNext(dir: 1 | -1 = 1): void {
    this.findBar.step(dir);
  }

  closeFind(): void {
    this.findBar.close();
  }

  private showHits(hits: readonly Hit[], current: number): void {
    const byPage = new Map<number, { start: number; end: number; current: boolean }[]>();
    hits.forEach((hit, i) => {
      let list = byPage.get(hit.page);
      if (!list) byPage.set(hit.page, (list = []));
      list.push({ start: hit.start, end: hit.end, current: i === current });
    });
    const before = this.findHits;
    this.findHits = byPage;
    for (const v of this.views) if (before.has(v.index) || byPage.has(v.index)) this.drawFinds(v);
  }

  private drawFinds(v: PageView): void {
    const hits = this.findHits.get(v.index) ?? [];
    if (hits.length === 0) return v.setFinds([]);
    const tp = this.textPage(v);
    // Drawn when the page's text layer is built or shown again.
    if (!tp) return v.setFinds([]);
    v.setFinds(hits.map((hit) => ({ rects: textRangeRects(tp, hit.start, hit.end), current: hit.current })));
  }

  private async revealHit(hit: Hit): Promise<void> {
    const v = this.views[hit.page];
    if (!v) return;
    const tp = this.textPage(v);
    if (tp) {
      const rects = textRangeRects(tp, hit.start, hit.end);
      if (rects.length) return this.scrollToRect(hit.page + 1, rects.reduce(union));
    }
    // Not drawn yet: go to the page; the hit is shown when its text layer is ready.
    this.pendingReveal = hit;
    this.scrollToPage(hit.page);
    this.update();
  }

  // ---- Geometry for highlights -------------------------------------------------

  private textPage(v: PageView): TextPage | null {
    const vp = v.viewport(this.scale);
    if (!v.textLayer || !v.textShown || !v.text || !v.items || !vp) return null;
    return { index: v.index, div: v.div, textDivs: v.textLayer.textDivs, text: v.text, items: v.items, transform: vp.transform };
  }

  private boxToPdf(index: number, box: Box): PdfRect | null {
    const vp = this.views[index]?.viewport(this.scale);
    return vp ? boxToPdf(box, vp.transform) : null;
  }

  selectionTargets(): SelectionTarget[] | null {
    const sel = document.getSelection();
    const range = sel && sel.rangeCount > 0 ? sel.getRangeAt(0) : null;
    if (!range || range.collapsed || !this.doc) return null;
    const pages = this.views.map((v) => this.textPage(v)).filter((p): p is TextPage => p !== null);
    return selectionTargets(range, pages);
  }

  async pageText(page: number): Promise<string> {
    if (!this.doc || page < 1 || page > this.views.length) return "";
    return (await this.textOf(page - 1)).text.text;
  }

  async textContext(page: number, start: number, end: number, chars = 32): Promise<{ prefix: string; exact: string; suffix: string }> {
    return textContext(await this.pageText(page), start, end, chars);
  }

  drawRects(page: number, rects: readonly PdfRect[], className: string, data: Record<string, string> = {}): HTMLElement[] {
    const v = this.views[page - 1];
    return v ? v.addMarks(rects, className, data) : [];
  }

  clearOverlay(page?: number, className?: string): void {
    if (page === undefined) for (const v of this.views) v.clearMarks(className);
    else this.views[page - 1]?.clearMarks(className);
  }

  /**
   * Scrolls a rectangle into view. block "auto": nothing when it is already
   * in view, else centered; "center" and "start" always scroll.
   */
  async scrollToRect(page: number, rect: PdfRect, block: "auto" | "center" | "start" = "auto"): Promise<void> {
    const i = page - 1;
    if (!this.doc || !this.views[i]) return;
    await this.proxy(i);
    const vp = this.views[i].viewport(this.scale);
    if (!vp) return;
    const b = pdfToBox(rect, vp.transform);
    const sc = this.scroller;
    const x = this.pageLeft(i) + b.left;
    const y = this.layout.tops[i] + b.top;
    const inY = y >= sc.scrollTop && y + b.height <= sc.scrollTop + sc.clientHeight;
    const inX = x >= sc.scrollLeft && x + b.width <= sc.scrollLeft + sc.clientWidth;
    if (block === "start") sc.scrollTop = y - 3 * GAP;
    else if (block === "center" || !inY) sc.scrollTop = y + b.height / 2 - sc.clientHeight / 2;
    if (!inX) sc.scrollLeft = x + b.width / 2 - sc.clientWidth / 2;
    this.update();
  }

  /** Briefly outlines a rectangle (after a jump to a highlight). */
  async flash(page: number, rect: PdfRect): Promise<void> {
    const v = this.views[page - 1];
    if (!v) return;
    await this.proxy(page - 1).catch(() => undefined);
    const [el] = v.addMarks([rect], "pdf-flash");
    window.setTimeout(() => v.removeMark(el), 1300);
  }

  /** Where a page rectangle is on screen now (client coordinates), for placing a popup next to it. */
  clientBox(page: number, rect: PdfRect): DOMRect | null {
    const v = this.views[page - 1];
    const vp = v?.viewport(this.scale);
    if (!v || !vp) return null;
    const o = v.div.getBoundingClientRect();
    const b = pdfToBox(rect, vp.transform);
    return new DOMRect(o.left + b.left, o.top + b.top, b.width, b.height);
  }

  private afterMouseUp(): void {
    if (!this.hooks.onSelect) return;
    const t = this.selectionTargets();
    if (t) this.hooks.onSelect(t);
  }

  private onClick(e: MouseEvent): void {
    if (!this.hooks.onMarkClick || e.button !== 0) return;
    const sel = document.getSelection();
    if (sel && !sel.isCollapsed) return;
    const div = (e.target as Element | null)?.closest?.<HTMLElement>(".pdf-page");
    const i = div ? Number(div.dataset.page) - 1 : -1;
    const v = this.views[i];
    const vp = v?.viewport(this.scale);
    if (!v || !vp) return;
    const o = v.div.getBoundingClientRect();
    const [x, y] = apply(invert(vp.transform), e.clientX - o.left, e.clientY - o.top);
    const marks = v.marksAt(x, y);
    if (marks.length) this.hooks.onMarkClick({ page: i + 1, marks }, e);
  }
}

function cancelled(): OpenResult {
  return { ok: false, reason: "cancelled", message: "Opening was cancelled by a newer request." };
}

function reason(e: unknown): string {
  const m = e instanceof Error ? e.message : typeof e === "object" && e && "message" in e ? String((e as { message: unknown }).message) : String(e);
  return m.trim().replace(/\.$/, "") || "unknown error";
}
