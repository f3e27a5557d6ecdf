import type { LayerReport } from '../analysis/analysisReport';
import { compressedBytes } from '../blocks/compressedBytes';
import { PRECISION_INFO, type Precision } from '../target/precision';

/**
 * A layer's weight bytes at a precision: the analysis counts int8 (one byte per weight); at
 * int16 or bf16 the weights take two bytes each while the 4 B per channel and 2 B per block of
 * overhead stay (the one compressed-bytes formula).
 */
export function weightBytesAt(
  layers: readonly LayerReport[],
  precision: Precision,
): { dense: number; compressed: number } {
  const e = PRECISION_INFO[precision].bytes;
  let dense = 0;
  let compressed = 0;
  for (const l of layers) {
    dense += l.denseBytesInt8 * e;
    const overhead = compressedBytes(0, l.detail.cout, l.blocks);
    const kept = Math.max(0, l.compressedBytesInt8 - overhead);
    compressed +=
      l.compressedBytesInt8 === 0 ? 0 : compressedBytes(kept * e, l.detail.cout, l.blocks);
  }
  return { dense, compressed };
}
