import type { Diagnostic } from '../diagnostics';
import type { TensorIR } from './ir';
import {
  readFloat32Bands,
  type Float32Bands,
  type Float32Scan,
  type NumericArray,
} from './tensorValues';

/** A value known before the model runs, read lazily (weights can be large). */
export interface ConstantValue {
  readonly dims: readonly number[];
  /** Element type of the value (the stored tensor's, or what the graph casts it to). */
  readonly dataType: number;
  /** Name of the stored tensor (initializer or Constant output) the value comes from. */
  readonly sourceName: string;
  /** Ops applied between the stored tensor and this value, e.g. ['DequantizeLinear']. */
  readonly via: readonly string[];
  /** The values, dequantized/cast/transposed/folded as the graph says. */
  read(): NumericArray | Diagnostic;
  /** The same values in the block scanner's form (raw float32 weights without a copy). */
  readScan(): Float32Scan | Diagnostic;
  /**
   * Where each value is stored, for writers; undefined for values no stored tensor holds
   * element for element (inline attributes, values computed by folding).
   */
  readonly stored: StoredRef | undefined;
  /**
   * The one value every element has, when that is known without reading (ConstantOfShape):
   * a folded weight of hundreds of millions of elements is then scanned by its shape alone.
   */
  readonly uniform?: number;
  /** Set when the value was computed by folding ops other than Identity/Cast/Transpose/DQ. */
  readonly folded?: boolean;
}

/** How the elements of a constant map onto the stored tensor they come from. */
export interface StoredRef {
  readonly tensor: TensorIR;
  /** Flat index in the stored tensor of the value's flat index i. */
  indexOf(i: number): number;
  /** The stored value that means zero for the value's flat index i (a zero point, or 0). */
  zeroAt(i: number): number;
  /** True when indexOf is the identity (no Transpose on the way): writers can work in runs. */
  readonly identity: boolean;
  /** The zero value when it is the same for every element (float weights, per-tensor zero points). */
  readonly uniformZero: number | undefined;
}

/**
 * The value in bands (readFloat32Bands) when it is a raw float32 tensor stored as it is used —
 * no Cast, Transpose or DequantizeLinear on the way — else undefined, and readScan reads it.
 */
export function readWeightBands(
  value: ConstantValue,
  where: string | null,
): Float32Bands | undefined {
  if (value.via.length > 0 || !value.stored?.identity) return undefined;
  return readFloat32Bands(value.stored.tensor, where);
}
