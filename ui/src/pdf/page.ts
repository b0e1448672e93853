// One page of the viewer: a box of the page's size at the current zoom that
// holds, from the bottom up, the canvas, the find hits, the text layer, the
// caller's highlight overlay and the links. The canvas and the text layer
// exist only while the page is near the view (`draw` / `release`); the
// overlay, the find hits and the links are placed in percentages of the page
// and survive zooms and releases.

import type { PDFPageProxy, PageViewport, RenderTask } from "pdfjs-dist";
import type { TextContent } from "pdfjs-dist/types/src/display/api";
import { h } from "../dom";
import { pdfToPercent, type PdfRect } from "./geometry";
import { buildLinkLayer, type LinkTarget } from "./links";
import type { PdfJsModule } from "./pdfjs";
import type { ItemGeometry, PageText } from "./text";
import { PageTextLayer, type SelectionGuard } from "./textlayer";

/** What a page needs from its viewer. */
export interface PageEnv {
  pdfjs: PdfJsModule;
  guard: SelectionGuard;
  /** The page's text content, fetched once per document. */
  text(index: number): Promise<{ content: TextContent; text: PageText; items: ItemGeometry[] }>;
  follow(target: LinkTarget): void;
  /** Pixels in a canvas at most; a larger page is drawn at a lower resolution and stretched. */
  maxCanvasPixels: number;
}

/** Raised by `draw` when the drawing was cancelled (the page scrolled away or the zoom changed). */
export class Cancelled extends Error {}

interface Mark {
  el: HTMLElement;
  rect: PdfRect;
}

export class PageView {
  readonly div: HTMLDivElement;
  private readonly wrap: HTMLDivElement;
  readonly findLayer: HTMLDivElement;
  readonly overlay: HTMLDivElement;
  private canvas: HTMLCanvasElement | null = null;
  private task: RenderTask | null = null;
  private drawnScale = 0;
  private drawnRatio = 0;
  textLayer: PageTextLayer | null = null;
  /** The scale the text layer was measured at. */
  private textScale = 0;
  /** Drawing failed at this scale (a damaged page): not tried again until the zoom changes. */
  private failedScale = 0;
  /** The page's text could not be read: the page is shown without a text layer. */
  private textFailed = false;
  /** The page text and its items' geometry, once the text layer has been built. */
  text: PageText | null = null;
  items: ItemGeometry[] | null = null;
  private linksDone = false;
  private marks: Mark[] = [];
  private finds: Mark[] = [];
  /** The page at scale 1 (1 CSS px per PDF point × user unit), once known. */
  unit: PageViewport | null = null;
  proxy: PDFPageProxy | null = null;
  private generation = 0;

  constructor(readonly index: number, private readonly env: PageEnv) {
    this.wrap = h("div", { class: "pdf-canvas-wrap" });
    this.findLayer = h("div", { class: "pdf-find-layer" });
    this.overlay = h("div", { class: "pdf-overlay" });
    this.div = h("div", { class: "pdf-page", "data-page": index + 1, role: "region", "aria-label": `Page ${index + 1}` }, this.wrap, this.findLayer, this.overlay);
  }

  setProxy(proxy: PDFPageProxy): void {
    this.proxy = proxy;
    this.unit = proxy.getViewport({ scale: 1 });
    this.div.style.setProperty("--user-unit", String(this.unit.userUnit));
    this.placeAll();
  }

  /** The viewport at a CSS scale (CSS px per PDF point). */
  viewport(scale: number): PageViewport | null {
    return this.unit ? this.unit.clone({ scale }) : null;
  }

  /** Sizes the box for a scale; the text layer follows through `--scale-factor`. */
  setScale(scale: number, width: number, height: number): void {
    this.div.style.setProperty("--scale-factor", String(scale));
    this.div.style.width = `${width}px`;
    this.div.style.height = `${height}px`;
  }

  get hasCanvas(): boolean {
    return this.canvas !== null;
  }

  /** Whether a canvas is being drawn for it right now. */
  get drawing(): boolean {
    return this.task !== null;
  }

