import { columnMemtileBytes, type AieArchitecture } from '../target/architecture';
import { PRECISION_INFO, type Precision } from '../target/precision';
import { chunkDensity } from '../blocks/chunkDensity';
import type { ActTensor, LoweredOp, SparsityMode, Tiling } from './plan';

/** Rounds up to a multiple of m. */
export const roundUp = (x: number, m: number) => Math.ceil(x / m) * m;

/** Bytes of bias per output channel and of index per block in a weight chunk. */
const BIAS_BYTES = 4;
const BLOCK_INDEX_BYTES = 2;

/** w = ρ·Co·kh·kw·Ci·e + 4·Co + 2·(Co/8)·⌈Ci/8⌉ (AIE2-MODEL.md §4; zero blocks' indices included). */
export function chunkBytes(
  rho: number,
  co: number,
  kh: number,
  kw: number,
  ci: number,
  e: number,
): number {
  return (
    rho * co * kh * kw * ci * e +
    BIAS_BYTES * co +
    BLOCK_INDEX_BYTES * Math.ceil(co / 8) * Math.ceil(ci / 8)
  );
}

/** Divisors of n that are multiples of 8, largest first; [n] when n < 8. */
function channelCandidates(n: number): number[] {
  if (n <= 8) return [n];
  const out: number[] = [];
  for (let d = n; d >= 8; d--) if (n % d === 0 && d % 8 === 0) out.push(d);
  if (out.length === 0) for (let d = Math.floor(n / 8) * 8; d >= 8; d -= 8) out.push(d);
  return out;
}

/** Everything the search needs about the array and the precision. */
export interface TilingContext {
  readonly arch: AieArchitecture;
  readonly precision: Precision;
  readonly mode: SparsityMode;
  readonly tensors: ReadonlyMap<string, ActTensor>;
  /** Width tiles the memory plan asks for (1 unless the layer is computed in DDR tiles). */
  readonly widthTiles: number;
}

/** Head / body / tail iteration counts of a row loop (AIE2-MODEL.md §4, "Padding"). */
export function rowGroups(hin: number, hout: number, s: number, kh: number, oh: number) {
  const n = Math.ceil(hout / oh);
  const tot = Math.max(0, (hout - 1) * s + kh - hin);
  const top = Math.ceil(tot / 2);
  const headRows = Math.ceil(top / s);
  // closed forms of "the iterations holding a head row / a tail row": counted, not enumerated,
  // so absurd pads or heights in a hostile model cost nothing
  const head = Math.ceil(Math.min(Math.max(0, headRows), hout) / oh);
  const firstTailRow = Math.max(0, Math.floor((hin + top - kh) / s) + 1);
  const tail =
    firstTailRow < hout ? Math.max(0, n - Math.max(Math.floor(firstTailRow / oh), head)) : 0;
  return {
    iterations: n,
    head,
    tail,
    body: n - head - tail,
  };
}

/**
 * The sub-volume pass (AIE2-MODEL.md §3.4–3.5, §4 "Choosing sub-volumes"): the output width is
 * split across columns, the cores of a column compute different output channels, rows stream
 * through ping/pong buffers. Within the core budgets (output tile ≤ 8 KiB, input tile ≤ 8 KiB or
 * 12 KiB when strided, weights ≤ 16 KiB) it maximises rows per iteration; Co per core covers
 * Cout with the rows of cores when it fits, else smaller chunks (COUT split), then input-channel
 * slices (CIN split). Returns why when nothing fits.
 */
export function chooseTiling(op: LoweredOp, ctx: TilingContext): Tiling | string {
  const tooLarge = sizeProblem(op, ctx);
  if (tooLarge) return tooLarge;
  const t = tilingByKind(op, ctx);
  if (typeof t !== 'string' && t.passes > MAX_PASSES) {
    return `it would take ${t.passes} passes (the limit is ${MAX_PASSES}); are its shapes right?`;
  }
  return t;
}

/**
 * Largest activation side, channel count or kernel size the compiler takes on. Real CNNs stay
 * far below; a hostile or broken model can claim 2^40, and the searches below are linear in
 * channel counts, so such ops are refused up front instead of hanging the estimate.
 */
