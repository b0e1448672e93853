import { coveredPart } from "./selection";

describe("coveredPart", () => {
  const setup = () => {
    const div = document.createElement("div");
    div.innerHTML = "<span>alpha</span><span>beta</span><span>gamma</span>";
    document.body.append(div);
    const [a, b, c] = Array.from(div.querySelectorAll("span")).map((s) => s.firstChild as Text);
    return { div, a, b, c };
  };

  it("takes the covered part of the first, middle and last text node", () => {
    const { a, b, c } = setup();
    const r = document.createRange();
    r.setStart(a, 2);
    r.setEnd(c, 3);
    expect(coveredPart(r, a)).toEqual([2, 5]);
    expect(coveredPart(r, b)).toEqual([0, 4]);
    expect(coveredPart(r, c)).toEqual([0, 3]);
  });

  it("handles a range inside one node and boundaries on elements", () => {
    const { div, a, b, c } = setup();
    const r = document.createRange();
    r.setStart(b, 1);
    r.setEnd(b, 3);
    expect(coveredPart(r, b)).toEqual([1, 3]);
    expect(coveredPart(r, a)).toBeNull();
    const s = document.createRange();
    s.setStart(div, 1); // before the second span
    s.setEnd(div, 2); // after it
    expect(coveredPart(s, a)).toBeNull();
    expect(coveredPart(s, b)).toEqual([0, 4]);
    expect(coveredPart(s, c)).toBeNull();
  });

  it("ignores an empty part", () => {
    const { a, b } = setup();
    const r = document.createRange();
    r.setStart(a, 5);
    r.setEnd(b, 0);
    expect(coveredPart(r, a)).toBeNull();
    expect(coveredPart(r, b)).toBeNull();
  });
});