  /** True when the page has no canvas at this scale and pixel ratio, or no text layer measured at about this scale. */
  needsDraw(scale: number, ratio: number): boolean {
    if (this.failedScale === scale) return false;
    return !this.canvas || this.drawnScale !== scale || this.drawnRatio !== ratio || (!this.textLayer && !this.textFailed) || this.textStale(scale);
  }

  /**
   * pdf.js measures each text run once, at the scale it is built at; fonts
   * do not widen exactly in proportion (hinting), so after a zoom of more
   * than a few percent the runs drift off the canvas text and are measured
   * again. Not while the selection is in this page: rebuilding would drop it.
   */
  private textStale(scale: number): boolean {
    if (!this.textLayer || Math.abs(this.textScale - scale) / scale < 0.03) return false;
    const sel = document.getSelection();
    for (let i = 0; sel && i < sel.rangeCount; i++) {
      const r = sel.getRangeAt(i);
      if (!r.collapsed && r.intersectsNode(this.textLayer.div)) return false;
    }
    return true;
  }

  /**
   * Draws the canvas at `scale` (the old canvas, stretched, stays until the
   * new one is ready), then builds the text layer (again, after a zoom) and
   * the links if missing. Resolves true when the text layer is new. Rejects
   * with `Cancelled` when `release` or `cancel` interrupts it.
   */
  async draw(scale: number, ratio: number): Promise<boolean> {
    const gen = this.generation;
    const proxy = this.proxy;
    const vp = this.viewport(scale);
    if (!proxy || !vp) throw new Cancelled();
    if (!this.canvas || this.drawnScale !== scale || this.drawnRatio !== ratio) {
      const canvas = document.createElement("canvas");
      canvas.className = "pdf-canvas";
      canvas.setAttribute("aria-hidden", "true");
      let out = ratio;
      const area = vp.width * vp.height;
      if (area * out * out > this.env.maxCanvasPixels) out = Math.sqrt(this.env.maxCanvasPixels / area);
      canvas.width = Math.max(1, Math.floor(vp.width * out));
      canvas.height = Math.max(1, Math.floor(vp.height * out));
      const sx = canvas.width / vp.width;
      const sy = canvas.height / vp.height;
      const task = proxy.render({ canvas, viewport: vp, transform: sx !== 1 || sy !== 1 ? [sx, 0, 0, sy, 0, 0] : undefined });
      this.task = task;
      try {
        await task.promise;
      } catch (e) {
        canvas.width = canvas.height = 0;
        if (gen !== this.generation || isCancel(e)) throw new Cancelled();
        this.failedScale = scale;
        this.showError(e);
        throw e;
      } finally {
        if (this.task === task) this.task = null;
      }
      if (gen !== this.generation) {
        canvas.width = canvas.height = 0;
        throw new Cancelled();
      }
      const old = this.canvas;
      this.wrap.replaceChildren(canvas);
      if (old) old.width = old.height = 0;
      this.canvas = canvas;
      this.drawnScale = scale;
      this.drawnRatio = ratio;
    }
    let built = false;
    if ((!this.textLayer && !this.textFailed) || this.textStale(scale)) {
      const layer = new PageTextLayer(this.env.pdfjs);
      try {
        const { content, text, items } = await this.env.text(this.index);
        if (gen !== this.generation) throw new Cancelled();
        this.textLayer?.destroy(this.env.guard);
        this.textLayer = layer;
        this.textScale = scale;
        built = true;
        this.findLayer.after(layer.div);
        // Laid out in percentages and --scale-factor: it follows later zooms by itself.
        await layer.render(content, vp, this.env.guard);
        if (gen !== this.generation) throw new Cancelled();
        this.text = text;
        this.items = items;
      } catch (e) {
        if (e instanceof Cancelled || gen !== this.generation || isCancel(e)) throw new Cancelled();
        // The canvas stands; the page just has no selectable text.
        if (this.textLayer === layer) this.textLayer = null;
        layer.destroy(this.env.guard);
        this.textFailed = true;
        built = false;
        console.warn(`page ${this.index + 1}: no text layer:`, e);
      }
    }
    if (!this.linksDone) {
      // Links do not depend on the zoom and stay when the page is released.
      this.linksDone = true;
      try {
        const annotations = (await proxy.getAnnotations({ intent: "display" })) as Record<string, unknown>[];
        const u = this.unit!;
        const layer = buildLinkLayer(annotations, u.transform, u.width, u.height, this.env.follow);
        if (layer) this.div.append(layer);
      } catch {
        this.linksDone = false;
      }
    }
    return built;
  }