export const MAX_COMPILE_DIM = 1 << 20;
/** Most passes (CIN slices x COUT groups x DDR tiles) one op may take. */
export const MAX_PASSES = 4096;

function sizeProblem(op: LoweredOp, ctx: TilingContext): string | undefined {
  const bad = (v: number) => !Number.isInteger(v) || v < 0 || v > MAX_COMPILE_DIM;
  for (const name of [...op.inputs, op.output]) {
    const t = ctx.tensors.get(name);
    if (t && (bad(t.h) || bad(t.w) || bad(t.c))) {
      return `tensor '${name}' is ${t.h}x${t.w}x${t.c} (HxWxC), beyond the ${MAX_COMPILE_DIM} per dimension the compiler takes on`;
    }
  }
  const cv = op.conv;
  if (cv) {
    const params = [cv.cout, cv.cin, cv.group, cv.kh, cv.kw, cv.sh, cv.sw];
    if (params.some((v) => bad(v) || v === 0)) {
      return `its parameters (Cout ${cv.cout}, Cin ${cv.cin}, group ${cv.group}, kernel ${cv.kh}x${cv.kw}, stride ${cv.sh}x${cv.sw}) are out of range`;
    }
  }
  const pool = op.pool;
  if (pool && [pool.kh, pool.kw, pool.sh, pool.sw].some((v) => bad(v) || v === 0)) {
    return `its window (${pool.kh}x${pool.kw}, stride ${pool.sh}x${pool.sw}) is out of range`;
  }
  return undefined;
}

function tilingByKind(op: LoweredOp, ctx: TilingContext): Tiling | string {
  switch (op.kind) {
    case 'conv':
      return convTiling(op, ctx);
    case 'add':
    case 'mul':
      return eltwiseTiling(op, ctx);
    case 'maxpool':
    case 'avgpool':
      return poolTiling(op, ctx);
    case 'gap':
      return gapTiling(op, ctx);
    case 'concat':
      return {
        sub: { W: [0, 0, 0, 0], I: [0, 0, 0], O: [0, 0, 0] },
        splits: {
          cinSlices: 1,
          coutGroups: 1,
          ddrTiles: 1,
          chunks: 0,
          chunksPerMemtile: 0,
          chunksPerCore: 0,
        },
        outRows: 0,
        iterations: 0,
        head: 0,
        tail: 0,
        body: 0,
        passes: 0,
        streaming: true,
      };
  }
}

function tensorOf(ctx: TilingContext, name: string): ActTensor {
  const t = ctx.tensors.get(name);
  if (!t) throw new Error(`compiler bug: tensor '${name}' was not registered by lowering`);
  return t;
}

/** Width per column (and per DDR width tile). */
function columnWidth(wout: number, ctx: TilingContext): number {
  return Math.max(1, Math.ceil(Math.ceil(wout / ctx.arch.columns) / ctx.widthTiles));
}

