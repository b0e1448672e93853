// The PDF viewer's toolbar: outline toggle, zoom, page box, find, the area
// tool and the page colors. It holds no state of the document; the viewer
// tells it what to show (`show`) and it calls the viewer back.

import { h } from "../dom";

export type PageTheme = "auto" | "normal" | "dim" | "invert";

/** What the toolbar's controls do. */
export interface ToolbarActions {
  toggleOutline(): void;
  zoomIn(): void;
  zoomOut(): void;
  fitWidth(): void;
  fitPage(): void;
  /** The page number typed in the page box (1-based). */
  goToPage(n: number): void;
  /** The page box was left (Enter or Escape): back to the pages. */
  leavePageBox(): void;
  openFind(): void;
  toggleArea(): void;
  setTheme(theme: PageTheme): void;
}

/** What the toolbar shows. */
export interface ToolbarState {
  open: boolean;
  zoom: number;
  page: number;
  pages: number;
  hasOutline: boolean;
  outlineShown: boolean;
}

export class Toolbar {
  readonly el: HTMLElement;
  private readonly pageInput: HTMLInputElement;
  private readonly pageTotal: HTMLElement;
  private readonly zoomLabel: HTMLElement;
  private readonly outlineButton: HTMLButtonElement;
  private readonly areaButton: HTMLButtonElement;
  private readonly themeSelect: HTMLSelectElement;
  /** Controls that need an open document. */
  private readonly docControls: HTMLButtonElement[] = [];
  private page = 0;

  constructor(actions: ToolbarActions, theme: PageTheme, signal: AbortSignal) {
    const button = (label: string, title: string, onclick: () => void, cls = "") => {
      const b = h("button", { type: "button", class: cls || null, title, "aria-label": title, onclick }, label);
      this.docControls.push(b);
      return b;
    };
    this.outlineButton = button("☰", "Outline", () => actions.toggleOutline(), "pdf-outline-button");
    this.outlineButton.hidden = true;
    this.zoomLabel = h("span", { class: "pdf-zoom-label", "aria-live": "polite" }, "");
    this.pageInput = h("input", { class: "pdf-page-input", type: "text", inputmode: "numeric", "aria-label": "Page", title: "Go to page", size: 4 });
    this.pageTotal = h("span", { class: "pdf-page-total" }, "");
    this.areaButton = button("▭ Area", "Mark an area (or Alt+drag)", () => actions.toggleArea(), "pdf-area-button");
    this.areaButton.setAttribute("aria-pressed", "false");
    this.themeSelect = h(
      "select",
      { class: "pdf-theme", title: "Page colors", "aria-label": "Page colors" },
      h("option", { value: "auto" }, "Pages: auto"),
      h("option", { value: "normal" }, "Pages: as printed"),
      h("option", { value: "dim" }, "Pages: dimmed"),
      h("option", { value: "invert" }, "Pages: inverted"),
    );
    this.themeSelect.value = theme;
    this.themeSelect.addEventListener("change", () => actions.setTheme(this.themeSelect.value as PageTheme), { signal });
    this.pageInput.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        const n = parseInt(this.pageInput.value, 10);
        if (Number.isFinite(n)) actions.goToPage(n);
        actions.leavePageBox();
      } else if (e.key === "Escape") {
        this.pageInput.value = String(this.page);
        actions.leavePageBox();
      }
    }, { signal });
    this.pageInput.addEventListener("blur", () => (this.pageInput.value = this.page ? String(this.page) : ""), { signal });
    this.el = h(
      "div",
      { class: "pdf-toolbar", role: "toolbar", "aria-label": "PDF" },
      this.outlineButton,
      h("span", { class: "pdf-group" }, button("−", "Zoom out (Ctrl+−)", () => actions.zoomOut()), this.zoomLabel, button("+", "Zoom in (Ctrl+=)", () => actions.zoomIn())),
      h("span", { class: "pdf-group" }, button("Fit width", "Fit the page width (Ctrl+0)", () => actions.fitWidth()), button("Fit page", "Fit the whole page", () => actions.fitPage())),
      h("span", { class: "pdf-group pdf-pages-nav" }, this.pageInput, this.pageTotal),
      h("span", { class: "pdf-spacer" }),
      button("Find", "Find in the PDF (Ctrl+F)", () => actions.openFind()),
      this.areaButton,
      this.themeSelect,
    );
  }

  /** Shows the document's state; the page box is left alone while typed in. */
  show(s: ToolbarState): void {
    this.page = s.open ? s.page : 0;
    this.zoomLabel.textContent = s.open ? `${Math.round(s.zoom * 100)}%` : "";
    this.pageTotal.textContent = s.open ? `/ ${s.pages}` : "";
    if (document.activeElement !== this.pageInput) this.pageInput.value = s.open ? String(s.page) : "";
    this.pageInput.disabled = !s.open;
    for (const b of this.docControls) b.disabled = !s.open;
    this.outlineButton.hidden = !s.hasOutline;
    this.outlineButton.setAttribute("aria-pressed", String(s.outlineShown));
  }

  showArea(on: boolean): void {
    this.areaButton.setAttribute("aria-pressed", String(on));
    this.areaButton.classList.toggle("on", on);
  }

  showTheme(theme: PageTheme): void {
    this.themeSelect.value = theme;
  }
}
