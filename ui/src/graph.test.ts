import { drawGraph, layout, type GEdge, type GNode } from "./graph";

const node = (id: string): GNode => ({ id, label: id.toUpperCase(), title: `Title of ${id}` });
const edge = (from: string, to: string, suggested = false): GEdge => ({ from, to, kind: "cites", suggested });

// Two paths, a-b-c and d-e-f, interleaved so that on the starting circle
// linked nodes are farther apart than unlinked ones: only the springs can
// bring them together.
const NODES = ["a", "d", "b", "e", "c", "f"].map(node);
const EDGES = [edge("a", "b"), edge("b", "c"), edge("d", "e"), edge("e", "f")];
const LINKED = new Set(EDGES.flatMap((e) => [e.from + e.to, e.to + e.from]));

const dist = (p: { x: number; y: number }, q: { x: number; y: number }) => Math.hypot(p.x - q.x, p.y - q.y);

describe("layout", () => {
  it("is deterministic", () => {
    const a = layout(NODES, EDGES, 800, 600);
    const b = layout(NODES.map((n) => ({ ...n })), EDGES.map((e) => ({ ...e })), 800, 600);
    expect([...b.entries()]).toEqual([...a.entries()]);
  });

  it("places every node inside the box, with margins", () => {
    const many = Array.from({ length: 30 }, (_, i) => node(`n${i}`));
    const pos = layout(many, [], 400, 300);
    expect(pos.size).toBe(30);
    for (const { x, y } of pos.values()) {
      expect(x).toBeGreaterThanOrEqual(40);
      expect(x).toBeLessThanOrEqual(360);
      expect(y).toBeGreaterThanOrEqual(30);
      expect(y).toBeLessThanOrEqual(270);
    }
  });

  it("puts linked nodes closer together than unlinked ones", () => {
    const pos = layout(NODES, EDGES, 800, 600);
    const p = (id: string) => pos.get(id)!;
    const linked = EDGES.map((e) => dist(p(e.from), p(e.to)));
    const unlinked: number[] = [];
    for (const x of NODES) {
      for (const y of NODES) if (x.id < y.id && !LINKED.has(x.id + y.id)) unlinked.push(dist(p(x.id), p(y.id)));
    }
    expect(unlinked).toHaveLength(11);
    const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
    expect(mean(linked)).toBeLessThan(mean(unlinked));
  });

  it("ignores edges to unknown nodes", () => {
    const pos = layout([node("a"), node("b")], [edge("a", "zzz")], 400, 300);
    expect([...pos.keys()]).toEqual(["a", "b"]);
    for (const { x, y } of pos.values()) {
      expect(Number.isFinite(x) && Number.isFinite(y)).toBe(true);
    }
  });

  it("handles no nodes and a single node", () => {
    expect(layout([], [], 400, 300).size).toBe(0);
    const one = layout([node("solo")], [], 400, 300);
    expect(one.get("solo")).toEqual({ x: 200, y: 150 });
  });
});

describe("drawGraph", () => {
  const edges = [edge("a", "b"), edge("b", "c", true), edge("c", "missing")];
  const nodes = [node("a"), node("b"), node("c")];

  it("draws one .node per node and one line per drawable edge", () => {
    const svg = drawGraph(nodes, edges, 400, 300, "b", () => {});
    const gs = [...svg.querySelectorAll(".node")];
    expect(gs.map((g) => g.getAttribute("data-id"))).toEqual(["a", "b", "c"]);
    expect(gs.map((g) => g.querySelector("text")?.textContent)).toEqual(["A", "B", "C"]);
    expect(svg.querySelectorAll(".node.center")).toHaveLength(1);
    expect(svg.querySelector(".node.center")?.getAttribute("data-id")).toBe("b");

    const lines = [...svg.querySelectorAll("line")];
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => l.classList.contains("suggested"))).toEqual([false, true]);
    expect(svg.querySelectorAll("line.suggested")).toHaveLength(1);
  });

  it("draws lines between the laid-out node positions", () => {
    const svg = drawGraph(nodes, edges, 400, 300, null, () => {});
    const pos = layout(nodes, edges, 400, 300);
    const line = svg.querySelector("line")!;
    expect(Number(line.getAttribute("x1"))).toBeCloseTo(pos.get("a")!.x);
    expect(Number(line.getAttribute("y2"))).toBeCloseTo(pos.get("b")!.y);
  });

  it("calls onOpen with the id of a clicked node, or on Enter", () => {
    const opened: string[] = [];
    const svg = drawGraph(nodes, edges, 400, 300, null, (id) => opened.push(id));
    const c = svg.querySelector('[data-id="c"]')!;
    c.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    expect(opened).toEqual(["c"]);
    svg.querySelector('[data-id="a"]')!.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter" }));
    svg.querySelector('[data-id="a"]')!.dispatchEvent(new KeyboardEvent("keydown", { key: "x" }));
    expect(opened).toEqual(["c", "a"]);
  });
});