function convTiling(op: LoweredOp, ctx: TilingContext): Tiling | string {
  const cv = op.conv;
  if (!cv) throw new Error('compiler bug: conv op without conv params');
  const { arch } = ctx;
  const e = PRECISION_INFO[ctx.precision].bytes;
  const input = tensorOf(ctx, op.inputs[0]);
  const output = tensorOf(ctx, op.output);
  const ow = columnWidth(output.w, ctx);
  const iw = (ow - 1) * cv.sw + cv.kw;
  const iwPad = roundUp(iw, 8);
  const strided = cv.sh > 1 || cv.sw > 1;
  const inBudget = strided ? arch.core.stridedInputBytes : arch.core.inputBytes;
  const outBudget = arch.core.outputBytes;
  const cinPerGroup = cv.cin / cv.group;
  const ciTotal = roundUp(cinPerGroup, 8);
  const coutPerGroup = cv.cout / cv.group;
  const coCands = channelCandidates(Math.ceil(cv.cout / arch.rows));
  const ciCands = channelCandidates(ciTotal);
  const rhoOf = (co: number, ci: number) =>
    ctx.mode === 'dense' ? 1 : chunkDensity(cv.blocks, coutPerGroup, co, ci);

  let pick: { co: number; ci: number; rho: number; w: number } | undefined;
  for (const ci of ciCands) {
    if (cv.kh * iwPad * ci * e > inBudget) continue; // not even one output row fits
    for (const co of coCands) {
      const rho = rhoOf(co, ci);
      const w = chunkBytes(rho, co, cv.kh, cv.kw, ci, e);
      if (roundUp(w, 16) <= arch.core.weightBytes) {
        pick = { co, ci, rho, w };
        break;
      }
    }
    if (pick) break;
  }
  if (!pick) {
    return `even the smallest sub-volume (1 row, Co ${coCands[coCands.length - 1]}, Ci 8) exceeds the core buffers`;
  }
  const { co, ci, w } = pick;
  const cinSlices = Math.ceil(ciTotal / ci);
  const chunks = Math.ceil(cv.cout / co);
  const chunksPerMemtile = Math.ceil(chunks / arch.columns) * cinSlices;

  // Output channels per pass: all of Cout unless the output tile or the memtile cannot hold them.
  const outFits = (oc: number) => iwPad > 0 && roundUp(ow, 8) * oc * e <= outBudget;
  const inAct =
    (input.h * Math.ceil(input.w / arch.columns) * roundUp(input.c, 8) * e) / ctx.widthTiles;
  const outAct =
    (output.h * Math.ceil(output.w / arch.columns) * roundUp(output.c, 8) * e) / ctx.widthTiles;
  const freeForWeights = Math.max(w, columnMemtileBytes(arch) - inAct - outAct);
  const weightGroups = Math.ceil((chunksPerMemtile * w) / freeForWeights);
  let oc = cv.cout;
  let coutGroups = Math.max(1, weightGroups);
  oc = Math.ceil(cv.cout / coutGroups);
  if (!outFits(oc)) {
    const fit =
      channelCandidates(cv.cout).find(outFits) ??
      Math.max(1, Math.floor(outBudget / (roundUp(ow, 8) * e)));
    oc = Math.min(oc, fit);
    coutGroups = Math.ceil(cv.cout / oc);
  }
  if (!outFits(oc))
    return `one output row of ${ow} pixels does not fit the ${outBudget} B output buffer`;

  const hout = output.h;
  let oh = 1;
  while (
    oh < hout &&
    (oh + 1) * roundUp(ow, 8) * oc * e <= outBudget &&
    (oh * cv.sh + cv.kh) * iwPad * ci * e <= inBudget
  ) {
    oh++;
  }
  const ih = (oh - 1) * cv.sh + cv.kh;
  const g = rowGroups(input.h, hout, cv.sh, cv.kh, oh);
  const passes = cinSlices * coutGroups * ctx.widthTiles;
  return {
    sub: { W: [co, cv.kh, cv.kw, ci], I: [ih, iw, ci], O: [oh, ow, oc] },
    splits: {
      cinSlices,
      coutGroups,
      ddrTiles: ctx.widthTiles,
      chunks,
      chunksPerMemtile,
      chunksPerCore: Math.ceil(Math.ceil(oc / arch.rows) / co),
    },
    outRows: hout,
    ...g,
    passes,
    streaming: cinSlices === 1,
  };
}

/** Largest channel group (a divisor of c) whose 1-row tiles fit, and how many groups that makes. */
function channelGroups(
  c: number,
  fits: (ch: number) => boolean,
): { ch: number; groups: number } | undefined {
  const ch = channelCandidates(c).find(fits) ?? (fits(1) ? 1 : undefined);
  return ch === undefined ? undefined : { ch, groups: Math.ceil(c / ch) };
}

