import { diag, type Diagnostic } from '../diagnostics';
import { int64ToNumber } from './int64';
import type {
  AttributeValue,
  DimIR,
  GraphIR,
  MetadataEntry,
  ModelIR,
  NodeIR,
  TensorIR,
  TensorStorage,
  ValueInfoIR,
} from './ir';
import type {
  PbAttribute,
  PbGraph,
  PbModel,
  PbNode,
  PbStringStringEntry,
  PbTensor,
  PbValueInfo,
} from './protoMessages';
import type { ByteSource } from './byteSource';
import type { ModelSkeleton } from './modelSkeleton';
import { onnx } from './onnxDecoder.generated';

/** Result of decoding: a model, or none plus the reason, and any warnings either way. */
export interface DecodeResult {
  readonly model: ModelIR | undefined;
  readonly diagnostics: Diagnostic[];
}

const ATTR = {
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
  TENSORS: 9,
  GRAPHS: 10,
} as const;

const EXTERNAL_LOCATION = 1;
const utf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * A bytes field as text. protobufjs gives an unset bytes field its default, which is a plain
 * empty array rather than a Uint8Array, so anything that is not bytes reads as ''.
 */
function text(b: unknown): string {
  return b instanceof Uint8Array ? utf8.decode(b) : '';
}

/**
 * Decodes ONNX model bytes into our IR. Never throws for bad input: a file that is not a
 * model yields `model: undefined` and an error diagnostic naming the reason.
 */
export function decodeModel(bytes: Uint8Array): DecodeResult {
  return decodeWith(bytes, undefined);
}

/**
 * Decodes a model's skeleton (modelSkeleton.ts): the weights it left in the file become
 * 'ranged' storage read from `source`, which must stay open while the model is used.
 */
export function decodeSkeleton(skeleton: ModelSkeleton, source: ByteSource): DecodeResult {
  return decodeWith(skeleton.bytes, { source, deferred: skeleton.deferred });
}

/** Initializer data of the main graph left in the file, by position in its initializer list. */
interface Deferred {
  readonly source: ByteSource;
  readonly deferred: ModelSkeleton['deferred'];
}

function decodeWith(bytes: Uint8Array, deferred: Deferred | undefined): DecodeResult {
  if (bytes.length === 0) {
    return { model: undefined, diagnostics: [diag('BS1002', 'error', 'the file is empty')] };
  }
  let pb: PbModel;
  try {
    // protobufjs's static decoder (generated): the reflection decoder builds its code anew on
    // every run, 15 ms of a CLI run; they decode alike (unit test)
    pb = onnx.ModelProto.decode(bytes) as PbModel;
  } catch (e) {
    return { model: undefined, diagnostics: [decodeFailure(bytes, e)] };
  }
  const ctx = new DecodeContext();
  try {
    const model = toModel(pb, ctx, deferred);
    if (!model) {
      const why = looksLikeText(bytes)
        ? 'it looks like a text file, not a binary ONNX protobuf'
        : 'it has no graph (is it an ONNX model?)';
      return { model: undefined, diagnostics: [diag('BS1003', 'error', `not a model: ${why}`)] };
    }
    return { model, diagnostics: ctx.diagnostics };
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      return {
        model: undefined,
        diagnostics: [diag('BS1005', 'error', 'subgraphs are nested too deeply to read')],
      };
    }
    throw e;
  }
}

function decodeFailure(bytes: Uint8Array, e: unknown): Diagnostic {
  const deep = e instanceof Error && /call stack|max depth/i.test(e.message);
  if (deep) return diag('BS1005', 'error', 'the protobuf messages are nested too deeply to read');
  const reason = e instanceof Error ? e.message : String(e);
  if (looksLikeText(bytes)) {
    return diag(
      'BS1001',
      'error',
      'it looks like a text file, not a binary ONNX protobuf (' + reason + ')',
    );
  }
  // protobufjs refuses a length prefix of 2^31 or more with this message, before allocating
  if (/invalid length encoding/.test(reason)) {
    return diag(
      'BS1001',
      'error',
      'the protobuf data is corrupt or too large: a length prefix claims 2 GiB or more, over ' +
        'the limit of one protobuf message (weights that large belong in ONNX external data)',
    );
  }
  const truncated = /index out of range/i.test(reason);
  return diag(
    'BS1001',
    'error',
    truncated
      ? `the protobuf data is truncated or corrupt (${reason})`
      : `the protobuf data is invalid (${reason})`,
  );
}

/** True when the first bytes are printable text (a .onnx that is really JSON, text proto, ...). */
function looksLikeText(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 256);
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    const printable = b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127);
    if (!printable) return false;
  }
  return n > 0;
}

