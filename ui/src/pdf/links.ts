// The links of one page, drawn from its Link annotations as transparent
// boxes over the text. A link never navigates the web view: it hands its
// target (an address, a destination in the document or a named action such
// as NextPage) to the viewer. Boxes are placed in percentages of the page,
// so they follow every zoom. pdf.js's AnnotationLayer would also build form
// fields and needs its own CSS; links are all the reader needs.

import { h } from "../dom";
import { pdfToPercent, rectFrom, type Matrix } from "./geometry";

/** What a link points at. */
export type LinkTarget = { kind: "url"; url: string } | { kind: "dest"; dest: unknown } | { kind: "action"; action: string };

/** The target of a pdf.js annotation record, or null when it is not a link Lectern follows. */
export function linkTarget(a: Record<string, unknown>): LinkTarget | null {
  if (a.subtype !== "Link") return null;
  if (a.dest !== undefined && a.dest !== null) return { kind: "dest", dest: a.dest };
  if (typeof a.url === "string" && a.url) return { kind: "url", url: a.url };
  if (typeof a.unsafeUrl === "string" && /^https?:\/\//i.test(a.unsafeUrl)) return { kind: "url", url: a.unsafeUrl };
  if (typeof a.action === "string" && a.action) return { kind: "action", action: a.action };
  return null;
}

/** A layer of link boxes for a page whose unscaled viewport has `transform` and size `width` × `height`. */
export function buildLinkLayer(annotations: readonly Record<string, unknown>[], transform: Matrix, width: number, height: number, follow: (t: LinkTarget) => void): HTMLDivElement | null {
  const boxes: HTMLElement[] = [];
  for (const a of annotations) {
    const target = linkTarget(a);
    const r = a.rect as number[] | undefined;
    if (!target || !Array.isArray(r) || r.length !== 4) continue;
    const p = pdfToPercent(rectFrom(r[0], r[1], r[2], r[3]), transform, width, height);
    const title = target.kind === "url" ? target.url : target.kind === "action" ? target.action : "Go to the destination in this document";
    const link = h("a", { class: "pdf-link", role: "link", title });
    Object.assign(link.style, { left: `${p.left}%`, top: `${p.top}%`, width: `${p.width}%`, height: `${p.height}%` });
    link.addEventListener("click", (e) => {
      e.preventDefault();
      e.stopPropagation();
      follow(target);
    });
    // A middle click or a drag must not open or carry the address either.
    link.addEventListener("auxclick", (e) => e.preventDefault());
    link.addEventListener("dragstart", (e) => e.preventDefault());
    boxes.push(link);
  }
  if (boxes.length === 0) return null;
  return h("div", { class: "pdf-links" }, ...boxes);
}
