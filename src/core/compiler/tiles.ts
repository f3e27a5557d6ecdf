import { chunkDensity, maskDensity } from '../blocks/chunkDensity';
import { chunkBytes } from '../blocks/compressedBytes';
import { KIB } from '../units';
import type { AieArchitecture } from '../target/architecture';
import type { CompilerChoices } from './choices';
import { PRECISION_INFO } from '../target/precision';
import type { ActTensor, LoweredNetwork, LoweredOp } from './network';
import { compiledDense, type PassContext } from './passContext';

/** Rounds up to a multiple of m. */
export const roundUp = (x: number, m: number) => Math.ceil(x / m) * m;

/** The per-core weight chunk and the per-column tiles of one iteration (AIE2-MODEL.md §4 notation). */
export interface SubVolume {
  /** Per-core weight sub-volume [Co, kh, kw, Ci] (zeros for ops without weights). */
  readonly W: readonly [number, number, number, number];
  /** Per-column, per-iteration input tile [Ih, Iw, Ic], kernel halo included. */
  readonly I: readonly [number, number, number];
  /** Per-column, per-iteration output tile [Oh, Ow, Oc]. */
  readonly O: readonly [number, number, number];
}

/** The row loop of one pass over the output height a memtile holds (OMh). */
export interface RowLoop {
  readonly outRows: number;
  readonly iterations: number;
  /** Iterations touching the top / bottom padding (sequential), and the overlapped rest. */
  readonly head: number;
  readonly body: number;
  readonly tail: number;
}

/** How a conv's weights spread over the cores. */
export interface CoreSplit {
  /** Distinct per-core chunks over the output channels (N = ⌈Cout / Co⌉). */
  readonly chunks: number;
  /** Input-channel slices of a chunk (c = Cin₈ / Ci): partial sums inside a core. */
  readonly cinSlices: number;
  /** Output-channel chunks of one core (⌈share / Co⌉, share = ⌈Cout / rows⌉₈). */
  readonly coutChunksPerCore: number;
  /** Chunks one memtile holds: ⌈N / cols⌉ · c (weights are broadcast along rows of cores). */
  readonly chunksPerMemtile: number;
}

/** What the sub-volume pass decides for one op. */
export interface Tiling {
  readonly sub: SubVolume;
  readonly rows: RowLoop;
  readonly core: CoreSplit;
  /** Passes over channel groups (pools and element-wise ops that do not fit one row, GAP). */
  readonly channelPasses: number;
  /** ρ the chunk search assumed (1 in dense mode). */
  readonly rho: number;
}

const NO_CORE: CoreSplit = { chunks: 0, cinSlices: 1, coutChunksPerCore: 0, chunksPerMemtile: 0 };

/**
 * Largest activation side, channel count or kernel size the compiler takes on. Real CNNs stay
 * far below; a hostile or broken model can claim 2^40, and the searches below are linear in
 * channel counts, so such ops are refused up front instead of hanging the estimate.
 */
export const MAX_COMPILE_DIM = 1 << 20;
/** Most passes one op may take. */
export const MAX_PASSES = 4096;

/** Divisors of n that are multiples of 8, largest first; [n] when n ≤ 8. */
export function divisorsBy8(n: number): number[] {
  if (n <= 8) return [n];
  const out: number[] = [];
  for (let d = n - (n % 8); d >= 8; d -= 8) if (n % d === 0) out.push(d);
  return out;
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
  return { iterations: n, head, tail, body: n - head - tail };
}

function rowLoop(hin: number, hout: number, s: number, kh: number, oh: number): RowLoop {
  const g = rowGroups(hin, hout, s, kh, oh);
  return { outRows: hout, iterations: g.iterations, head: g.head, body: g.body, tail: g.tail };
}

