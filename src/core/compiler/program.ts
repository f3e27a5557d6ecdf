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
  /** The paper's COMP: from the input tile, at the chunk's ρ (AIE2-MODEL.md §4). */
  readonly compCycles: number;
  readonly writefmBytes: number;
  /**
   * MACs (element operations for pools and element-wise ops) one core performs for its part of
   * the output tile, at ρ = 1: refined mode's compute (Oh·Ow·Co·kh·kw·Ci for a conv).
   */
  readonly outMacs: number;
}

/** The kernel an op runs, for per-kernel efficiencies (refined mode). */
export type KernelClass = 'conv' | 'depthwise' | 'pool' | 'eltwise' | 'none';

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
  /** Of writeBytes: live tensors evicted before the step, and the op's output. */
  readonly evictBytes: number;
  readonly outputWriteBytes: number;
  readonly kernel: KernelClass;
  /** MACs per cycle of one core at the compiled precision. */
  readonly macsPerCycle: number;
  /** ρ of the weight chunk (1 dense). */
  readonly rho: number;
  /** Rows of cores a column really uses (a conv with fewer chunks than rows idles the rest). */
  readonly activeRows: number;
  /**
   * LOADW bytes that could be fetched while the previous step computes (refined mode's
   * prefetch): the weights when they are loaded once, whole; 0 when reloaded per tile or group.
   */
  readonly prefetchBytes: number;
  /** Memtile bytes those weights occupy (they must fit beside the previous step). */
  readonly weightMemtileBytes: number;
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
  rows: number,
  loop: RowLoop = t.rows,
): IterationWork {
  const { bytes: e, macsPerCycle } = PRECISION_INFO[precision];
  const [ih, iw, ic] = t.sub.I;
  const [oh, ow, oc] = t.sub.O;
  // refined compute counts the rows really produced: a partial last iteration computes its rows
  // only (the paper charges it in full), so the loop's rows are spread over its iterations
  const rowsDone =
    loop.iterations > 0 && loop.outRows > 0 ? Math.min(oh, loop.outRows / loop.iterations) : oh;
  // element-wise ops and pools spread a column's channels over its cores
  const perCore = (c: number) => Math.ceil(c / Math.max(1, Math.min(rows, c)));
  switch (op.kind) {
    case 'conv': {
      const [co, kh, kw, ci] = t.sub.W;
      const depthwise = kernelOf(op) === 'depthwise';
      return {
        loadfmBytes: ih * roundUp(iw, 8) * ic * e,
        compCycles: Math.ceil((ih * iw * ic * kh * kw * ci) / macsPerCycle) * rho,
        writefmBytes: oh * roundUp(ow, 8) * oc * e,
        outMacs: rowsDone * ow * co * kh * kw * (depthwise ? 1 : ci),
      };
    }
    case 'add':
    case 'mul':
      return {
        loadfmBytes: op.inputs.length * ih * iw * ic * e,
        compCycles: Math.ceil((ih * iw * ic) / macsPerCycle),
        writefmBytes: oh * ow * oc * e,
        outMacs: rowsDone * ow * perCore(oc) * Math.max(1, op.inputs.length - 1),
      };
    case 'maxpool':
    case 'avgpool':
    case 'gap': {
      const window = op.pool ? op.pool.kh * op.pool.kw : 1;
      return {
        loadfmBytes: ih * iw * ic * e,
        compCycles: Math.ceil((ih * iw * ic) / macsPerCycle),
        writefmBytes: oh * ow * oc * e,
        outMacs: op.kind === 'gap' ? ih * iw * perCore(ic) : oh * ow * perCore(oc) * window,
      };
    }
    case 'concat':
      return { loadfmBytes: 0, compCycles: 0, writefmBytes: 0, outMacs: 0 };
  }
}