class DecodeContext {
  readonly diagnostics: Diagnostic[] = [];
  private reportedBig = false;

  /** int64 → number; values beyond 2^53 are reported once and become NaN. */
  num(v: unknown, where: string): number {
    const n = int64ToNumber(v);
    if (n !== undefined) return n;
    if (!this.reportedBig) {
      this.reportedBig = true;
      this.diagnostics.push(
        diag(
          'BS1004',
          'warning',
          `${where}: an int64 value exceeds 2^53 and was treated as unknown`,
        ),
      );
    }
    return Number.NaN;
  }
}

function toModel(
  pb: PbModel,
  ctx: DecodeContext,
  deferred: Deferred | undefined,
): ModelIR | undefined {
  if (!pb.graph) return undefined;
  return {
    irVersion: ctx.num(pb.ir_version, 'ir_version'),
    producerName: pb.producer_name ?? '',
    producerVersion: pb.producer_version ?? '',
    domain: pb.domain ?? '',
    modelVersion: ctx.num(pb.model_version, 'model_version'),
    docString: pb.doc_string ?? '',
    opsetImports: (pb.opset_import ?? []).map((o) => ({
      domain: o.domain ?? '',
      version: ctx.num(o.version, 'opset_import.version'),
    })),
    metadata: toMetadata(pb.metadata_props),
    graph: toGraph(pb.graph, '', ctx, deferred),
  };
}

function toMetadata(entries: PbStringStringEntry[] | undefined): MetadataEntry[] {
  return (entries ?? []).map((e) => ({ key: e.key ?? '', value: e.value ?? '' }));
}

function toGraph(pb: PbGraph, path: string, ctx: DecodeContext, deferred?: Deferred): GraphIR {
  const initializers = new Map<string, TensorIR>();
  (pb.initializer ?? []).forEach((t, i) => {
    const range = deferred?.deferred.get(i);
    const tensor = toTensor(t, ctx);
    // external data wins over raw_data, as it would have had the raw_data been read
    const ranged =
      range && deferred && tensor.storage.kind !== 'external'
        ? { ...tensor, storage: { kind: 'ranged' as const, source: deferred.source, ...range } }
        : tensor;
    initializers.set(tensor.name, ranged);
  });
  const nodes = (pb.node ?? []).map((n, i) => toNode(n, i, path, ctx));
  return {
    name: pb.name ?? '',
    path,
    nodes,
    initializers,
    inputs: (pb.input ?? []).map(toValueInfo),
    outputs: (pb.output ?? []).map(toValueInfo),
    valueInfo: (pb.value_info ?? []).map(toValueInfo),
    docString: pb.doc_string ?? '',
  };
}

function toValueInfo(pb: PbValueInfo): ValueInfoIR {
  const tt = pb.type?.tensor_type;
  let shape: DimIR[] | undefined;
  if (tt?.shape) {
    shape = (tt.shape.dim ?? []).map((d): DimIR => {
      // only a dim_value the file sets: protobufjs puts a default 0 on the prototype, and a dim
      // with neither dim_value nor dim_param is unknown (ONNX IR), not 0
      const own = Object.prototype.hasOwnProperty.call(d, 'dim_value');
      if (d.value === 'dim_value' || (own && d.value === undefined)) {
        const n = int64ToNumber(d.dim_value);
        return n === undefined || n < 0 ? undefined : n;
      }
      if (d.value === 'dim_param') return d.dim_param ?? undefined;
      return undefined;
    });
  }
  return {
    name: pb.name ?? '',
    elemType: tt?.elem_type ?? 0,
    shape,
    docString: pb.doc_string ?? '',
  };
}

function toNode(pb: PbNode, index: number, path: string, ctx: DecodeContext): NodeIR {
  const opType = pb.op_type ?? '';
  const name = pb.name ? pb.name : `${opType}_${index}`;
  const qualified = path ? `${path}/${name}` : name;
  const attributes = new Map<string, AttributeValue>();
  for (const a of pb.attribute ?? []) {
    attributes.set(a.name ?? '', toAttribute(a, qualified, ctx));
  }
  return {
    name,
    opType,
    domain: pb.domain ?? '',
    inputs: pb.input ?? [],
    outputs: pb.output ?? [],
    attributes,
    docString: pb.doc_string ?? '',
    metadata: toMetadata(pb.metadata_props),
    index,
  };
}

