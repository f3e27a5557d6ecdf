import type { ByteSource } from './byteSource';

/**
 * Our own in-memory form of an ONNX model. Decoded once from protobuf (see decodeModel.ts)
 * so that nothing else in the product depends on protobufjs objects.
 */

/** A name/value pair from a metadata_props list, kept in file order. */
export interface MetadataEntry {
  readonly key: string;
  readonly value: string;
}

/** Where the bytes of a tensor live. */
export type TensorStorage =
  /** Little-endian bytes in raw_data (a view into the model file, never a copy). */
  | { readonly kind: 'raw'; readonly bytes: Uint8Array }
  /**
   * raw_data left in the model file when it was decoded from its skeleton (modelSkeleton.ts):
   * `length` bytes at `offset`, read from `source` when the weight is scanned.
   */
  | {
      readonly kind: 'ranged';
      readonly source: ByteSource;
      readonly offset: number;
      readonly length: number;
    }
  /** Values decoded from a typed repeated field (float_data, int32_data, ...). */
  | { readonly kind: 'typed'; readonly field: TypedField; readonly values: ArrayLike<number> }
  /** Bytes in a separate file, read lazily through an ExternalDataResolver. */
  | {
      readonly kind: 'external';
      readonly location: string;
      readonly offset: number;
      /** Byte length, or undefined for "to the end of the file". */
      readonly length: number | undefined;
    }
  /** No data at all (a tensor whose values are absent). */
  | { readonly kind: 'empty' };

/** The TensorProto fields that hold values directly. */
export type TypedField = 'float_data' | 'int32_data' | 'int64_data' | 'double_data' | 'uint64_data';

/** A constant tensor: an initializer, or the value of a Constant node. */
export interface TensorIR {
  readonly name: string;
  /** ONNX TensorProto.DataType code. */
  readonly dataType: number;
  readonly dims: readonly number[];
  readonly storage: TensorStorage;
  readonly docString: string;
}

/** A tensor dimension: a number, a symbolic name, or unknown. */
export type DimIR = number | string | undefined;

/** A graph input/output/value_info entry. */
export interface ValueInfoIR {
  readonly name: string;
  /** Element type code, 0 when not a tensor or unknown. */
  readonly elemType: number;
  /** Undefined when the shape is not given at all (unknown rank). */
  readonly shape: readonly DimIR[] | undefined;
  readonly docString: string;
}

/** A decoded attribute value. Integers are plain numbers (checked against 2^53 on decode). */
export type AttributeValue =
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'tensor'; readonly value: TensorIR }
  | { readonly type: 'graph'; readonly value: GraphIR }
  | { readonly type: 'floats'; readonly value: readonly number[] }
  | { readonly type: 'ints'; readonly value: readonly number[] }
  | { readonly type: 'strings'; readonly value: readonly string[] }
  | { readonly type: 'tensors'; readonly value: readonly TensorIR[] }
  | { readonly type: 'graphs'; readonly value: readonly GraphIR[] }
  | { readonly type: 'other'; readonly value: undefined };

/** One operator in a graph. */
export interface NodeIR {
  /** The node's name, or a generated `<op>_<index>` when the file has none. */
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: ReadonlyMap<string, AttributeValue>;
  readonly docString: string;
  readonly metadata: readonly MetadataEntry[];
  /** Position of the node in its graph's node list. */
  readonly index: number;
}

/** A graph or subgraph (If/Loop/Scan body). */
export interface GraphIR {
  readonly name: string;
  /** Path used to name layers inside subgraphs: '' for the main graph, else `node/attr`. */
  readonly path: string;
  readonly nodes: readonly NodeIR[];
  readonly initializers: ReadonlyMap<string, TensorIR>;
  readonly inputs: readonly ValueInfoIR[];
  readonly outputs: readonly ValueInfoIR[];
  readonly valueInfo: readonly ValueInfoIR[];
  readonly docString: string;
}

/** An operator set the model imports. */
export interface OpsetImport {
  readonly domain: string;
  readonly version: number;
}

/** A whole ONNX model. */
export interface ModelIR {
  readonly irVersion: number;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly domain: string;
  readonly modelVersion: number;
  readonly docString: string;
  readonly opsetImports: readonly OpsetImport[];
  readonly metadata: readonly MetadataEntry[];
  readonly graph: GraphIR;
}

/** Opset version of the default ONNX domain ('' or 'ai.onnx'); 0 when not imported. */
export function defaultOpset(model: ModelIR): number {
  const entry = model.opsetImports.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  return entry ? entry.version : 0;
}
