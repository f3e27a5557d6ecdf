/**
 * A protobuf wire-level index of an ONNX file: where each tensor and each top-level field lies,
 * byte for byte. The lossless writer patches these ranges and nothing else, so fields we do not
 * know (newer ONNX versions, vendor extensions) survive untouched.
 */

/** One field of a message as it lies in the bytes. */
export interface WireField {
  readonly field: number;
  readonly wireType: number;
  /** First byte of the tag. */
  readonly tagStart: number;
  /** First byte of the value (after the length varint for length-delimited fields). */
  readonly valueStart: number;
  /** One past the last byte of the value. */
  readonly end: number;
  /** First byte of the length varint (length-delimited fields only; else = valueStart). */
  readonly lenStart: number;
}

/** A length-delimited message whose length prefix must change when its payload does. */
export interface Container {
  readonly lenStart: number;
  readonly payloadStart: number;
  readonly end: number;
}

/** A TensorProto in the file: its own fields and the messages around it. */
export interface TensorLocation {
  /** Initializer name, or the output name of the Constant node whose value it is. */
  readonly key: string;
  readonly fields: readonly WireField[];
  /** Enclosing messages from the outermost (the graph) to the tensor itself. */
  readonly containers: readonly Container[];
}

/** Reads a varint at pos; returns [value, next position]. Values beyond 2^53 lose precision. */
export function readVarint(bytes: Uint8Array, pos: number, end: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= end) throw new RangeError('truncated varint');
    const b = bytes[pos++];
    value += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) return [value, pos];
    scale *= 128;
  }
  throw new RangeError('varint longer than 10 bytes');
}

/** Encodes a non-negative integer as a varint. */
export function encodeVarint(value: number): Uint8Array {
  const out: number[] = [];
  let v = value;
  while (v >= 128) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Uint8Array.from(out);
}

/** The fields of one message payload [start, end). Throws RangeError on malformed bytes. */
export function scanFields(bytes: Uint8Array, start: number, end: number): WireField[] {
  const fields: WireField[] = [];
  let pos = start;
  while (pos < end) {
    const tagStart = pos;
    const [tag, afterTag] = readVarint(bytes, pos, end);
    const field = Math.floor(tag / 8);
    const wireType = tag % 8;
    let valueStart = afterTag;
    let lenStart = afterTag;
    let valueEnd: number;
    switch (wireType) {
      case 0:
        valueEnd = readVarint(bytes, afterTag, end)[1];
        break;
      case 1:
        valueEnd = afterTag + 8;
        break;
      case 5:
        valueEnd = afterTag + 4;
        break;
      case 2: {
        const [len, afterLen] = readVarint(bytes, afterTag, end);
        lenStart = afterTag;
        valueStart = afterLen;
        valueEnd = afterLen + len;
        break;
      }
      default:
        throw new RangeError(`unsupported wire type ${wireType} at byte ${tagStart}`);
    }
    if (valueEnd > end)
      throw new RangeError(`field ${field} at byte ${tagStart} runs past its message`);
    fields.push({ field, wireType, tagStart, valueStart, end: valueEnd, lenStart });
    pos = valueEnd;
  }
  return fields;
}

const utf8 = new TextDecoder();

function stringOf(bytes: Uint8Array, f: WireField | undefined): string {
  return f ? utf8.decode(bytes.subarray(f.valueStart, f.end)) : '';
}

function containerOf(f: WireField): Container {
  return { lenStart: f.lenStart, payloadStart: f.valueStart, end: f.end };
}

/** Field numbers of the ONNX messages this index walks (onnx.proto). */
const F = {
  modelGraph: 7,
  graphNode: 1,
  graphInitializer: 5,
  nodeOutput: 2,
  nodeOpType: 4,
  nodeAttribute: 5,
  attrName: 1,
  attrT: 5,
  attrG: 6,
  attrTensors: 10,
  attrGraphs: 11,
  tensorName: 8,
} as const;

/**
 * Every initializer and Constant-node tensor of the model, in every graph and subgraph, keyed as
 * ConstantScope keys them. Throws RangeError on bytes that are not a well-formed protobuf.
 */
export function indexTensors(bytes: Uint8Array): Map<string, TensorLocation> {
  const out = new Map<string, TensorLocation>();
  const model = scanFields(bytes, 0, bytes.length);
  for (const g of model.filter((f) => f.field === F.modelGraph && f.wireType === 2)) {
    walkGraph(bytes, g, [], out, 0);
  }
  return out;
}

const MAX_DEPTH = 64;

function walkGraph(
  bytes: Uint8Array,
  g: WireField,
  parents: Container[],
  out: Map<string, TensorLocation>,
  depth: number,
) {
  if (depth > MAX_DEPTH) throw new RangeError('graphs nested too deeply');
  const chain = [...parents, containerOf(g)];
  for (const f of scanFields(bytes, g.valueStart, g.end)) {
    if (f.wireType !== 2) continue;
    if (f.field === F.graphInitializer) {
      const fields = scanFields(bytes, f.valueStart, f.end);
      const key = stringOf(
        bytes,
        fields.find((x) => x.field === F.tensorName),
      );
      out.set(key, { key, fields, containers: [...chain, containerOf(f)] });
    } else if (f.field === F.graphNode) {
      walkNode(bytes, f, chain, out, depth);
    }
  }
}

function walkNode(
  bytes: Uint8Array,
  n: WireField,
  parents: Container[],
  out: Map<string, TensorLocation>,
  depth: number,
) {
  const fields = scanFields(bytes, n.valueStart, n.end);
  const chain = [...parents, containerOf(n)];
  const opType = stringOf(
    bytes,
    fields.find((x) => x.field === F.nodeOpType),
  );
  const firstOutput = stringOf(
    bytes,
    fields.find((x) => x.field === F.nodeOutput),
  );
  for (const a of fields.filter((x) => x.field === F.nodeAttribute && x.wireType === 2)) {
    const attr = scanFields(bytes, a.valueStart, a.end);
    const attrChain = [...chain, containerOf(a)];
    const name = stringOf(
      bytes,
      attr.find((x) => x.field === F.attrName),
    );
    for (const x of attr) {
      if (x.wireType !== 2) continue;
      if (x.field === F.attrT && opType === 'Constant' && name === 'value') {
        out.set(firstOutput, {
          key: firstOutput,
          fields: scanFields(bytes, x.valueStart, x.end),
          containers: [...attrChain, containerOf(x)],
        });
      } else if (x.field === F.attrG || x.field === F.attrGraphs) {
        walkGraph(bytes, x, attrChain, out, depth + 1);
      }
    }
  }
}