function kernelOf(op: LoweredOp): KernelClass {
  switch (op.kind) {
    case 'conv':
      return op.conv && op.conv.group > 1 && op.conv.cin === op.conv.group ? 'depthwise' : 'conv';
    case 'add':
    case 'mul':
      return 'eltwise';
    case 'maxpool':
    case 'avgpool':
    case 'gap':
      return 'pool';
    case 'concat':
      return 'none';
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
  // inside a depth-tiled run, the tensor between two members never leaves the memtiles
  const intermediate = d.run !== null && d.run.ops[d.run.ops.length - 1] !== op.id;
  const outputWriteBytes = intermediate ? 0 : m.outputWriteBytes;
  const writeBytes = m.evictBytes + outputWriteBytes;
  // a later member of a run reads its input from the memtile, not from DDR
  const readsRun = d.run !== null && d.run.ops[0] !== op.id;
  const loadBytes = (readsRun ? 0 : m.preloadBytes) + d.streamBytes;
  const t = d.tiling;
  const activeRows =
    op.kind === 'conv' ? Math.max(1, Math.min(ctx.arch.rows, t.core.chunks)) : ctx.arch.rows;
  const base = {
    loadBytes,
    writeBytes,
    macs: op.macs,
    evictBytes: m.evictBytes,
    outputWriteBytes,
    kernel: kernelOf(op),
    macsPerCycle: PRECISION_INFO[ctx.precision].macsPerCycle,
    rho: w.rho,
    activeRows,
  };
  if (op.kind === 'concat')
    return { ...base, loadwBytes: 0, passes: [], prefetchBytes: 0, weightMemtileBytes: 0 };
  const serialized = ctx.choices.coreSplits === 'serialized';
  const cin = serialized ? Math.max(1, t.core.cinSlices) : 1;
  const cout = serialized ? Math.max(1, t.core.coutChunksPerCore) : 1;
  // serialized core splits (refined mode): a COUT chunk's pass writes only its share of the
  // column's channels; a CIN slice's pass reads only its input channels and keeps its partial
  // sums in the core, the last slice writing the result
  const scaled = (work: IterationWork, lastSlice: boolean): IterationWork =>
    cin === 1 && cout === 1
      ? work
      : {
          ...work,
          loadfmBytes: work.loadfmBytes / cin,
          writefmBytes: lastSlice ? work.writefmBytes / cout : 0,
        };
  const tileGroups = d.tileRows.map((rows) => {
    const work = iterationWork(op, t, w.rho, ctx.precision, ctx.arch.rows, rows);
    return [false, true].map((last) => iterationGroups(rows, scaled(work, last)));
  });
  const isConv = op.kind === 'conv';
  const chunkLoad = isConv ? roundUp(w.chunkBytes, 16) : 0;
  const streaming = !(serialized && t.core.cinSlices > 1);
  const count = passCount(t, d, ctx);
  // DDR tiles are the outermost loop: each tile's passes run its own row loop; core chunks
  // (CIN slices innermost) the innermost
  const perTile = count / d.tiles;
  const passes: PassProgram[] = Array.from({ length: count }, (_, p) => ({
    loadwmBytes: chunkLoad + (p === 0 ? (LOADWM_HEADER[op.kind] ?? 0) : 0),
    groups: tileGroups[Math.floor(p / perTile)]?.[p % cin === cin - 1 ? 1 : 0] ?? [],
    streaming,
  }));
  const loadwBytes = isConv
    ? roundUp(w.memtileBytes, 128) * d.tiles + LOADW_HEADER
    : op.kind === 'add' || op.kind === 'mul'
      ? LOADW_HEADER
      : POOL_LOADW;
  const loadedOnce = isConv && d.tiles === 1 && d.weightGroups === 1;
  return {
    ...base,
    loadwBytes,
    passes,
    prefetchBytes: loadedOnce ? loadwBytes : 0,
    weightMemtileBytes: ctx.arch.memtiles === 'shared' && isConv ? w.memtileBytes : 0,
  };
}