/** The core buffers of AIE2-MODEL.md §2, in bytes, as the paper's compiler budgets them. */
const BUDGET = {
  /** Input ping (or pong); 12 KiB when the window is strided (halos of two iterations). */
  input: 8 * KIB,
  stridedInput: 12 * KIB,
  /** Output ping; 4 KiB when strided (PAPER-COMPILER.md rule 4). */
  output: 8 * KIB,
  stridedOutput: 4 * KIB,
  weights: 16 * KIB,
  /** Pools: max pool input 16 KiB, 3x3 average pool input 12 KiB (rule 4). */
  maxPoolInput: 16 * KIB,
  avgPoolInput: 12 * KIB,
} as const;

interface TileEnv {
  readonly ctx: PassContext;
  readonly tensors: ReadonlyMap<string, ActTensor>;
  /** Width tiles a DDR step is cut into (refined mode's width tiling); 1 otherwise. */
  readonly widthTiles: number;
}

function tensorOf(env: TileEnv, name: string): ActTensor {
  const t = env.tensors.get(name);
  if (!t) throw new Error(`compiler bug: tensor '${name}' was not registered by lowering`);
  return t;
}

/**
 * Width of the slice one column (and its memtile) holds: ⌈W / cols⌉, rule 4; a tensor narrower
 * than the array is not split (it stays whole in one column), unless the choices spread it one
 * pixel column per array column (refined mode's narrow-tensors).
 */
export function columnSliceWidth(
  w: number,
  arch: AieArchitecture,
  narrow: CompilerChoices['narrowTensors'] = 'whole',
): number {
  if (w < arch.columns) return narrow === 'spread' ? 1 : w;
  return Math.ceil(w / arch.columns);
}

/** Width of one column's slice, and of one width tile of it. */
function columnWidth(w: number, env: TileEnv): number {
  return Math.max(
    1,
    Math.ceil(columnSliceWidth(w, env.ctx.arch, env.ctx.choices.narrowTensors) / env.widthTiles),
  );
}

/** The largest r in 1..max with fits(r), or 0 when even one does not fit. */
function largest(max: number, fits: (r: number) => boolean): number {
  let r = 0;
  while (r < max && fits(r + 1)) r++;
  return r;
}

/**
 * The sub-volume pass (PAPER-COMPILER.md rules 4 and 5): per-column tiles from the output width
 * split over the columns and the core buffer budgets, then the per-core weight chunk. Returns
 * why when nothing fits.
 */
export function tileOp(
  op: LoweredOp,
  net: LoweredNetwork,
  ctx: PassContext,
  widthTiles = 1,
): Tiling | string {
  const env: TileEnv = { ctx, tensors: net.tensors, widthTiles };
  const tooLarge = sizeProblem(op, env);
  if (tooLarge) return tooLarge;
  switch (op.kind) {
    case 'conv':
      return convTiling(op, env);
    case 'add':
    case 'mul':
      return eltwiseTiling(op, env);
    case 'maxpool':
    case 'avgpool':
      return poolTiling(op, env);
    case 'gap':
      return gapTiling(op, env);
    case 'concat':
      return {
        sub: { W: [0, 0, 0, 0], I: [0, 0, 0], O: [0, 0, 0] },
        rows: { outRows: 0, iterations: 0, head: 0, body: 0, tail: 0 },
        core: NO_CORE,
        channelPasses: 0,
        rho: 1,
      };
  }
}

