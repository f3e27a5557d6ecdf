/**
 * Positions for the Graph tab, by @dagrejs/dagre (layered, Sugiyama-style: what Netron uses).
 * Each body (the main graph, every If/Loop/Scan body) is laid out on its own, so a collapsed
 * subgraph costs nothing and an expanded one is drawn as its own panel without re-laying out the
 * rest. Pure and deterministic; it runs in the analysis worker after the estimate, because a
 * 10,000-node graph takes seconds and dagre recurses deeply (the worker has a large stack).
 */
import dagre from '@dagrejs/dagre';
import type { GraphNode, ModelGraph } from './modelGraph';

export interface BodyLayout {
  readonly width: number;
  readonly height: number;
  /** Centre and size per node, in the order of the body's `nodes`. */
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly w: readonly number[];
  readonly h: readonly number[];
  /** Per edge of the body: its polyline as x0, y0, x1, y1, ... */
  readonly edges: readonly (readonly number[])[];
}

export interface GraphLayout {
  /** Per body of the graph; null where the body could not be laid out (see `error`). */
  readonly bodies: readonly (BodyLayout | null)[];
  /** Why a body was not laid out, once; null when all were. */
  readonly error: string | null;
}

/** Above this many nodes the cheaper longest-path ranking is used (network simplex is O(n²)). */
const SIMPLEX_LIMIT = 1000;
const CHAR_WIDTH = 7;
export const NODE_HEIGHT = 34;
export const IO_HEIGHT = 24;

/** The size of a node's box: wide enough for its op, and its name up to 24 characters. */
export function nodeSize(n: GraphNode): { readonly w: number; readonly h: number } {
  const label =
    n.kind === 'op'
      ? Math.max(n.op.length, Math.min(n.name.length, 24))
      : Math.min(n.name.length, 24);
  return { w: Math.max(56, label * CHAR_WIDTH + 20), h: n.kind === 'op' ? NODE_HEIGHT : IO_HEIGHT };
}

/** Lays out every body of the graph. */
export function layoutGraph(graph: ModelGraph): GraphLayout {
  let error: string | null = null;
  const bodies = graph.bodies.map((body) => {
    try {
      return layoutBody(graph, body.nodes, body.edges);
    } catch (e) {
      // dagre recursion on a graph deeper than the stack allows; reported, not thrown
      error ??= `${body.path || 'main graph'}: ${(e as Error).message}`;
      return null;
    }
  });
  return { bodies, error };
}

function layoutBody(
  graph: ModelGraph,
  members: readonly number[],
  edges: readonly { readonly from: number; readonly to: number }[],
): BodyLayout {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({
    rankdir: 'TB',
    nodesep: 24,
    ranksep: 28,
    edgesep: 10,
    marginx: 16,
    marginy: 16,
    ranker: members.length > SIMPLEX_LIMIT ? 'longest-path' : 'network-simplex',
  });
  g.setDefaultEdgeLabel(() => ({}));
  const sizes = members.map((i) => nodeSize(graph.nodes[i]));
  members.forEach((i, k) => g.setNode(String(i), { width: sizes[k].w, height: sizes[k].h }));
  edges.forEach((e, k) => g.setEdge(String(e.from), String(e.to), {}, String(k)));
  dagre.layout(g);
  const x: number[] = [];
  const y: number[] = [];
  for (const i of members) {
    const n = g.node(String(i));
    x.push(n.x);
    y.push(n.y);
  }
  const lines = edges.map((e, k) => {
    const points =
      (
        g.edge({ v: String(e.from), w: String(e.to), name: String(k) }) as {
          points?: { x: number; y: number }[];
        }
      ).points ?? [];
    return points.flatMap((p) => [round(p.x), round(p.y)]);
  });
  const label = g.graph();
  return {
    width: label.width ?? 0,
    height: label.height ?? 0,
    x: x.map(round),
    y: y.map(round),
    w: sizes.map((s) => s.w),
    h: sizes.map((s) => s.h),
    edges: lines,
  };
}

/** Half-pixel precision keeps the report small without a visible difference. */
function round(v: number): number {
  return Math.round(v * 2) / 2;
}