  private showError(e: unknown): void {
    const msg = e instanceof Error ? e.message : String(e);
    this.div.querySelector(".pdf-page-error")?.remove();
    this.div.append(h("div", { class: "pdf-page-error" }, `This page could not be drawn: ${msg}`));
  }

  /** Stops a drawing in progress; the page keeps what it has. */
  cancel(): void {
    this.generation++;
    this.task?.cancel();
    this.task = null;
  }

  /** Frees the canvas (the page scrolled away); the text layer stays. */
  releaseCanvas(): void {
    this.cancel();
    if (this.canvas) {
      this.canvas.width = this.canvas.height = 0;
      this.canvas.remove();
      this.canvas = null;
    }
    this.drawnScale = 0;
    this.proxy?.cleanup();
  }

  /** Hides or shows the text layer, kept while the page is away (see the viewer's KEEP_TEXT); true when it changed. */
  setTextShown(shown: boolean): boolean {
    const div = this.textLayer?.div;
    if (!div || div.hidden === !shown) return false;
    div.hidden = !shown;
    return true;
  }

  get textShown(): boolean {
    return !!this.textLayer && !this.textLayer.div.hidden;
  }

  /** Frees the canvas and the text layer. */
  release(): void {
    this.releaseCanvas();
    this.textLayer?.destroy(this.env.guard);
    this.textLayer = null;
    this.text = null;
    this.items = null;
  }

  /** Releases everything; the page is not used again. */
  destroy(): void {
    this.release();
    this.div.remove();
  }

  // Rectangles placed in percentages of the page: highlights and find hits.

  private place(m: Mark): void {
    const u = this.unit;
    if (!u) return;
    const p = pdfToPercent(m.rect, u.transform, u.width, u.height);
    Object.assign(m.el.style, { left: `${p.left}%`, top: `${p.top}%`, width: `${p.width}%`, height: `${p.height}%` });
  }

  private placeAll(): void {
    for (const m of this.marks) this.place(m);
    for (const m of this.finds) this.place(m);
  }

  addMarks(rects: readonly PdfRect[], className: string, data: Record<string, string> = {}): HTMLElement[] {
    return rects.map((rect) => {
      const el = h("div", { class: `pdf-mark ${className}`.trim() });
      for (const [k, v] of Object.entries(data)) el.dataset[k] = v;
      const m = { el, rect };
      this.place(m);
      this.marks.push(m);
      this.overlay.append(el);
      return el;
    });
  }

  /** Removes marks: all, or those with a class. */
  clearMarks(className?: string): void {
    const keep: Mark[] = [];
    for (const m of this.marks) {
      if (!className || m.el.classList.contains(className)) m.el.remove();
      else keep.push(m);
    }
    this.marks = keep;
  }

  removeMark(el: HTMLElement): void {
    this.marks = this.marks.filter((m) => m.el !== el);
    el.remove();
  }

  /** The marks whose rectangle holds a point of PDF space. */
  marksAt(x: number, y: number): HTMLElement[] {
    return this.marks.filter((m) => x >= m.rect.x0 && x <= m.rect.x1 && y >= m.rect.y0 && y <= m.rect.y1).map((m) => m.el);
  }

  setFinds(groups: readonly { rects: PdfRect[]; current: boolean }[]): void {
    for (const m of this.finds) m.el.remove();
    this.finds = [];
    for (const g of groups) {
      for (const rect of g.rects) {
        const el = h("div", { class: g.current ? "pdf-find-hit current" : "pdf-find-hit" });
        const m = { el, rect };
        this.place(m);
        this.finds.push(m);
        this.findLayer.append(el);
      }
    }
  }
}

function isCancel(e: unknown): boolean {
  const name = (e as { name?: string } | null)?.name;
  return name === "RenderingCancelledException" || name === "AbortException";
}

