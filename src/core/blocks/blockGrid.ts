import type { Diagnostic } from '../diagnostics';
import type { Float32Bands, Float32Scan } from '../onnx/tensorValues';
import { wasmScanPass } from './wasmBlockScan';
import { countOnes } from './countOnes';

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
  const zeroElements =
    wasmScanPass(values, layout, block, rows, cols, nonZero) ??
    scanPass(values, layout, block, rows, cols, nonZero);
  return gridOf(nonZero, zeroElements, layout, block);
}

/** Bytes of weights read and scanned at a time by scanBlockBands: well inside a core's cache. */
const BAND_BYTES = 512 * 1024;

/**
 * scanBlocks over a weight read in bands of whole block rows (readFloat32Bands): the same grid.
 * Undefined when the layout's block rows are not contiguous runs of the weight (a MatMul's
 * [in, out] weight), which is then read whole.
 */
export function scanBlockBands(
  bands: Float32Bands,
  layout: WeightLayout,
  block: BlockShape,
): BlockGrid | Diagnostic | undefined {
  const { rows, cols } = gridSize(layout, block);
  const nonZero = new Uint8Array(layout.groups * rows * cols);
  let zeroElements = 0;
  const done = forEachBand(bands, layout, block, (values, band, first, blocks) => {
    const mask = nonZero.subarray(first, first + blocks);
    const bandRows = blocks / cols;
    zeroElements +=
      wasmScanPass(values, band, block, bandRows, cols, mask) ??
      scanPass(values, band, block, bandRows, cols, mask);
  });
  return done === true ? gridOf(nonZero, zeroElements, layout, block) : done;
}

/**
 * True when the float32 weight of `byteLength` bytes holds its block rows as contiguous runs,
 * group after group (Conv, Gemm transB), so that it can be read in bands of block rows.
 */
export function blockRowsContiguous(layout: WeightLayout, byteLength: number): boolean {
  const { groups, coutPerGroup, cinPerGroup, kernel, groupStride, outStride, inStride } = layout;
  return (
    inStride === kernel &&
    outStride === cinPerGroup * kernel &&
    (groups === 1 || groupStride === coutPerGroup * outStride) &&
    byteLength === 4 * groups * coutPerGroup * outStride
  );
}

/**
 * Reads a weight in bands of whole block rows of one group and calls `visit` with each: its
 * values, its layout (one group, its output channels), and the index and number of its blocks
 * in the weight's block order. True when every band was read; the error of one that was not;
 * undefined when block rows are not contiguous runs of the weight (a MatMul's [in, out]).
 */
export function forEachBand(
  bands: Float32Bands,
  layout: WeightLayout,
  block: BlockShape,
  visit: (values: Float32Scan, band: WeightLayout, firstBlock: number, blocks: number) => void,
): true | Diagnostic | undefined {
  if (!blockRowsContiguous(layout, bands.byteLength)) return undefined;
  const { groups, coutPerGroup, outStride } = layout;
  const { rows, cols } = gridSize(layout, block);
  const rowsPerBand = Math.max(1, Math.floor(BAND_BYTES / (4 * block.out * outStride)));
  for (let g = 0; g < groups; g++) {
    for (let r0 = 0; r0 < rows; r0 += rowsPerBand) {
      const r1 = Math.min(rows, r0 + rowsPerBand);
      const o0 = r0 * block.out;
      const outs = Math.min(coutPerGroup, r1 * block.out) - o0;
      const values = bands.read(4 * (g * coutPerGroup + o0) * outStride, 4 * outs * outStride);
      if ('code' in values) return values;
      const band = { ...layout, groups: 1, coutPerGroup: outs, groupStride: 0 };
      visit(values, band, (g * rows + r0) * cols, (r1 - r0) * cols);
    }
  }
  return true;
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
  if (coutPerGroup % block.out === 0 && cinPerGroup % block.in === 0) {
    // every block is whole (nearly every layer of a CNN): a count of the mask, not a loop with
    // each block's size — the loop was 5% of analysing ResNet-50's 400,000 blocks
    const nonZeroBlocks = countOnes(nonZero);
    zeroBlocks = nonZero.length - nonZeroBlocks;
    nonZeroBlockElements = nonZeroBlocks * block.out * block.in * kernel;
  } else {
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
  // a Conv weight's input channels are contiguous kernels: a block's row is one run of words
  const contiguous = inStride === kernel;
  const words = wordsOf(values);
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
          const start = oBase + c0 * kernel;
          const end = oBase + cEnd * kernel;
          any = words ? runOfWords(words, start, end) : runOfView(values, start, end);
          zeros += runZeros;
        } else {
          for (let c = c0; c < cEnd; c++) {
            const start = oBase + c * inStride;
            any |= words
              ? runOfWords(words, start, start + kernel)
              : runOfView(values, start, start + kernel);
            zeros += runZeros;
          }
        }
        if (any !== 0) nonZero[rowBase + cb] = 1;
      }
    }
  }
  return zeros;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The weights as 32-bit words when they lie 4-byte aligned (weights read from the file into the
 * scan buffer): indexed words are about twice as fast as DataView reads while the JIT is still
 * cold, which is all of a CLI run. Raw data viewed in place inside a protobuf is usually not
 * aligned and is read through the DataView.
 */
function wordsOf(values: Float32Scan): Uint32Array | undefined {
  if (!littleEndian || values.byteOffset % 4 !== 0) return undefined;
  return new Uint32Array(values.buffer, values.byteOffset, values.byteLength >> 2);
}

/** Zeros counted by the last runOf… call (a second result without an allocation per run). */
let runZeros = 0;

/** OR of the magnitudes of words [start, end); their zeros in runZeros. */
function runOfWords(words: Uint32Array, start: number, end: number): number {
  let any = 0;
  let zeros = 0;
  for (let i = start; i < end; i++) {
    const m = words[i] & 0x7fffffff;
    any |= m;
    zeros += m === 0 ? 1 : 0;
  }
  runZeros = zeros;
  return any;
}

/** runOfWords over little-endian float32s at any alignment. */
function runOfView(view: DataView, start: number, end: number): number {
  let any = 0;
  let zeros = 0;
  for (let b = 4 * start; b < 4 * end; b += 4) {
    const m = view.getUint32(b, true) & 0x7fffffff;
    any |= m;
    zeros += m === 0 ? 1 : 0;
  }
  runZeros = zeros;
  return any;
}