function sizeProblem(op: LoweredOp, env: TileEnv): string | undefined {
  const bad = (v: number) => !Number.isInteger(v) || v < 0 || v > MAX_COMPILE_DIM;
  for (const name of [...op.inputs, op.output]) {
    const t = env.tensors.get(name);
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

function convTiling(op: LoweredOp, env: TileEnv): Tiling | string {
  const cv = op.conv;
  if (!cv) throw new Error('compiler bug: conv op without conv params');
  const { arch, precision, choices } = env.ctx;
  const dense = compiledDense(env.ctx, op.name);
  const e = PRECISION_INFO[precision].bytes;
  const input = tensorOf(env, op.inputs[0]);
  const output = tensorOf(env, op.output);
  const strided = cv.sh > 1 || cv.sw > 1;
  const inBudget = strided ? BUDGET.stridedInput : BUDGET.input;
  const outBudget = strided ? BUDGET.stridedOutput : BUDGET.output;
  const cin8 = roundUp(cv.cin / cv.group, 8);

  // rule 4: per-column tiles
  const ow = columnWidth(output.w, env);
  const halo = (ow - 1) * cv.sw + cv.kw;
  const haloBytes = cv.kh * roundUp(halo, 8) * cin8 * e;
  // A window no taller than its stride (1x1 strided) shares no rows between iterations, so the
  // compiler budgets its halo against the plain 8 KiB buffer, strictly: in the calibration logs
  // all eight such downsample convs keep the halo only below 8 KiB (ResNet-50 2x2 layer2.0 and
  // layer3.0 sit at exactly 8 KiB and take the column width instead).
  const keepsHalo = strided && cv.kh <= cv.sh ? haloBytes < BUDGET.input : haloBytes <= inBudget;
  const iw = keepsHalo ? halo : columnWidth(input.w, env);
  const outRow = roundUp(ow, 8) * e;
  const oc =
    divisorsBy8(cv.cout).find((d) => outRow * d <= outBudget) ??
    Math.min(cv.cout, Math.floor(outBudget / outRow / 8) * 8);
  if (oc < 1 || outRow * oc > outBudget) {
    return `one output row of ${ow} pixels (8 channels) does not fit the ${outBudget} B output buffer`;
  }
  const inRow = roundUp(iw, 8) * e;
  const ic = divisorsBy8(cin8).find((d) => cv.kh * inRow * d <= inBudget);
  if (ic === undefined) {
    return `${cv.kh} input rows of ${iw} pixels (8 channels) do not fit the ${inBudget} B input buffer`;
  }
  const oh = largest(
    output.h,
    (r) => r * outRow * oc <= outBudget && ((r - 1) * cv.sh + cv.kh) * inRow * ic <= inBudget,
  );
  const ih = (oh - 1) * cv.sh + cv.kh;

  // rule 5: the per-core weight chunk, Ci outer (descending), Co inner (descending)
  const coutPerGroup = cv.cout / cv.group;
  const layerRho = dense ? 1 : maskDensity(cv.mask);
  const rhoOf = (co: number, ci: number) =>
    dense
      ? 1
      : choices.density === 'layer'
        ? layerRho
        : chunkDensity(cv.mask, coutPerGroup, co, ci);
  const share = cv.cout < 8 ? cv.cout : roundUp(Math.ceil(cv.cout / arch.rows), 8);
  const coCands = coCandidates(share, cv.cout, arch.rows);
  let pick: { co: number; ci: number; rho: number } | undefined;
  for (const ci of divisorsBy8(cin8)) {
    for (const co of coCands) {
      const rho = rhoOf(co, ci);
      if (roundUp(chunkBytes(rho, co, cv.kh, cv.kw, ci, e), 16) <= BUDGET.weights) {
        pick = { co, ci, rho };
        break;
      }
    }
    if (pick) break;
  }
  if (!pick) {
    return `even the smallest weight chunk (Co ${coCands[coCands.length - 1]}, Ci 8) exceeds the ${BUDGET.weights} B core weight buffer`;
  }
  const { co, ci, rho } = pick;
  const chunks = Math.ceil(cv.cout / co);
  const cinSlices = cin8 / ci;
  return {
    sub: { W: [co, cv.kh, cv.kw, ci], I: [ih, iw, ic], O: [oh, ow, oc] },
    rows: rowLoop(input.h, output.h, cv.sh, cv.kh, oh),
    core: {
      chunks,
      cinSlices,
      coutChunksPerCore: Math.ceil(share / co),
      chunksPerMemtile: Math.ceil(chunks / arch.columns) * cinSlices,
    },
    channelPasses: 1,
    rho,
  };
}

/**
 * Co candidates of rule 5: share / 2ᵏ while a multiple of 8, and every divisor d of share that is
 * a multiple of 8 with Cout divisible by d · rows; largest first.
 */
function coCandidates(share: number, cout: number, rows: number): number[] {
  if (share < 8) return [share];
  const set = new Set<number>();
  for (let d = share; d >= 8 && d % 8 === 0; d /= 2) set.add(d);
  for (const d of divisorsBy8(share)) if (cout % (d * rows) === 0) set.add(d);
  return [...set].sort((a, b) => b - a);
}

/** Channels per pass (a divisor of c, multiple of 8, or c) whose one-row tiles fit. */
function channelGroup(c: number, fits: (ch: number) => boolean): number | undefined {
  return divisorsBy8(c).find(fits) ?? (fits(1) ? 1 : undefined);
}

/** Add / Mul: each operand's tile ≤ 8 KiB, widths unpadded (rule 4). */
function eltwiseTiling(op: LoweredOp, env: TileEnv): Tiling | string {
  const e = PRECISION_INFO[env.ctx.precision].bytes;
  const out = tensorOf(env, op.output);
  const ow = columnWidth(out.w, env);
  const fits = (rows: number, ch: number) => rows * ow * ch * e <= BUDGET.input;
  const ch = channelGroup(out.c, (c) => fits(1, c));
  if (ch === undefined) return `one row of ${ow} pixels does not fit the core buffers`;
  const oh = largest(out.h, (r) => fits(r, ch));
  return {
    sub: { W: [0, 0, 0, 0], I: [oh, ow, ch], O: [oh, ow, ch] },
    rows: rowLoop(out.h, out.h, 1, 1, oh),
    core: NO_CORE,
    channelPasses: Math.ceil(out.c / ch),
    rho: 1,
  };
}

/** Max pool: output ≤ 8 KiB, input ≤ 16 KiB; average pool: input ≤ 12 KiB (rule 4, unpadded). */
function poolTiling(op: LoweredOp, env: TileEnv): Tiling | string {
  const p = op.pool;
  if (!p) throw new Error('compiler bug: pool op without pool params');
  const e = PRECISION_INFO[env.ctx.precision].bytes;
  const input = tensorOf(env, op.inputs[0]);
  const out = tensorOf(env, op.output);
  const ow = columnWidth(out.w, env);
  const iw = (ow - 1) * p.sw + p.kw;
  const inBudget = op.kind === 'maxpool' ? BUDGET.maxPoolInput : BUDGET.avgPoolInput;
  const fits = (oh: number, ch: number) =>
    ((oh - 1) * p.sh + p.kh) * iw * ch * e <= inBudget && oh * ow * ch * e <= BUDGET.output;
  const ch = channelGroup(out.c, (c) => fits(1, c));
  if (ch === undefined) return `one pooling window row does not fit the core buffers`;
  const oh = largest(out.h, (r) => fits(r, ch));
  return {
    sub: { W: [0, 0, 0, 0], I: [(oh - 1) * p.sh + p.kh, iw, ch], O: [oh, ow, ch] },
    rows: rowLoop(input.h, out.h, p.sh, p.kh, oh),
    core: NO_CORE,
    channelPasses: Math.ceil(out.c / ch),
    rho: 1,
  };
}

/** Global average pool: channels spread over the columns, ⌈C / (Oc · cols)⌉ passes (rule 6). */
function gapTiling(op: LoweredOp, env: TileEnv): Tiling | string {
  const e = PRECISION_INFO[env.ctx.precision].bytes;
  const input = tensorOf(env, op.inputs[0]);
  const budget = BUDGET.maxPoolInput;
  let oc = divisorsBy8(input.c).find((ch) => input.h * input.w * ch * e <= budget);
  let ih = input.h;
  if (oc === undefined) {
    oc = Math.min(8, input.c);
    ih = Math.floor(budget / (input.w * oc * e));
    if (ih < 1) return `one row of the ${input.w}-wide input does not fit the core buffer`;
  }
  const n = Math.ceil(input.h / ih);
  return {
    sub: { W: [0, 0, 0, 0], I: [ih, input.w, oc], O: [1, 1, oc] },
    rows: { outRows: 1, iterations: n, head: 0, body: n, tail: 0 },
    core: NO_CORE,
    channelPasses: Math.ceil(input.c / (oc * env.ctx.arch.columns)),
    rho: 1,
  };
}