/** Infers the type of an attribute written before IR version 2 (no type field). */
function attributeType(a: PbAttribute): number {
  if (a.type) return a.type;
  if (a.floats?.length) return ATTR.FLOATS;
  if (a.ints?.length) return ATTR.INTS;
  if (a.strings?.length) return ATTR.STRINGS;
  if (a.tensors?.length) return ATTR.TENSORS;
  if (a.graphs?.length) return ATTR.GRAPHS;
  if (a.t) return ATTR.TENSOR;
  if (a.g) return ATTR.GRAPH;
  if (a.s?.length) return ATTR.STRING;
  if (Object.prototype.hasOwnProperty.call(a, 'f')) return ATTR.FLOAT;
  return ATTR.INT;
}

function toAttribute(a: PbAttribute, nodePath: string, ctx: DecodeContext): AttributeValue {
  const where = `${nodePath}.${a.name ?? ''}`;
  const subPath = `${nodePath}/${a.name ?? ''}`;
  switch (attributeType(a)) {
    case ATTR.FLOAT:
      return { type: 'float', value: a.f ?? 0 };
    case ATTR.INT:
      return { type: 'int', value: ctx.num(a.i, where) };
    case ATTR.STRING:
      return { type: 'string', value: text(a.s) };
    case ATTR.TENSOR:
      return a.t
        ? { type: 'tensor', value: toTensor(a.t, ctx) }
        : { type: 'other', value: undefined };
    case ATTR.GRAPH:
      return a.g
        ? { type: 'graph', value: toGraph(a.g, subPath, ctx) }
        : { type: 'other', value: undefined };
    case ATTR.FLOATS:
      return { type: 'floats', value: a.floats ?? [] };
    case ATTR.INTS:
      return { type: 'ints', value: (a.ints ?? []).map((v) => ctx.num(v, where)) };
    case ATTR.STRINGS:
      return { type: 'strings', value: (a.strings ?? []).map(text) };
    case ATTR.TENSORS:
      return { type: 'tensors', value: (a.tensors ?? []).map((t) => toTensor(t, ctx)) };
    case ATTR.GRAPHS:
      return {
        type: 'graphs',
        value: (a.graphs ?? []).map((g, i) => toGraph(g, `${subPath}[${i}]`, ctx)),
      };
    default:
      return { type: 'other', value: undefined };
  }
}

function toTensor(pb: PbTensor, ctx: DecodeContext): TensorIR {
  const name = pb.name ?? '';
  return {
    name,
    dataType: pb.data_type ?? 0,
    dims: (pb.dims ?? []).map((d) => ctx.num(d, `dims of tensor '${name}'`)),
    storage: toStorage(pb, ctx),
    docString: pb.doc_string ?? '',
  };
}

function toStorage(pb: PbTensor, ctx: DecodeContext): TensorStorage {
  if (pb.data_location === EXTERNAL_LOCATION) {
    const entries = new Map((pb.external_data ?? []).map((e) => [e.key ?? '', e.value ?? '']));
    const where = `external data of tensor '${pb.name ?? ''}'`;
    const offset = entries.has('offset') ? parseCount(entries.get('offset') ?? '') : 0;
    const length = entries.has('length') ? parseCount(entries.get('length') ?? '') : undefined;
    if (Number.isNaN(offset) || (length !== undefined && Number.isNaN(length))) {
      ctx.diagnostics.push(diag('BS1012', 'warning', `${where}: offset or length is not a number`));
    }
    return { kind: 'external', location: entries.get('location') ?? '', offset, length };
  }
  if (pb.raw_data && pb.raw_data.length > 0) return { kind: 'raw', bytes: pb.raw_data };
  if (pb.float_data?.length) return { kind: 'typed', field: 'float_data', values: pb.float_data };
  if (pb.int32_data?.length) return { kind: 'typed', field: 'int32_data', values: pb.int32_data };
  if (pb.double_data?.length)
    return { kind: 'typed', field: 'double_data', values: pb.double_data };
  if (pb.int64_data?.length) {
    const values = pb.int64_data.map((v) => ctx.num(v, `int64_data of '${pb.name ?? ''}'`));
    return { kind: 'typed', field: 'int64_data', values };
  }
  if (pb.uint64_data?.length) {
    const values = pb.uint64_data.map((v) => ctx.num(v, `uint64_data of '${pb.name ?? ''}'`));
    return { kind: 'typed', field: 'uint64_data', values };
  }
  return { kind: 'empty' };
}

/** Parses a non-negative decimal integer string; NaN when it is not one. */
function parseCount(s: string): number {
  if (!/^\d+$/.test(s.trim())) return Number.NaN;
  const n = Number(s.trim());
  return Number.isSafeInteger(n) ? n : Number.NaN;
}
