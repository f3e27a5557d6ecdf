/**
 * Two models compared layer by layer (matched by qualified node name): block sparsity, analysed
 * weight bytes, dense and sparse time and speedup on one array, each with its difference, and
 * the totals. One owner for the numbers the diff view, `blocksparse diff` and its JSON show.
 */
import type { LayerReport } from '../analysis/analysisReport';
import type { SimLayer } from '../estimate/simulationReport';
import { formatBytes, formatMicros, formatPercent } from '../units';
import type { ModelViewReport } from './modelViewReport';
import { textTable } from './textTable';

/** One side of a layer: what its model's report says (absent when that model lacks the layer). */
export interface DiffSide {
  readonly op: string;
  readonly blockSparsity: number;
  readonly denseBytesInt8: number;
  readonly compressedBytesInt8: number;
  /** Seconds on the array; null when the estimate does not time the layer. */
  readonly denseSeconds: number | null;
  readonly sparseSeconds: number | null;
}

export interface DiffRow {
  readonly name: string;
  readonly a: DiffSide | null;
  readonly b: DiffSide | null;
  /** Block sparsity or weight bytes differ, or the layer is in one model only. */
  readonly changed: boolean;
}

export interface DiffTotals {
  readonly layers: number;
  readonly blockSparsity: number;
  readonly denseBytesInt8: number;
  readonly compressedBytesInt8: number;
  /** The whole network's estimate (seconds); null without one. */
  readonly denseSeconds: number | null;
  readonly sparseSeconds: number | null;
}

export interface ModelDiff {
  readonly rows: readonly DiffRow[];
  readonly totals: { readonly a: DiffTotals; readonly b: DiffTotals };
  readonly changed: number;
}

function side(l: LayerReport, dense?: SimLayer, sparse?: SimLayer): DiffSide {
  return {
    op: l.op,
    blockSparsity: l.blockSparsity,
    denseBytesInt8: l.denseBytesInt8,
    compressedBytesInt8: l.compressedBytesInt8,
    denseSeconds: dense?.seconds ?? null,
    sparseSeconds: sparse?.seconds ?? null,
  };
}

function sides(r: ModelViewReport): Map<string, DiffSide> {
  const by = (ls: readonly SimLayer[] | undefined) => new Map((ls ?? []).map((l) => [l.name, l]));
  const dense = by(r.simulation?.modes.dense?.layers);
  const sparse = by(r.simulation?.modes.sparse?.layers);
  return new Map(
    r.analysis.layers.map((l) => [l.name, side(l, dense.get(l.name), sparse.get(l.name))]),
  );
}

function totals(r: ModelViewReport): DiffTotals {
  const t = r.analysis.totals;
  return {
    layers: t.layers,
    blockSparsity: t.blocks ? t.zeroBlocks / t.blocks : 0,
    denseBytesInt8: t.denseBytesInt8,
    compressedBytesInt8: t.compressedBytesInt8,
    denseSeconds: r.simulation?.modes.dense?.seconds ?? null,
    sparseSeconds: r.simulation?.modes.sparse?.seconds ?? null,
  };
}

/** Compares model b with model a (a: the original, b: e.g. its Sparsify output). */
export function modelDiff(a: ModelViewReport, b: ModelViewReport): ModelDiff {
  const sa = sides(a);
  const sb = sides(b);
  // a's order, then b's layers a lacks, in b's order
  const names = [...sa.keys(), ...[...sb.keys()].filter((n) => !sa.has(n))];
  const rows = names.map((name): DiffRow => {
    const x = sa.get(name) ?? null;
    const y = sb.get(name) ?? null;
    const changed =
      !x ||
      !y ||
      x.blockSparsity !== y.blockSparsity ||
      x.compressedBytesInt8 !== y.compressedBytesInt8 ||
      x.denseBytesInt8 !== y.denseBytesInt8;
    return { name, a: x, b: y, changed };
  });
  return {
    rows,
    totals: { a: totals(a), b: totals(b) },
    changed: rows.filter((r) => r.changed).length,
  };
}

/** Why a row is marked, in words (the view's Change column, the CLI's Op note). */
export function changeOf(r: DiffRow): 'only in a' | 'only in b' | 'changed' | '' {
  return !r.b ? 'only in a' : !r.a ? 'only in b' : r.changed ? 'changed' : '';
}

/** Speedup dense / sparse of a side; null unless both are timed. */
export function speedupOf(s: DiffSide | DiffTotals | null): number | null {
  return s && s.denseSeconds !== null && s.sparseSeconds !== null && s.sparseSeconds > 0
    ? s.denseSeconds / s.sparseSeconds
    : null;
}

/** "a → b (Δ)" cells, formatted as the views and the CLI show them. */
export function diffCells(
  a: DiffSide | DiffTotals | null,
  b: DiffSide | DiffTotals | null,
): string[] {
  const pair = <T>(
    f: (s: DiffSide | DiffTotals) => T | null,
    fmt: (v: T) => string,
    delta: (x: T, y: T) => string,
  ) => {
    const x = a ? f(a) : null;
    const y = b ? f(b) : null;
    const text = (v: T | null) => (v === null ? '—' : fmt(v));
    return x !== null && y !== null && x !== y
      ? `${text(x)} → ${text(y)} (${delta(x, y)})`
      : x === y
        ? text(x)
        : `${text(x)} → ${text(y)}`;
  };
  const signed = (v: number, fmt: (v: number) => string) =>
    `${v > 0 ? '+' : v < 0 ? '−' : '±'}${fmt(Math.abs(v))}`;
  return [
    pair(
      (s) => s.blockSparsity,
      formatPercent,
      (x, y) => signed(y - x, (v) => `${(v * 100).toFixed(1)} pt`),
    ),
    pair(
      (s) => s.compressedBytesInt8,
      formatBytes,
      (x, y) => signed(y - x, formatBytes),
    ),
    pair(
      (s) => s.denseSeconds,
      formatMicros,
      (x, y) => signed(y - x, formatMicros),
    ),
    pair(
      (s) => s.sparseSeconds,
      formatMicros,
      (x, y) => signed(y - x, formatMicros),
    ),
    pair(
      speedupOf,
      (v) => `${v.toFixed(2)}×`,
      (x, y) => signed(y - x, (v) => `${v.toFixed(2)}×`),
    ),
  ];
}

export const DIFF_HEADS = [
  'Block sparsity',
  'Compressed int8 weights',
  'Dense µs',
  'Sparse µs',
  'Speedup',
];

/** The diff as the CLI prints it: totals, then every changed layer (all with `all`). */
export function diffText(fileA: string, fileB: string, d: ModelDiff, all = false): string {
  const shown = all ? d.rows : d.rows.filter((r) => r.changed);
  const rows = shown.map((r) => [
    r.name,
    r.a && r.b ? r.b.op : `${(r.a ?? r.b)?.op} (${changeOf(r)})`,
    ...diffCells(r.a, r.b),
  ]);
  return [
    `a: ${fileA}`,
    `b: ${fileB}`,
    '',
    textTable(
      ['Totals', ...DIFF_HEADS],
      [['network', ...diffCells(d.totals.a, d.totals.b)]],
      [false, true, true, true, true, true],
    ),
    '',
    `${d.changed} of ${d.rows.length} layers differ${all ? '' : ' (shown; --all shows every layer)'}`,
    '',
    textTable(['Layer', 'Op', ...DIFF_HEADS], rows, [false, false, true, true, true, true, true]),
  ].join('\n');
}