function eltwiseTiling(op: LoweredOp, ctx: TilingContext): Tiling | string {
  const e = PRECISION_INFO[ctx.precision].bytes;
  const out = tensorOf(ctx, op.output);
  const ow = columnWidth(out.w, ctx);
  const inputs = op.inputs.length;
  const { inputBytes, outputBytes } = ctx.arch.core;
  const fits = (rows: number, ch: number) =>
    inputs * rows * ow * ch * e <= inputBytes && rows * ow * ch * e <= outputBytes;
  const cg = channelGroups(out.c, (ch) => fits(1, ch));
  if (!cg) return `one row of ${ow} pixels does not fit the core buffers`;
  let oh = 1;
  while (oh < out.h && fits(oh + 1, cg.ch)) oh++;
  return simpleTiling(
    [oh, ow, cg.ch],
    [oh, ow, cg.ch],
    out.h,
    cg.groups,
    ctx,
    rowGroups(out.h, out.h, 1, 1, oh),
  );
}

function poolTiling(op: LoweredOp, ctx: TilingContext): Tiling | string {
  const p = op.pool;
  if (!p) throw new Error('compiler bug: pool op without pool params');
  const e = PRECISION_INFO[ctx.precision].bytes;
  const input = tensorOf(ctx, op.inputs[0]);
  const out = tensorOf(ctx, op.output);
  const ow = columnWidth(out.w, ctx);
  const iw = (ow - 1) * p.sw + p.kw;
  const strided = p.sh > 1 || p.sw > 1;
  const inBudget = strided ? ctx.arch.core.stridedInputBytes : ctx.arch.core.inputBytes;
  const fits = (oh: number, ch: number) =>
    ((oh - 1) * p.sh + p.kh) * iw * ch * e <= inBudget &&
    oh * ow * ch * e <= ctx.arch.core.outputBytes;
  const cg = channelGroups(out.c, (ch) => fits(1, ch));
  if (!cg) return `one pooling window row does not fit the core buffers`;
  let oh = 1;
  while (oh < out.h && fits(oh + 1, cg.ch)) oh++;
  const ih = (oh - 1) * p.sh + p.kh;
  return simpleTiling(
    [ih, iw, cg.ch],
    [oh, ow, cg.ch],
    out.h,
    cg.groups,
    ctx,
    rowGroups(input.h, out.h, p.sh, p.kh, oh),
  );
}

/** Global average pool: channels spread over the columns, ⌈C / (Oc·cols)⌉ passes. */
function gapTiling(op: LoweredOp, ctx: TilingContext): Tiling | string {
  const e = PRECISION_INFO[ctx.precision].bytes;
  const input = tensorOf(ctx, op.inputs[0]);
  const budget = ctx.arch.core.inputBytes;
  let oc = channelCandidates(input.c).find((ch) => input.h * input.w * ch * e <= budget);
  let ih = input.h;
  if (oc === undefined) {
    oc = Math.min(8, input.c);
    ih = Math.floor(budget / (input.w * oc * e));
    if (ih < 1) return `one row of the ${input.w}-wide input does not fit the core buffer`;
  }
  const passes = Math.ceil(input.c / (oc * ctx.arch.columns));
  const n = Math.ceil(input.h / ih);
  return {
    sub: { W: [0, 0, 0, 0], I: [ih, input.w, oc], O: [1, 1, oc] },
    splits: {
      cinSlices: 1,
      coutGroups: passes,
      ddrTiles: 1,
      chunks: 0,
      chunksPerMemtile: 0,
      chunksPerCore: 0,
    },
    outRows: 1,
    iterations: n,
    head: 0,
    tail: 0,
    body: n,
    passes,
    streaming: true,
  };
}

function simpleTiling(
  I: [number, number, number],
  O: [number, number, number],
  outRows: number,
  groups: number,
  ctx: TilingContext,
  g: { iterations: number; head: number; tail: number; body: number },
): Tiling {
  return {
    sub: { W: [0, 0, 0, 0], I, O },
    splits: {
      cinSlices: 1,
      coutGroups: groups,
      ddrTiles: ctx.widthTiles,
      chunks: 0,
      chunksPerMemtile: 0,
      chunksPerCore: 0,
    },
    outRows,
    ...g,
    passes: groups * ctx.widthTiles,
    streaming: true,
  };
}
