import { pageNumberRef, parseExplicitDest } from "./dest";

describe("destinations", () => {
  const ref = { num: 12, gen: 0 };
  it("reads the point of an XYZ destination", () => {
    expect(parseExplicitDest([ref, { name: "XYZ" }, 72, 700, null])).toEqual({ page: ref, left: 72, top: 700 });
    expect(parseExplicitDest([ref, { name: "XYZ" }, null, null, 0])).toEqual({ page: ref, left: null, top: null });
  });
  it("reads the other kinds", () => {
    expect(parseExplicitDest([ref, { name: "FitH" }, 500])).toEqual({ page: ref, left: null, top: 500 });
    expect(parseExplicitDest([ref, { name: "FitBV" }, 30])).toEqual({ page: ref, left: 30, top: null });
    expect(parseExplicitDest([ref, { name: "FitR" }, 10, 20, 300, 400])).toEqual({ page: ref, left: 10, top: 400 });
    expect(parseExplicitDest([3, { name: "Fit" }])).toEqual({ page: 3, left: null, top: null });
  });
  it("rejects what is not a destination", () => {
    expect(parseExplicitDest(null)).toBeNull();
    expect(parseExplicitDest("name")).toBeNull();
    expect(parseExplicitDest([ref])).toBeNull();
  });
  it("takes integer page references as page numbers", () => {
    expect(pageNumberRef(4)).toBe(4);
    expect(pageNumberRef(ref)).toBeNull();
    expect(pageNumberRef(-1)).toBeNull();
  });
});
