// Telling the user what is happening: toasts for results and errors, a
// busy bar for anything slower than 300 ms, and timings for benchmarks.

import { h, byId } from "./dom";
import { withProgress } from "./flow";

export function toast(message: string, kind: "error" | "info" = "info"): void {
  const box = byId("toasts");
  const t = h("div", { class: `toast ${kind}`, role: kind === "error" ? "alert" : "status" }, message);
  t.addEventListener("click", () => t.remove());
  box.appendChild(t);
  setTimeout(() => t.remove(), kind === "error" ? 12000 : 5000);
}

export function showError(e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  toast(message, "error");
}

let busyCount = 0;
function showBusy(): void {
  busyCount += 1;
  byId("busy").hidden = false;
}
function hideBusy(): void {
  busyCount = Math.max(0, busyCount - 1);
  if (busyCount === 0) byId("busy").hidden = true;
}

/** Runs `work`, showing the busy bar if it takes over 300 ms. */
export function busy<T>(work: Promise<T>): Promise<T> {
  return withProgress(work, showBusy, hideBusy);
}

/** Timings the benchmark reads through WebDriver (milliseconds). */
export const metrics = {
  ready: -1,
  keystroke: [] as number[],
  /** The search call alone (engine + IPC), per keystroke. */
  search: [] as number[],
  open: [] as number[],
  /** Picking a color for a PDF selection → the highlight painted on the page. */
  pdfHighlightDrawn: [] as number[],
  /** Picking a color for a PDF selection → the engine has stored it. */
  pdfHighlightStored: [] as number[],
  /** What the window did with each change of the library folder it was
   * told of, newest last (at most 50), for tests that look into a miss. */
  folder: [] as string[],
};
(window as unknown as { __lectern: typeof metrics }).__lectern = metrics;

/** Calls `done(ms)` once the frame showing the change has been painted. */
export function afterPaint(since: number, done: (ms: number) => void): void {
  requestAnimationFrame(() => setTimeout(() => done(performance.now() - since), 0));
}
