/**
 * The Graph tab's scene: the laid-out bodies placed on one plane (the main graph, and each
 * expanded If/Loop/Scan body as a framed panel beside the node that owns it), a grid index of
 * what lies where, and the pan/zoom transform. Pure (no DOM), unit-tested in Node; the view draws
 * only what `visible` returns, so a 10,000-node graph costs what is on screen.
 */
import type { GraphLayout, ModelGraph } from '../src/shared/protocol';

export interface PlacedNode {
  /** Index into ModelGraph.nodes. */
  readonly node: number;
  /** Top-left corner and size in scene units. */
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  /** Index into Scene.panels. */
  readonly panel: number;
}

export interface PlacedEdge {
  readonly panel: number;
  /** Polyline in scene units: x0, y0, x1, y1, ... */
  readonly points: readonly number[];
}

/** A body on the plane: panel 0 is the main graph (no frame); the rest are expanded bodies. */
export interface Panel {
  readonly body: number;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly title: string;
}

export interface Scene {
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly PlacedEdge[];
  readonly panels: readonly Panel[];
  /** Placed index of a graph node (absent when its body is collapsed). */
  readonly placed: ReadonlyMap<number, number>;
  readonly bounds: {
    readonly x: number;
    readonly y: number;
    readonly w: number;
    readonly h: number;
  };
  readonly grid: GridIndex;
}

/** Scene → screen: screen = scene · scale + offset. */
export interface Transform {
  readonly scale: number;
  readonly dx: number;
  readonly dy: number;
}

const PANEL_TITLE = 22;
const PANEL_GAP = 48;
const CELL = 256;

/** Places the main body and every expanded body (an expanded body inside a collapsed one is not shown). */
export function buildScene(
  graph: ModelGraph,
  layout: GraphLayout,
  expanded: ReadonlySet<number>,
): Scene {
  const nodes: PlacedNode[] = [];
  const edges: PlacedEdge[] = [];
  const panels: Panel[] = [];
  const placed = new Map<number, number>();
  const place = (body: number, ox: number, oy: number, title: string, framed: boolean) => {
    const l = layout.bodies[body];
    const b = graph.bodies[body];
    if (!l || !b) return;
    const top = framed ? PANEL_TITLE : 0;
    const panel = panels.length;
    panels.push({ body, x: ox, y: oy, w: l.width, h: l.height + top, title });
    b.nodes.forEach((n, k) => {
      placed.set(n, nodes.length);
      nodes.push({
        node: n,
        x: ox + l.x[k] - l.w[k] / 2,
        y: oy + top + l.y[k] - l.h[k] / 2,
        w: l.w[k],
        h: l.h[k],
        panel,
      });
    });
    for (const line of l.edges)
      edges.push({ panel, points: line.map((v, i) => v + (i % 2 === 0 ? ox : oy + top)) });
    // bodies this one's nodes own, beside their owner, when expanded
    for (const n of b.nodes) {
      for (const child of graph.nodes[n].bodies) {
        if (!expanded.has(child)) continue;
        const owner = nodes[placed.get(n) as number];
        const cb = graph.bodies[child];
        place(
          child,
          owner.x + owner.w + PANEL_GAP,
          owner.y,
          `${graph.nodes[n].name} · ${cb.name || cb.path}`,
          true,
        );
      }
    }
  };
  place(0, 0, 0, '', false);
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const p of panels) {
    x0 = Math.min(x0, p.x);
    y0 = Math.min(y0, p.y);
    x1 = Math.max(x1, p.x + p.w);
    y1 = Math.max(y1, p.y + p.h);
  }
  const bounds = Number.isFinite(x0)
    ? { x: x0, y: y0, w: x1 - x0, h: y1 - y0 }
    : { x: 0, y: 0, w: 0, h: 0 };
  return { nodes, edges, panels, placed, bounds, grid: gridIndex(nodes, edges) };
}

/** Uniform grid over the plane: each cell lists the nodes and edges whose box touches it. */
export interface GridIndex {
  readonly cells: ReadonlyMap<number, { nodes: number[]; edges: number[] }>;
}

const key = (cx: number, cy: number) => cx * 1_000_003 + cy;

function gridIndex(nodes: readonly PlacedNode[], edges: readonly PlacedEdge[]): GridIndex {
  const cells = new Map<number, { nodes: number[]; edges: number[] }>();
  const add = (
    x0: number,
    y0: number,
    x1: number,
    y1: number,
    put: (c: { nodes: number[]; edges: number[] }) => void,
  ) => {
    for (let cx = Math.floor(x0 / CELL); cx <= Math.floor(x1 / CELL); cx++)
      for (let cy = Math.floor(y0 / CELL); cy <= Math.floor(y1 / CELL); cy++) {
        const k = key(cx, cy);
        let c = cells.get(k);
        if (!c) cells.set(k, (c = { nodes: [], edges: [] }));
        put(c);
      }
  };
  nodes.forEach((n, i) => add(n.x, n.y, n.x + n.w, n.y + n.h, (c) => c.nodes.push(i)));
  edges.forEach((e, i) => {
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (let k = 0; k + 1 < e.points.length; k += 2) {
      x0 = Math.min(x0, e.points[k]);
      x1 = Math.max(x1, e.points[k]);
      y0 = Math.min(y0, e.points[k + 1]);
      y1 = Math.max(y1, e.points[k + 1]);
    }
    if (Number.isFinite(x0)) add(x0, y0, x1, y1, (c) => c.edges.push(i));
  });
  return { cells };
}

