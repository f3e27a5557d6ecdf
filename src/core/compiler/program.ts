import { PRECISION_INFO, type Precision } from '../target/precision';
import type { WeightPlan } from './compression';
import type { DdrTiling } from './ddrTiling';
import type { StepMemory } from './memory';
import type { LoweredOp } from './network';
import type { PassContext } from './passContext';
import { roundUp, type RowLoop, type Tiling } from './tiles';

/** The instruction lanes of AIE2-MODEL.md §3.7. */
export const LANES = ['LOAD', 'LOADW', 'LOADFM', 'LOADWM', 'COMP', 'WRITEFM', 'WRITE'] as const;
export type Lane = (typeof LANES)[number];

/** One iteration's work (per column; per core for LOADWM). */
export interface IterationWork {
  readonly loadfmBytes: number;
  readonly compCycles: number;
  readonly writefmBytes: number;
}

/** A group of identical iterations: head, body or tail of a pass. */
export interface IterationGroup {
  readonly kind: 'head' | 'body' | 'tail';
  readonly iterations: number;
  readonly work: IterationWork;
}

export interface PassProgram {
  readonly loadwmBytes: number;
  readonly groups: readonly IterationGroup[];
  /** false when iterations cannot overlap (serialized input-channel slices: partial sums). */
  readonly streaming: boolean;
}

/** The instruction stream of one op, by lane (AIE2-MODEL.md §3.7). */
export interface OpProgram {
  readonly loadBytes: number;
  readonly loadwBytes: number;
  readonly writeBytes: number;
  readonly passes: readonly PassProgram[];
  /** MACs of the op. */
  readonly macs: number;
}

/** Fixed instruction overheads of the estimator (AIE2-MODEL.md §4 and the calibration tables). */
const LOADWM_HEADER: Readonly<Record<string, number>> = {
  conv: 192,
  add: 160,
  mul: 160,
  maxpool: 96,
  avgpool: 96,
  gap: 96,
};
/** LOADW of a conv carries 192 B of instructions; element-wise ops load just those, pools 128 B. */
const LOADW_HEADER = 192;
const POOL_LOADW = 128;

/** Bytes and cycles of one iteration of an op (AIE2-MODEL.md §4, per-iteration table). */
export function iterationWork(
  op: LoweredOp,
  t: Tiling,
  rho: number,
  precision: Precision,
): IterationWork {
  const { bytes: e, macsPerCycle } = PRECISION_INFO[precision];
  const [ih, iw, ic] = t.sub.I;
  const [oh, ow, oc] = t.sub.O;
  switch (op.kind) {
    case 'conv': {
      const [, kh, kw, ci] = t.sub.W;
      return {
        loadfmBytes: ih * roundUp(iw, 8) * ic * e,
        compCycles: Math.ceil((ih * iw * ic * kh * kw * ci) / macsPerCycle) * rho,
        writefmBytes: oh * roundUp(ow, 8) * oc * e,
      };
    }
    case 'add':
    case 'mul':
      return {
        loadfmBytes: op.inputs.length * ih * iw * ic * e,
        compCycles: Math.ceil((ih * iw * ic) / macsPerCycle),
        writefmBytes: oh * ow * oc * e,
      };
    case 'maxpool':
    case 'avgpool':
    case 'gap':
      return {
        loadfmBytes: ih * iw * ic * e,
        compCycles: Math.ceil((ih * iw * ic) / macsPerCycle),
        writefmBytes: oh * ow * oc * e,
      };
    case 'concat':
      return { loadfmBytes: 0, compCycles: 0, writefmBytes: 0 };
  }
}

function iterationGroups(rows: RowLoop, work: IterationWork): IterationGroup[] {
  const groups: IterationGroup[] = [];
  if (rows.head > 0) groups.push({ kind: 'head', iterations: rows.head, work });
  if (rows.body > 0) groups.push({ kind: 'body', iterations: rows.body, work });
  if (rows.tail > 0) groups.push({ kind: 'tail', iterations: rows.tail, work });
  return groups;
}

/** Passes of an op: DDR tiles x weight groups x channel groups (x core chunks if serialized). */
export function passCount(t: Tiling, d: DdrTiling, ctx: PassContext): number {
  const core =
    ctx.choices.coreSplits === 'serialized' ? t.core.cinSlices * t.core.coutChunksPerCore : 1;
  return d.tiles * d.weightGroups * t.channelPasses * Math.max(1, core);
}

/**
 * The instruction pass (AIE2-MODEL.md §3.7): LOAD (inputs brought in whole, then the DDR tiles'
 * stream) and LOADW into the memtiles, then per pass a LOADWM into the cores and the row
 * iterations grouped as head, body and tail, then WRITE (evictions and the output). The first
 * pass's LOADWM carries the instruction header; a step in DDR tiles reloads its weights per tile.
 */
export function buildProgram(
  op: LoweredOp,
  w: WeightPlan,
  m: StepMemory,
  d: DdrTiling,
  ctx: PassContext,
): OpProgram {
  const writeBytes = m.evictBytes + m.outputWriteBytes;
  const loadBytes = m.preloadBytes + d.streamBytes;
  if (op.kind === 'concat') return { loadBytes, loadwBytes: 0, writeBytes, passes: [], macs: 0 };
  const t = d.tiling;
  const work = iterationWork(op, t, w.rho, ctx.precision);
  const tileGroups = d.tileRows.map((rows) => iterationGroups(rows, work));
  const isConv = op.kind === 'conv';
  const chunkLoad = isConv ? roundUp(w.chunkBytes, 16) : 0;
  const streaming = !(ctx.choices.coreSplits === 'serialized' && t.core.cinSlices > 1);
  const count = passCount(t, d, ctx);
  // DDR tiles are the outermost loop: each tile's passes run its own row loop
  const perTile = count / d.tiles;
  const passes: PassProgram[] = Array.from({ length: count }, (_, p) => ({
    loadwmBytes: chunkLoad + (p === 0 ? (LOADWM_HEADER[op.kind] ?? 0) : 0),
    groups: tileGroups[Math.floor(p / perTile)] ?? [],
    streaming,
  }));
  const loadwBytes = isConv
    ? roundUp(w.memtileBytes, 128) * d.tiles + LOADW_HEADER
    : op.kind === 'add' || op.kind === 'mul'
      ? LOADW_HEADER
      : POOL_LOADW;
  return { loadBytes, loadwBytes, writeBytes, passes, macs: op.macs };
}
