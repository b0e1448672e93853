// Marking an area of a page (a figure, a formula, a scanned paragraph): with
// the area tool on, or with Alt held, a drag draws a rubber band on the page
// and, on release, hands the rectangle, in PDF space, to the viewer.
// Escape cancels a drag in progress.

import { h } from "../dom";
import type { Box } from "./geometry";

export interface AreaHost {
  /** The element all pages are in. */
  pages: HTMLElement;
  /** The page box under an element, and its 0-based index. */
  pageOf(target: EventTarget | null): { index: number; div: HTMLElement } | null;
  /** A box on a page, in CSS px relative to the page, is done. */
  done(index: number, box: Box): void;
}

/** Drags smaller than this (CSS px) are clicks, not areas. */
const MIN_DRAG = 4;

export class AreaTool {
  active = false;
  private drag: { index: number; div: HTMLElement; x: number; y: number; band: HTMLElement; box: Box; pointer: number } | null = null;
  private readonly ac = new AbortController();
  private justDragged = false;

  constructor(private readonly host: AreaHost) {
    const { signal } = this.ac;
    const opts = { signal, capture: true };
    host.pages.addEventListener("pointerdown", (e) => this.down(e), opts);
    host.pages.addEventListener("pointermove", (e) => this.move(e), opts);
    host.pages.addEventListener("pointerup", (e) => this.up(e), opts);
    host.pages.addEventListener("pointercancel", () => this.cancel(), opts);
    // Text selection starts on mousedown: stop it while marking an area.
    host.pages.addEventListener("mousedown", (e) => this.wants(e) && e.preventDefault(), opts);
    // The click that ends a drag is not a click on what lies under it.
    host.pages.addEventListener(
      "click",
      (e) => {
        if (!this.justDragged) return;
        this.justDragged = false;
        e.preventDefault();
        e.stopPropagation();
      },
      opts,
    );
    document.addEventListener("keydown", (e) => e.key === "Escape" && this.drag && this.cancel(), { signal });
  }

  destroy(): void {
    this.cancel();
    this.ac.abort();
  }

  private wants(e: MouseEvent): boolean {
    return e.button === 0 && (this.active || e.altKey);
  }

  private point(e: PointerEvent, div: HTMLElement): [number, number] {
    const r = div.getBoundingClientRect();
    return [Math.min(r.width, Math.max(0, e.clientX - r.left)), Math.min(r.height, Math.max(0, e.clientY - r.top))];
  }

  private down(e: PointerEvent): void {
    if (!this.wants(e)) return;
    const page = this.host.pageOf(e.target);
    if (!page) return;
    e.preventDefault();
    e.stopPropagation();
    document.getSelection()?.removeAllRanges();
    const [x, y] = this.point(e, page.div);
    const band = h("div", { class: "pdf-area-band" });
    page.div.append(band);
    this.drag = { ...page, x, y, band, box: { left: x, top: y, width: 0, height: 0 }, pointer: e.pointerId };
    this.host.pages.setPointerCapture?.(e.pointerId);
    this.show();
  }

  private move(e: PointerEvent): void {
    const d = this.drag;
    if (!d || e.pointerId !== d.pointer) return;
    e.preventDefault();
    const [x, y] = this.point(e, d.div);
    d.box = { left: Math.min(x, d.x), top: Math.min(y, d.y), width: Math.abs(x - d.x), height: Math.abs(y - d.y) };
    this.show();
  }

  private up(e: PointerEvent): void {
    const d = this.drag;
    if (!d || e.pointerId !== d.pointer) return;
    e.preventDefault();
    e.stopPropagation();
    this.cancel();
    this.justDragged = true;
    // No click follows when the pointer moved off the page; forget the flag then.
    window.setTimeout(() => (this.justDragged = false), 0);
    if (d.box.width >= MIN_DRAG && d.box.height >= MIN_DRAG) this.host.done(d.index, d.box);
  }

  private show(): void {
    const d = this.drag;
    if (!d) return;
    Object.assign(d.band.style, { left: `${d.box.left}px`, top: `${d.box.top}px`, width: `${d.box.width}px`, height: `${d.box.height}px` });
  }

  cancel(): void {
    const d = this.drag;
    if (!d) return;
    this.drag = null;
    d.band.remove();
    if (this.host.pages.hasPointerCapture?.(d.pointer)) this.host.pages.releasePointerCapture(d.pointer);
  }
}
