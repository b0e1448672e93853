// What a key pressed in the PDF viewer asks for. Pure: the viewer carries
// the command out.

export type KeyCommand =
  | "find"
  | "zoom-in"
  | "zoom-out"
  | "fit-width"
  | "next-page"
  | "previous-page"
  | "first-page"
  | "last-page"
  | "escape"
  /** A key that scrolls the pages: the window's own shortcuts for it
   * (moving in the result list) must not fire as well. */
  | "scroll";

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

const SCROLLING = ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", " ", "Enter", "j", "k"];

/** The command for a key, or null. `inField`: typed into an input (only
 * Ctrl+F counts there); `open`: a document is shown. */
export function keyCommand(e: KeyPress, inField: boolean, open: boolean): KeyCommand | null {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key;
  if (!open) return null;
  if (mod && !e.altKey && key.toLowerCase() === "f") return "find";
  if (inField) return null;
  if (mod && (key === "+" || key === "=")) return "zoom-in";
  if (mod && (key === "-" || key === "_")) return "zoom-out";
  if (mod && key === "0") return "fit-width";
  if (mod || e.altKey) return null;
  switch (key) {
    case "PageDown":
      return "next-page";
    case "PageUp":
      return "previous-page";
    case "Home":
      return "first-page";
    case "End":
      return "last-page";
    case "Escape":
      return "escape";
  }
  return SCROLLING.includes(key) ? "scroll" : null;
}
