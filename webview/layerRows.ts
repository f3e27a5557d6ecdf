/**
 * The layer table's rows, sorting and filtering: pure functions (no DOM), unit-tested in Node.
 */
import { layerOnCpu } from '../src/shared/placement';
import type { LayerReport, ModelViewReport, SimLayer } from '../src/shared/protocol';

/** One row: the analysis of a layer joined with its dense and sparse estimates. */
export interface LayerRow {
  readonly index: number;
  readonly layer: LayerReport;
  readonly dense: SimLayer | undefined;
  readonly sparse: SimLayer | undefined;
  /**
   * Not run by the array: "CPU (graph cut)" (paper mode's cut, the classifier of a torchvision
   * CNN), "CPU (<reason>)" for other CPU layers; null on the array.
   */
  readonly cpu: string | null;
}

export type SortKey =
  | 'index'
  | 'name'
  | 'op'
  | 'macs'
  | 'blockSparsity'
  | 'denseBytes'
  | 'compressedBytes'
  | 'denseUs'
  | 'sparseUs'
  | 'speedup'
  | 'bound';

export interface SortState {
  readonly key: SortKey;
  readonly descending: boolean;
}

/** Dense seconds over sparse seconds; undefined unless both runs timed the layer. */
export function speedupOf(r: LayerRow): number | undefined {
  return r.dense && r.sparse && r.sparse.seconds > 0
    ? r.dense.seconds / r.sparse.seconds
    : undefined;
}

/** The speedup as the views show it ("1.85×"), empty when there is none. */
export function speedupText(r: LayerRow): string {
  const x = speedupOf(r);
  return x === undefined ? '' : `${x.toFixed(2)}×`;
}

/** Joins the analysis layers with the simulated ones (by node name; fused ops keep the conv's). */
export function layerRows(report: ModelViewReport): LayerRow[] {
  const byName = (layers: readonly SimLayer[] | undefined) =>
    new Map((layers ?? []).map((l) => [l.name, l]));
  const dense = byName(report.simulation?.modes.dense?.layers);
  const sparse = byName(report.simulation?.modes.sparse?.layers);
  return report.analysis.layers.map((layer, index) => {
    const d = dense.get(layer.name);
    return {
      index,
      layer,
      dense: d,
      sparse: sparse.get(layer.name),
      cpu: d ? null : layerOnCpu(report.simulation, layer.name),
    };
  });
}

/** The value a row sorts by; undefined sorts last. */
function sortValue(r: LayerRow, key: SortKey): number | string | undefined {
  switch (key) {
    case 'index':
      return r.index;
    case 'name':
      return r.layer.name;
    case 'op':
      return r.layer.op;
    case 'macs':
      return r.layer.macs ?? undefined;
    case 'blockSparsity':
      return r.layer.blockSparsity;
    case 'denseBytes':
      return r.layer.denseBytesInt8;
    case 'compressedBytes':
      return r.layer.compressedBytesInt8;
    case 'denseUs':
      return r.dense?.seconds;
    case 'sparseUs':
      return r.sparse?.seconds;
    case 'speedup':
      return speedupOf(r);
    case 'bound':
      return r.sparse?.bound ?? r.dense?.bound ?? (r.cpu ? 'cpu' : undefined);
  }
}

/** Sorted copy; ties keep model order, rows without a value go last in either direction. */
export function sortRows(rows: readonly LayerRow[], s: SortState): LayerRow[] {
  const dir = s.descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = sortValue(a, s.key);
    const y = sortValue(b, s.key);
    if (x === undefined || y === undefined)
      return x === y ? a.index - b.index : x === undefined ? 1 : -1;
    const c =
      typeof x === 'string' || typeof y === 'string' ? String(x).localeCompare(String(y)) : x - y;
    return c !== 0 ? dir * c : a.index - b.index;
  });
}

/** Rows whose name or op contains every word of the filter (case-insensitive). */
export function filterRows(rows: readonly LayerRow[], filter: string): LayerRow[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...rows];
  return rows.filter((r) => {
    const text =
      `${r.layer.name} ${r.layer.op} ${r.sparse?.bound ?? ''}${r.cpu ? ' cpu' : ''}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}
