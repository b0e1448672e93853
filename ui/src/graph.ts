// The link graph: a small deterministic force layout and its SVG drawing.

export interface GNode {
  id: string;
  label: string;
  title: string;
}
export interface GEdge {
  from: string;
  to: string;
  kind: string;
  suggested: boolean;
}
export type Positions = Map<string, { x: number; y: number }>;

/** Lays nodes out in a `width` × `height` box: springs along edges,
 * repulsion between all pairs. Deterministic for the same input. */
export function layout(nodes: GNode[], edges: GEdge[], width: number, height: number, iterations = 250): Positions {
  const n = nodes.length;
  const pos: Positions = new Map();
  const cx = width / 2;
  const cy = height / 2;
  const r = Math.min(width, height) * 0.35;
  nodes.forEach((node, i) => {
    // A fixed, uneven start: a perfectly symmetric start can keep
    // symmetric graphs from untangling.
    const a = (2 * Math.PI * i) / Math.max(1, n) + 0.37 * Math.sin(i * 12.9898);
    const ri = r * (1 - 0.25 * Math.abs(Math.sin(i * 78.233)));
    pos.set(node.id, { x: cx + ri * Math.cos(a), y: cy + ri * Math.sin(a) });
  });
  if (n <= 1) {
    if (n === 1) pos.set(nodes[0].id, { x: cx, y: cy });
    return pos;
  }
  const k = Math.sqrt((width * height) / n) * 0.6;
  const index = new Map(nodes.map((node, i) => [node.id, i]));
  const links = edges
    .map((e) => [index.get(e.from), index.get(e.to)] as const)
    .filter((p): p is readonly [number, number] => p[0] !== undefined && p[1] !== undefined);
  const xs = nodes.map((node) => pos.get(node.id)!.x);
  const ys = nodes.map((node) => pos.get(node.id)!.y);
  let temperature = width / 10;
  for (let it = 0; it < iterations; it++) {
    const dx = new Array<number>(n).fill(0);
    const dy = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        let ddx = xs[i] - xs[j];
        let ddy = ys[i] - ys[j];
        let d2 = ddx * ddx + ddy * ddy;
        if (d2 < 0.01) {
          ddx = 0.1 * (i - j);
          ddy = 0.1;
          d2 = ddx * ddx + ddy * ddy;
        }
        const f = (k * k) / d2;
        dx[i] += ddx * f;
        dy[i] += ddy * f;
        dx[j] -= ddx * f;
        dy[j] -= ddy * f;
      }
    }
    for (const [a, b] of links) {
      const ddx = xs[a] - xs[b];
      const ddy = ys[a] - ys[b];
      const d = Math.sqrt(ddx * ddx + ddy * ddy) || 0.01;
      const f = d / k;
      dx[a] -= ddx * f;
      dy[a] -= ddy * f;
      dx[b] += ddx * f;
      dy[b] += ddy * f;
    }
    for (let i = 0; i < n; i++) {
      // A weak pull to the centre keeps unconnected parts on screen.
      dx[i] += (cx - xs[i]) * 0.05;
      dy[i] += (cy - ys[i]) * 0.05;
      const d = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]) || 1;
      const step = Math.min(d, temperature);
      xs[i] = Math.max(40, Math.min(width - 40, xs[i] + (dx[i] / d) * step));
      ys[i] = Math.max(30, Math.min(height - 30, ys[i] + (dy[i] / d) * step));
    }
    temperature *= 0.97;
  }
  nodes.forEach((node, i) => pos.set(node.id, { x: xs[i], y: ys[i] }));
  return pos;
}

const SVG = "http://www.w3.org/2000/svg";

function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

/** Draws the graph into an <svg>; `onOpen` gets the id of a clicked node. */
export function drawGraph(
  nodes: GNode[],
  edges: GEdge[],
  width: number,
  height: number,
  center: string | null,
  onOpen: (id: string) => void,
): SVGSVGElement {
  const svg = el("svg", { width, height, viewBox: `0 0 ${width} ${height}`, class: "graph" });
  const pos = layout(nodes, edges, width, height);
  for (const e of edges) {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    if (!a || !b) continue;
    const line = el("line", { x1: a.x, y1: a.y, x2: b.x, y2: b.y, class: e.suggested ? "edge suggested" : "edge" });
    const t = el("title", {});
    t.textContent = e.suggested ? "suggested" : e.kind;
    line.appendChild(t);
    svg.appendChild(line);
  }
  for (const node of nodes) {
    const p = pos.get(node.id)!;
    const g = el("g", { class: node.id === center ? "node center" : "node", "data-id": node.id, tabindex: 0 });
    g.appendChild(el("circle", { cx: p.x, cy: p.y, r: node.id === center ? 9 : 7 }));
    const label = el("text", { x: p.x + 11, y: p.y + 4 });
    label.textContent = node.label;
    g.appendChild(label);
    const tip = el("title", {});
    tip.textContent = node.title;
    g.appendChild(tip);
    g.addEventListener("click", () => onOpen(node.id));
    g.addEventListener("keydown", (ev) => {
      if ((ev as KeyboardEvent).key === "Enter") onOpen(node.id);
    });
    svg.appendChild(g);
  }
  return svg;
}
