import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn(), Channel: class {} }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn() }));

import type { Applied } from "./bindings";
import { outcomeLine, timeLeft } from "./fetchpanel";

const base: Applied = {
  citekey: "k",
  outcome: "filled",
  filled: [],
  left_out: [],
  candidates: [],
  error: null,
  pdf: null,
  pdf_problem: null,
};

describe("the fetch panel", () => {
  it("estimates the time left from the pace so far", () => {
    expect(timeLeft({ done: 1, total: 4, elapsed_ms: 3000 })).toBe("about 9 s left");
    expect(timeLeft({ done: 2, total: 42, elapsed_ms: 6000 })).toBe("about 2 min 0 s left");
    expect(timeLeft({ done: 0, total: 4, elapsed_ms: 0 })).toBe("");
    expect(timeLeft({ done: 4, total: 4, elapsed_ms: 9000 })).toBe("");
  });

  it("says each outcome in one line", () => {
    expect(outcomeLine({ ...base, filled: [{ field: "doi", source: "crossref", at: "t" }], pdf: "attachments/k/k.pdf" }))
      .toBe("k: filled doi (crossref); PDF attached");
    expect(outcomeLine({ ...base, outcome: "ambiguous", candidates: ["“A” (arXiv 1)", "“A” (arXiv 2)"] }))
      .toBe("k: ambiguous, not filled; it could be “A” (arXiv 1) or “A” (arXiv 2)");
    expect(outcomeLine({ ...base, outcome: "failed", error: "offline: could not reach export.arxiv.org" }))
      .toBe("k: failed: offline: could not reach export.arxiv.org");
    expect(outcomeLine({ ...base, outcome: "not_found" })).toBe("k: not found");
  });
});
