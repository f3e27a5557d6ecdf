import type { LayerReport } from '../analysis/analysisReport';

/**
 * A layer's public summary fields, in order: the CLI's JSON contract (`analyze --json`) and the
 * first columns of the model view's CSV export, so the two can never drift apart.
 */
export const LAYER_SUMMARY_KEYS = [
  'name',
  'op',
  'weight',
  'weightKind',
  'weightShape',
  'group',
  'params',
  'macs',
  'inputShape',
  'outputShape',
  'blocks',
  'zeroBlocks',
  'blockSparsity',
  'elementSparsity',
  'denseBytesInt8',
  'compressedBytesInt8',
  'sparsifiable',
] as const satisfies readonly (keyof LayerReport)[];

export type LayerSummary = Pick<LayerReport, (typeof LAYER_SUMMARY_KEYS)[number]>;

/** The summary fields of a layer, exactly these keys in this order. */
export function layerSummary(l: LayerReport): LayerSummary {
  return Object.fromEntries(LAYER_SUMMARY_KEYS.map((k) => [k, l[k]])) as unknown as LayerSummary;
}
