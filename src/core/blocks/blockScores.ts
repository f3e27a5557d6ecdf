import type { Diagnostic } from '../diagnostics';
import { forEachBand, type BlockShape, type WeightLayout } from './blockGrid';
import type { Float32Bands, Float32Scan } from '../onnx/tensorValues';
import { wasmSquares } from './wasmBlockScan';

/** How blocks are scored: the paper's most successful scheme is the L2 norm. */
export type Criterion = 'l2' | 'l1' | 'variance';
export const CRITERIA: readonly Criterion[] = ['l2', 'l1', 'variance'];

/** Per-block statistics of one weight, block index (g·rows + r)·cols + c as in the analysis. */
export interface BlockScores {
  readonly rows: number;
  readonly cols: number;
  readonly groups: number;
  /** The criterion's score of each block. */
  readonly score: Float64Array;
  /** The same score per element, divided by the layer's: comparable across layers (global scope). */
  readonly normalised: Float64Array;
  /** 1 where every weight of the block is already exactly zero. */
  readonly zero: Uint8Array;
}

/** Calls fn(flatIndex) for every weight of block (g, r, c). */
export function forEachInBlock(
  layout: WeightLayout,
  block: BlockShape,
  g: number,
  r: number,
  c: number,
  fn: (i: number) => void,
): void {
  const oEnd = Math.min(layout.coutPerGroup, (r + 1) * block.out);
  const cEnd = Math.min(layout.cinPerGroup, (c + 1) * block.in);
  for (let o = r * block.out; o < oEnd; o++) {
    for (let ci = c * block.in; ci < cEnd; ci++) {
      const start = g * layout.groupStride + o * layout.outStride + ci * layout.inStride;
      for (let k = 0; k < layout.kernel; k++) fn(start + k);
    }
  }
}

/**
 * Scores every block of a weight by L2 norm, L1 norm or variance of its weights. Reads the
 * little-endian float32 view the block scanner uses: raw weights are read in place, no copy.
 */
export function scoreBlocks(
  values: Float32Scan,
  layout: WeightLayout,
  block: BlockShape,
  criterion: Criterion,
): BlockScores {
  const sums = blockSums(layout, block);
  accumulate(values, layout, block, criterion === 'l2', sums);
  return finish(sums, layout, block, criterion);
}

/**
 * scoreBlocks over a weight read in bands of whole block rows (readFloat32Bands): the same
 * scores, bit for bit — every block lies in one band, summed in the same order. Undefined when
 * the layout's block rows are not contiguous runs of the weight, which is then read whole.
 */
export function scoreBlockBands(
  bands: Float32Bands,
  layout: WeightLayout,
  block: BlockShape,
  criterion: Criterion,
): BlockScores | Diagnostic | undefined {
  const sums = blockSums(layout, block);
  const l2Only = criterion === 'l2';
  const done = forEachBand(bands, layout, block, (values, band, first, blocks) => {
    const part = {
      sum: sums.sum.subarray(first, first + blocks),
      sq: sums.sq.subarray(first, first + blocks),
      abs: sums.abs.subarray(first, first + blocks),
    };
    if (!(l2Only && wasmSquares(values, band, block, part.sq)))
      accumulate(values, band, block, l2Only, part);
  });
  if (done !== true) return done;
  return finish(sums, layout, block, criterion);
}

/** Per-block sums of a weight, before they become scores. */
interface Sums {
  readonly rows: number;
  readonly cols: number;
  readonly sum: Float64Array;
  readonly sq: Float64Array;
  readonly abs: Float64Array;
}

function blockSums(layout: WeightLayout, block: BlockShape): Sums {
  const rows = Math.ceil(layout.coutPerGroup / block.out);
  const cols = Math.ceil(layout.cinPerGroup / block.in);
  const n = layout.groups * rows * cols;
  return {
    rows,
    cols,
    sum: new Float64Array(n),
    sq: new Float64Array(n),
    abs: new Float64Array(n),
  };
}

/**
 * Adds each block's sum, sum of squares and sum of magnitudes into `into` (index (g·rows + r)·cols
 * + c, rows of the layout's own). One pass in memory order; each (output channel, block column)
 * run is summed in locals. `l2Only`: the squares alone, all L2 needs.
 */
