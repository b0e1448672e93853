// The selectable text of one page: pdf.js's TextLayer, transparent spans
// laid over the canvas that size themselves from the page's
// `--scale-factor`, so that they stay aligned at every zoom without being
// laid out again. `SelectionGuard` is pdf.js's own fix (from its viewer's
// text layer builder) for selecting in WebKit: an invisible block at the end
// of each text layer keeps a drag over empty space from selecting the whole
// page.

import type { PageViewport } from "pdfjs-dist";
import type { TextContent } from "pdfjs-dist/types/src/display/api";
import type { PdfJsModule } from "./pdfjs";

export class PageTextLayer {
  readonly div: HTMLDivElement;
  private readonly end: HTMLDivElement;
  private layer: InstanceType<PdfJsModule["TextLayer"]> | null = null;
  /** The span of each text item (item i ↔ textDivs[i]), in the order of the page text. */
  textDivs: HTMLElement[] = [];

  constructor(private readonly pdfjs: PdfJsModule) {
    this.div = document.createElement("div");
    this.div.className = "textLayer";
    this.end = document.createElement("div");
    this.end.className = "endOfContent";
  }

  async render(content: TextContent, viewport: PageViewport, guard: SelectionGuard): Promise<void> {
    const layer = new this.pdfjs.TextLayer({ textContentSource: content, container: this.div, viewport });
    this.layer = layer;
    await layer.render();
    if (this.layer !== layer) return;
    this.textDivs = layer.textDivs;
    this.div.append(this.end);
    guard.add(this.div, this.end);
  }

  destroy(guard: SelectionGuard): void {
    this.layer?.cancel();
    this.layer = null;
    this.textDivs = [];
    guard.remove(this.div);
    this.div.remove();
  }
}

/** One per viewer: watches the document's selection while text layers exist. */
export class SelectionGuard {
  private readonly layers = new Map<HTMLElement, HTMLElement>();
  private ac: AbortController | null = null;
  private pointerDown = false;
  private prevRange: Range | null = null;
  private native: boolean | undefined;

  add(layer: HTMLElement, end: HTMLElement): void {
    this.layers.set(layer, end);
    layer.addEventListener("mousedown", () => layer.classList.add("selecting"));
    if (!this.ac) this.listen();
  }

  remove(layer: HTMLElement): void {
    this.layers.delete(layer);
    if (this.layers.size === 0) this.destroy();
  }

  destroy(): void {
    this.ac?.abort();
    this.ac = null;
    this.prevRange = null;
  }

  private reset = (end: HTMLElement, layer: HTMLElement) => {
    layer.append(end);
    end.style.width = "";
    end.style.height = "";
    end.style.userSelect = "";
    layer.classList.remove("selecting");
  };

  private listen(): void {
    this.ac = new AbortController();
    const { signal } = this.ac;
    const resetAll = () => this.layers.forEach(this.reset);
    document.addEventListener("pointerdown", () => (this.pointerDown = true), { signal });
    document.addEventListener(
      "pointerup",
      () => {
        this.pointerDown = false;
        resetAll();
      },
      { signal },
    );
    window.addEventListener(
      "blur",
      () => {
        this.pointerDown = false;
        resetAll();
      },
      { signal },
    );
    document.addEventListener("keyup", () => !this.pointerDown && resetAll(), { signal });
    document.addEventListener("selectionchange", () => this.onSelectionChange(), { signal });
  }

  private onSelectionChange(): void {
    const selection = document.getSelection();
    if (!selection || selection.rangeCount === 0) {
      this.layers.forEach(this.reset);
      return;
    }
    const active = new Set<HTMLElement>();
    for (let i = 0; i < selection.rangeCount; i++) {
      const range = selection.getRangeAt(i);
      if (range.collapsed && !this.pointerDown) continue;
      for (const layer of this.layers.keys()) if (range.intersectsNode(layer)) active.add(layer);
    }
    for (const [layer, end] of this.layers) {
      if (active.has(layer)) layer.classList.add("selecting");
      else this.reset(end, layer);
    }
    if (this.layers.size === 0) return;
    // Engines that select well without help (Firefox, recent Chromium) hide
    // `-moz-user-select`; WebKit needs the end block moved next to the
    // selection's moving end.
    this.native ??= getComputedStyle(this.layers.keys().next().value as HTMLElement).getPropertyValue("-moz-user-select") === "none";
    if (this.native) return;
    const range = selection.getRangeAt(0);
    const prev = this.prevRange;
    const modifyStart =
      !!prev && (range.compareBoundaryPoints(Range.END_TO_END, prev) === 0 || range.compareBoundaryPoints(Range.START_TO_END, prev) === 0);
    let anchor: Node | null = modifyStart ? range.startContainer : range.endContainer;
    if (anchor.nodeType === Node.TEXT_NODE) anchor = anchor.parentNode;
    if (!modifyStart && range.endOffset === 0 && anchor) {
      do {
        while (anchor && !anchor.previousSibling) anchor = anchor.parentNode;
        anchor = anchor?.previousSibling ?? null;
      } while (anchor && !anchor.childNodes.length);
    }
    const el = anchor as HTMLElement | null;
    const layer = el?.parentElement?.closest<HTMLElement>(".textLayer");
    const end = layer ? this.layers.get(layer) : undefined;
    if (layer && end && el?.parentElement) {
      end.style.width = layer.style.width;
      end.style.height = layer.style.height;
      end.style.userSelect = "text";
      el.parentElement.insertBefore(end, modifyStart ? el : el.nextSibling);
    }
    this.prevRange = range.cloneRange();
  }
}
