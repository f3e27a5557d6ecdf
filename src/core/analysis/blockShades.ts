import type { Float32Scan } from '../onnx/tensorValues';
import { scoreBlocks } from '../blocks/blockScores';
import type { BlockShape, WeightLayout } from '../blocks/blockGrid';

/**
 * Each block's RMS weight as a shade for the heat-map: 0 for an all-zero block, otherwise
 * 1..255 relative to the layer's strongest block. RMS rather than the plain L2 norm so that
 * edge blocks (fewer channels) are not drawn pale only for being small.
 */
export function blockShades(
  values: Float32Scan,
  layout: WeightLayout,
  block: BlockShape,
): Uint8Array {
  const scores = scoreBlocks(values, layout, block, 'l2');
  const n = scores.zero.length;
  let max = 0;
  for (let b = 0; b < n; b++) max = Math.max(max, scores.normalised[b]);
  const shades = new Uint8Array(n);
  for (let b = 0; b < n; b++) {
    if (scores.zero[b]) continue;
    shades[b] = max > 0 ? Math.max(1, Math.round((255 * scores.normalised[b]) / max)) : 255;
  }
  return shades;
}