function accumulate(
  values: Float32Scan,
  layout: WeightLayout,
  block: BlockShape,
  l2Only: boolean,
  into: Pick<Sums, 'sum' | 'sq' | 'abs'>,
): void {
  const { groups, coutPerGroup, cinPerGroup } = layout;
  const rows = Math.ceil(coutPerGroup / block.out);
  const cols = Math.ceil(cinPerGroup / block.in);
  const { sum, sq, abs } = into;
  const { kernel, groupStride, outStride, inStride } = layout;
  for (let g = 0; g < groups; g++) {
    for (let o = 0; o < coutPerGroup; o++) {
      const rowBase = (g * rows + Math.floor(o / block.out)) * cols;
      const oBase = g * groupStride + o * outStride;
      for (let cb = 0; cb < cols; cb++) {
        const cEnd = Math.min(cinPerGroup, (cb + 1) * block.in);
        let s = 0;
        let q = 0;
        let a = 0;
        if (inStride === kernel && l2Only) {
          // the common case, trimmed to what L2 needs: one multiply-add per weight, in two
          // lanes (even and odd weights of the run, then their sum) — the order of the SIMD
          // sums in blockScan.wat, so both give the same scores bit for bit
          const end = oBase + cEnd * kernel;
          let q1 = 0;
          let i = oBase + cb * block.in * kernel;
          for (; i + 1 < end; i += 2) {
            const v = values.getFloat32(4 * i, true);
            const w = values.getFloat32(4 * i + 4, true);
            q += v * v;
            q1 += w * w;
          }
          if (i < end) {
            const v = values.getFloat32(4 * i, true);
            q += v * v;
          }
          q += q1;
        } else if (inStride === kernel) {
          // Conv / Gemm-transB layout: the block column is one contiguous range
          const end = oBase + cEnd * kernel;
          for (let i = oBase + cb * block.in * kernel; i < end; i++) {
            const v = values.getFloat32(4 * i, true);
            s += v;
            q += v * v;
            a += Math.abs(v); // not a ternary: random signs would mispredict the branch
          }
        } else {
          for (let c = cb * block.in; c < cEnd; c++) {
            const start = oBase + c * inStride;
            for (let k = 0; k < kernel; k++) {
              const v = values.getFloat32(4 * (start + k), true);
              s += v;
              q += v * v;
              a += Math.abs(v);
            }
          }
        }
        const b = rowBase + cb;
        sq[b] += q;
        if (!l2Only) {
          // L2 reads only the squares: the other sums would be three more writes per run
          sum[b] += s;
          abs[b] += a;
        }
      }
    }
  }
}

/**
 * Scores from the sums: per block, per element, normalised by the layer's. Plain loops over
 * typed arrays (no callback per block): a one-shot CLI run spends its time before the JIT has
 * optimised much, where a callback per block costs more than the arithmetic.
 */
function finish(
  sums: Sums,
  layout: WeightLayout,
  block: BlockShape,
  criterion: Criterion,
): BlockScores {
  const { rows, cols, sum, sq, abs } = sums;
  const { groups, coutPerGroup, cinPerGroup, kernel } = layout;
  const n = groups * rows * cols;
  const zero = new Uint8Array(n);
  const score = new Float64Array(n);
  const perElement = new Float64Array(n);
  let layerSum = 0;
  let layerSq = 0;
  let layerAbs = 0;
  let layerCount = 0;
  for (let g = 0, b = 0; g < groups; g++)
    for (let r = 0; r < rows; r++) {
      const outs = Math.min(coutPerGroup, (r + 1) * block.out) - r * block.out;
      for (let col = 0; col < cols; col++, b++) {
        // weights per block, from the shape rather than counted run by run
        const c = outs * (Math.min(cinPerGroup, (col + 1) * block.in) - col * block.in) * kernel;
        zero[b] = sq[b] === 0 ? 1 : 0;
        if (criterion === 'l2') {
          score[b] = Math.sqrt(sq[b]);
          perElement[b] = Math.sqrt(c ? sq[b] / c : 0);
        } else if (criterion === 'l1') {
          score[b] = abs[b];
          perElement[b] = c ? abs[b] / c : 0;
        } else {
          const mean = c ? sum[b] / c : 0;
          const variance = c ? sq[b] / c - mean * mean : 0;
          score[b] = variance;
          perElement[b] = variance;
        }
        layerSum += sum[b];
        layerSq += sq[b];
        layerAbs += abs[b];
        layerCount += c;
      }
    }
  const layerMean = layerCount ? layerSum / layerCount : 0;
  const layerScale =
    criterion === 'l2'
      ? Math.sqrt(layerCount ? layerSq / layerCount : 0)
      : criterion === 'l1'
        ? layerCount
          ? layerAbs / layerCount
          : 0
        : layerCount
          ? layerSq / layerCount - layerMean * layerMean
          : 0;
  // perElement becomes the normalised scores in place: it is not returned itself
  for (let b = 0; b < n; b++) perElement[b] = layerScale > 0 ? perElement[b] / layerScale : 0;
  return { rows, cols, groups, score, normalised: perElement, zero };
}
