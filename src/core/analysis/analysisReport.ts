import type { Diagnostic } from '../diagnostics';
import type { BlockShape } from '../blocks/blockGrid';
import type { MetadataEntry } from '../onnx/ir';

/**
 * One analysed layer: a Conv, ConvTranspose, Gemm or MatMul (or a quantized form of one) with
 * a constant weight, or with a run-time second operand (weightKind 'runtime').
 */
export interface LayerReport {
  /** Node name, prefixed with the subgraph path for layers inside If/Loop/Scan bodies. */
  readonly name: string;
  readonly op: string;
  /** Name of the stored tensor holding the weight (initializer or Constant output). */
  readonly weight: string;
  /**
   * Where the weight comes from: a stored tensor (patchable in place), a value folded from
   * constant ops (ConstantOfShape, Mul of constants, ...: not patchable), an attribute written
   * inline, or a run-time tensor (activation x activation: MACs only, no blocks).
   */
  readonly weightKind: 'stored' | 'folded' | 'inline' | 'runtime';
  /** Weight shape as the layer sees it (after Transpose/DequantizeLinear of a constant). */
  readonly weightShape: readonly number[];
  readonly group: number;
  /** Weight elements plus constant bias elements. */
  readonly params: number;
  /** Multiply-accumulates at the model's batch; null when a shape is unknown. */
  readonly macs: number | null;
  readonly inputShape: readonly number[] | null;
  readonly outputShape: readonly number[] | null;
  readonly blocks: number;
  readonly zeroBlocks: number;
  readonly blockSparsity: number;
  readonly elementSparsity: number;
  /** One byte per weight. */
  readonly denseBytesInt8: number;
  /** Non-zero blocks' weights + 4 B per output channel + 2 B per block (AIE2-MODEL.md §1). */
  readonly compressedBytesInt8: number;
  readonly sparsifiable: boolean;
  /** Extra detail for the views (not part of the CLI JSON contract). */
  readonly detail: LayerDetail;
}

/** What the views need beyond the CLI's per-layer keys. */
export interface LayerDetail {
  /** Subgraph path ('' for the main graph) and the node's index in it. */
  readonly graphPath: string;
  readonly nodeIndex: number;
  readonly cout: number;
  readonly cinPerGroup: number;
  readonly kernelShape: readonly number[];
  /** Activation bytes at one byte per element; null when unknown. */
  readonly inputBytesInt8: number | null;
  readonly outputBytesInt8: number | null;
  /** Ops between the stored weight and the layer, e.g. ['DequantizeLinear']. */
  readonly weightVia: readonly string[];
  readonly blockRows: number;
  readonly blockCols: number;
  /** 1 for non-zero blocks, index (group·rows + row)·cols + col. */
  readonly blockMask: Uint8Array;
  /** Same indexing: 0 for zero blocks, else 1..255 by RMS weight relative to the layer's max. */
  readonly blockShade?: Uint8Array;
  /** The node's metadata_props (exporters put stack traces and class names there). */
  readonly nodeMetadata: readonly MetadataEntry[];
}

/** Sums over all layers. */
export interface AnalysisTotals {
  readonly layers: number;
  readonly params: number;
  readonly macs: number;
  readonly blocks: number;
  readonly zeroBlocks: number;
  readonly denseBytesInt8: number;
  readonly compressedBytesInt8: number;
}

/** Facts about the model file itself. */
export interface ModelSummary {
  readonly irVersion: number;
  readonly producer: string;
  readonly opset: number;
  readonly graphName: string;
  readonly nodes: number;
  /**
   * Graph inputs: `shape` as analysed (dynamic dims filled in), `declared` as the file states it
   * (a name for a symbolic dim, null for an unknown one; null when no shape is given at all).
   */
  readonly inputs: readonly {
    readonly name: string;
    readonly shape: readonly number[] | null;
    readonly declared: readonly (number | string | null)[] | null;
  }[];
  readonly opCounts: Readonly<Record<string, number>>;
}

/** The whole analysis of one model: what the CLI prints and the views show. */
export interface AnalysisReport {
  readonly model: ModelSummary;
  readonly block: BlockShape;
  readonly layers: readonly LayerReport[];
  readonly totals: AnalysisTotals;
  readonly diagnostics: readonly Diagnostic[];
  /** True when the caller cancelled: layers hold what was done by then. */
  readonly cancelled: boolean;
}
