// One modal dialog at a time, closed by Escape or its buttons.

import { h, byId, clear, append } from "./dom";

type Child = Parameters<typeof append>[1];

export function openModal(id: string, title: string, ...body: Child[]): HTMLElement {
  closeModal();
  const root = byId("modal-root");
  const dialog = h(
    "div",
    { class: "modal", id, role: "dialog", "aria-modal": "true", "aria-label": title },
    h("div", { class: "modal-head" }, h("h2", {}, title), h("button", { class: "close", type: "button", "aria-label": "Close", onclick: () => closeModal() }, "×")),
    h("div", { class: "modal-body" }, ...body),
  );
  root.appendChild(h("div", { class: "backdrop" }, dialog));
  return dialog;
}

export function closeModal(): void {
  clear(byId("modal-root"));
}

export function modalOpen(): boolean {
  return byId("modal-root").childElementCount > 0;
}
