/**
 * The units of an array as the trace names them, and a trace's events on every unit or on one
 * of each. Every memtile (and every core) of a lane runs the same schedule in both estimate
 * modes — the simulator copies one unit's groups to all of them — so the view keeps one of each
 * and widens it to all units when asked, and the Chrome trace export agrees with what it shows.
 */
import type { Lane } from '../compiler/program';
import type { AieArchitecture } from '../target/architecture';
import type { TraceEvent } from './simulationReport';

/** Lanes the memtiles run; the others (LOADWM, COMP) run on the cores. */
export const MEMTILE_LANES: ReadonlySet<string> = new Set<Lane>([
  'LOAD',
  'LOADW',
  'WRITE',
  'LOADFM',
  'WRITEFM',
]);

/** Which units a trace or a timeline shows: every memtile and core, or one of each. */
export type TraceUnits = 'all' | 'one';

export const memtileName = (c: number) => `memtile ${c}`;
export const coreName = (r: number, c: number) => `core ${r},${c}`;

/** The memtiles and the cores of the array, in order. */
export function unitNames(
  arch: Pick<AieArchitecture, 'rows' | 'columns'>,
  units: TraceUnits,
): { readonly memtiles: readonly string[]; readonly cores: readonly string[] } {
  const columns = units === 'all' ? arch.columns : 1;
  const rows = units === 'all' ? arch.rows : 1;
  const memtiles = Array.from({ length: columns }, (_, c) => memtileName(c));
  const cores: string[] = [];
  for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) cores.push(coreName(r, c));
  return { memtiles, cores };
}

/**
 * A trace's events on the chosen units: 'one' keeps memtile 0 and core 0,0; 'all' copies a
 * one-of-each trace to every unit (a trace that has every unit already is returned as it is).
 */
export function traceOnUnits(
  trace: readonly TraceEvent[],
  arch: Pick<AieArchitecture, 'rows' | 'columns'>,
  units: TraceUnits,
): readonly TraceEvent[] {
  const first = new Set([memtileName(0), coreName(0, 0)]);
  if (units === 'one') return trace.filter((e) => first.has(e.unit));
  if (trace.some((e) => !first.has(e.unit))) return trace;
  const { memtiles, cores } = unitNames(arch, 'all');
  const out: TraceEvent[] = [];
  for (const e of trace)
    for (const unit of MEMTILE_LANES.has(e.lane) ? memtiles : cores) out.push({ ...e, unit });
  return out;
}