/** The nodes and edges touching the screen rectangle, each once, in drawing order. */
export function visible(
  scene: Scene,
  t: Transform,
  width: number,
  height: number,
): { readonly nodes: number[]; readonly edges: number[] } {
  const x0 = -t.dx / t.scale;
  const y0 = -t.dy / t.scale;
  const x1 = (width - t.dx) / t.scale;
  const y1 = (height - t.dy) / t.scale;
  const nodeSeen = new Set<number>();
  const edgeSeen = new Set<number>();
  // a zoomed-out view spans more cells than there are items: then everything is in view
  const cellCount =
    (Math.floor(x1 / CELL) - Math.floor(x0 / CELL) + 1) *
    (Math.floor(y1 / CELL) - Math.floor(y0 / CELL) + 1);
  if (cellCount > scene.grid.cells.size) {
    const nodes: number[] = [];
    const edges: number[] = [];
    scene.nodes.forEach((n, i) => {
      if (n.x + n.w >= x0 && n.x <= x1 && n.y + n.h >= y0 && n.y <= y1) nodes.push(i);
    });
    for (const c of scene.grid.cells.values()) for (const e of c.edges) edgeSeen.add(e);
    for (let i = 0; i < scene.edges.length; i++) if (edgeSeen.has(i)) edges.push(i);
    return { nodes, edges };
  }
  for (let cx = Math.floor(x0 / CELL); cx <= Math.floor(x1 / CELL); cx++)
    for (let cy = Math.floor(y0 / CELL); cy <= Math.floor(y1 / CELL); cy++) {
      const c = scene.grid.cells.get(key(cx, cy));
      if (!c) continue;
      for (const n of c.nodes) {
        const p = scene.nodes[n];
        if (p.x + p.w >= x0 && p.x <= x1 && p.y + p.h >= y0 && p.y <= y1) nodeSeen.add(n);
      }
      for (const e of c.edges) edgeSeen.add(e);
    }
  // drawing order is scene order: the main graph first, expanded panels over it
  return {
    nodes: [...nodeSeen].sort((a, b) => a - b),
    edges: [...edgeSeen].sort((a, b) => a - b),
  };
}

/** The placed node under a screen point (the topmost: later panels are drawn over earlier). */
export function nodeAt(scene: Scene, t: Transform, sx: number, sy: number): number | undefined {
  const x = (sx - t.dx) / t.scale;
  const y = (sy - t.dy) / t.scale;
  const c = scene.grid.cells.get(key(Math.floor(x / CELL), Math.floor(y / CELL)));
  let hit: number | undefined;
  for (const n of c?.nodes ?? []) {
    const p = scene.nodes[n];
    if (x >= p.x && x <= p.x + p.w && y >= p.y && y <= p.y + p.h && (hit === undefined || n > hit))
      hit = n;
  }
  return hit;
}

/** The transform that shows the box whole, centred, with a margin; never above 1.5x. */
export function fitTransform(
  box: { readonly x: number; readonly y: number; readonly w: number; readonly h: number },
  width: number,
  height: number,
  margin = 24,
  maxScale = 1.5,
): Transform {
  const scale = Math.min(
    maxScale,
    Math.max(
      1e-4,
      Math.min(
        (width - 2 * margin) / Math.max(box.w, 1),
        (height - 2 * margin) / Math.max(box.h, 1),
      ),
    ),
  );
  return {
    scale,
    dx: width / 2 - (box.x + box.w / 2) * scale,
    dy: height / 2 - (box.y + box.h / 2) * scale,
  };
}

/** Zooms by `factor` around the screen point (sx, sy), within 1/1000 .. 8x. */
export function zoomAround(t: Transform, sx: number, sy: number, factor: number): Transform {
  const scale = Math.min(8, Math.max(1e-3, t.scale * factor));
  const f = scale / t.scale;
  return { scale, dx: sx - (sx - t.dx) * f, dy: sy - (sy - t.dy) * f };
}

/** Nodes whose name, id or op contains the query (case-insensitive), in graph order. */
export function searchNodes(graph: ModelGraph, query: string): number[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const out: number[] = [];
  graph.nodes.forEach((n, i) => {
    if (n.id.toLowerCase().includes(q) || n.op.toLowerCase().includes(q)) out.push(i);
  });
  return out;
}

/** The bodies to expand so that a node is on the plane (its owners', outermost first). */
export function bodiesToShow(graph: ModelGraph, node: number): number[] {
  const out: number[] = [];
  let body = graph.nodes[node]?.body ?? 0;
  while (body > 0) {
    out.unshift(body);
    body = graph.nodes[graph.bodies[body].owner]?.body ?? 0;
  }
  return out;
}
