import type { Float32Scan } from '../onnx/tensorValues';

/** Block shape: `out` output channels x `in` input channels (the whole kernel in each). */
export interface BlockShape {
  readonly out: number;
  readonly in: number;
}

export const DEFAULT_BLOCK: BlockShape = { out: 8, in: 8 };

/** Parses "8x8" / "8x4" (output x input channels); undefined when malformed. */
export function parseBlockShape(text: string): BlockShape | undefined {
  const m = /^\s*(\d+)\s*[xX]\s*(\d+)\s*$/.exec(text);
  if (!m) return undefined;
  const out = Number(m[1]);
  const inn = Number(m[2]);
  if (out < 1 || inn < 1 || out > 4096 || inn > 4096) return undefined;
  return { out, in: inn };
}

/**
 * Where the weight of output channel o, input channel c, kernel position k of group g lives
 * in the flat weight array: base·g + o·outStride + c·inStride + k.
 */
export interface WeightLayout {
  readonly groups: number;
  /** Output channels per group. */
  readonly coutPerGroup: number;
  /** Input channels per group. */
  readonly cinPerGroup: number;
  /** Kernel positions (kh·kw·…), contiguous in memory. */
  readonly kernel: number;
  readonly groupStride: number;
  readonly outStride: number;
  readonly inStride: number;
}

/** Result of scanning one weight tensor. */
export interface BlockGrid {
  /** Block rows per group = ceil(coutPerGroup / block.out). */
  readonly rows: number;
  /** Block columns per group = ceil(cinPerGroup / block.in). */
  readonly cols: number;
  readonly groups: number;
  /** 1 where the block has a non-zero weight; index (g·rows + r)·cols + c. */
  readonly nonZero: Uint8Array;
  readonly blocks: number;
  readonly zeroBlocks: number;
  readonly zeroElements: number;
  readonly elements: number;
  /** Weights in non-zero blocks (partial edge blocks count their real size). */
  readonly nonZeroBlockElements: number;
}

/** Scans a weight tensor for all-zero blocks under the given layout and block shape. */
export function scanBlocks(
  values: Float32Scan,
  layout: WeightLayout,
  block: BlockShape,
): BlockGrid {
  const { rows, cols } = gridSize(layout, block);
  const nonZero = new Uint8Array(layout.groups * rows * cols);
  const zeroElements = scanPass(values, layout, block, rows, cols, nonZero);
  return gridOf(nonZero, zeroElements, layout, block);
}

/**
 * The grid of a weight whose elements all have one value (a folded ConstantOfShape): known
 * from the shape alone, so a 100-million-element weight is never materialised.
 */
export function scanUniformBlocks(
  value: number,
  layout: WeightLayout,
  block: BlockShape,
): BlockGrid {
  const { rows, cols, elements } = gridSize(layout, block);
  const zero = Math.fround(value) === 0;
  const nonZero = new Uint8Array(layout.groups * rows * cols).fill(zero ? 0 : 1);
  return gridOf(nonZero, zero ? elements : 0, layout, block);
}

/** Block rows and columns per group, and the weight's element count. */
function gridSize(layout: WeightLayout, block: BlockShape) {
  const { groups, coutPerGroup, cinPerGroup, kernel } = layout;
  return {
    rows: Math.ceil(coutPerGroup / block.out),
    cols: Math.ceil(cinPerGroup / block.in),
    elements: groups * coutPerGroup * cinPerGroup * kernel,
  };
}

/** Counts of a block mask: zero blocks, elements in non-zero blocks (edge blocks their real size). */
function gridOf(
  nonZero: Uint8Array,
  zeroElements: number,
  layout: WeightLayout,
  block: BlockShape,
): BlockGrid {
  const { groups, coutPerGroup, cinPerGroup, kernel } = layout;
  const { rows, cols, elements } = gridSize(layout, block);
  let zeroBlocks = 0;
  let nonZeroBlockElements = 0;
  for (let g = 0; g < groups; g++) {
    for (let r = 0; r < rows; r++) {
      const h = Math.min(block.out, coutPerGroup - r * block.out);
      for (let c = 0; c < cols; c++) {
        if (nonZero[(g * rows + r) * cols + c]) {
          nonZeroBlockElements += h * Math.min(block.in, cinPerGroup - c * block.in) * kernel;
        } else zeroBlocks++;
      }
    }
  }
  return {
    rows,
    cols,
    groups,
    nonZero,
    blocks: nonZero.length,
    zeroBlocks,
    zeroElements,
    elements,
    nonZeroBlockElements,
  };
}

/**
 * One pass over every weight, block by block: counts the zeros (all bits zero but the sign: +0
 * and -0) and sets nonZero[block] for every block holding a non-zero. One read per weight — the
 * count and the mask in two passes read a half-zero weight one and a half times.
 */
function scanPass(
  values: Float32Scan,
  layout: WeightLayout,
  block: BlockShape,
  rows: number,
  cols: number,
  nonZero: Uint8Array,
): number {
  const { groups, coutPerGroup, cinPerGroup, kernel, groupStride, outStride, inStride } = layout;
  // a Conv weight's input channels are contiguous kernels: a block's row is one run of bytes
  const contiguous = inStride === kernel;
  let zeros = 0;
  for (let g = 0; g < groups; g++) {
    for (let o = 0; o < coutPerGroup; o++) {
      const rowBase = (g * rows + Math.floor(o / block.out)) * cols;
      const oBase = g * groupStride + o * outStride;
      for (let cb = 0; cb < cols; cb++) {
        const c0 = cb * block.in;
        const cEnd = Math.min(cinPerGroup, c0 + block.in);
        let any = 0;
        if (contiguous) {
          const end = 4 * (oBase + cEnd * kernel);
          for (let b = 4 * (oBase + c0 * kernel); b < end; b += 4) {
            const m = values.getUint32(b, true) & 0x7fffffff;
            any |= m;
            if (m === 0) zeros++;
          }
        } else {
          for (let c = c0; c < cEnd; c++) {
            const start = oBase + c * inStride;
            for (let k = 0; k < kernel; k++) {
              const m = values.getUint32(4 * (start + k), true) & 0x7fffffff;
              any |= m;
              if (m === 0) zeros++;
            }
          }
        }
        if (any !== 0) nonZero[rowBase + cb] = 1;
      }
    }
  }
  return zeros;
}
