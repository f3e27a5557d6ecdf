import type { BlockShape, WeightLayout } from '../analysis/blockGrid';
import type { NumericArray } from '../onnx/tensorValues';
import type { Criterion } from './sparsifyOptions';

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

/** Scores every block of a weight by L2 norm, L1 norm or variance of its weights. */
export function scoreBlocks(
  values: NumericArray,
  layout: WeightLayout,
  block: BlockShape,
  criterion: Criterion,
): BlockScores {
  const rows = Math.ceil(layout.coutPerGroup / block.out);
  const cols = Math.ceil(layout.cinPerGroup / block.in);
  const n = layout.groups * rows * cols;
  const score = new Float64Array(n);
  const perElement = new Float64Array(n);
  const zero = new Uint8Array(n);
  let layerSum = 0;
  let layerSq = 0;
  let layerAbs = 0;
  let layerCount = 0;
  for (let g = 0; g < layout.groups; g++) {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        let sum = 0;
        let sq = 0;
        let abs = 0;
        let count = 0;
        let nonZero = false;
        forEachInBlock(layout, block, g, r, c, (i) => {
          const v = values[i];
          sum += v;
          sq += v * v;
          abs += Math.abs(v);
          count++;
          if (v !== 0) nonZero = true;
        });
        const b = (g * rows + r) * cols + c;
        zero[b] = nonZero ? 0 : 1;
        const mean = count ? sum / count : 0;
        score[b] =
          criterion === 'l2'
            ? Math.sqrt(sq)
            : criterion === 'l1'
              ? abs
              : count
                ? sq / count - mean * mean
                : 0;
        perElement[b] =
          criterion === 'l2'
            ? Math.sqrt(count ? sq / count : 0)
            : criterion === 'l1'
              ? count
                ? abs / count
                : 0
              : score[b];
        layerSum += sum;
        layerSq += sq;
        layerAbs += abs;
        layerCount += count;
      }
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
  const normalised = perElement.map((x) => (layerScale > 0 ? x / layerScale : 0));
  return { rows, cols, groups: layout.groups, score, normalised, zero };
}
