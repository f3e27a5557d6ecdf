import { strict as assert } from 'node:assert';
import { analyzeModel } from '../../../../src/core/analysis/analyzeModel';
import { memoryByteSource, type ByteSource } from '../../../../src/core/onnx/byteSource';
import { decodeModel, decodeSkeleton } from '../../../../src/core/onnx/decodeModel';
import type { GraphIR, TensorIR } from '../../../../src/core/onnx/ir';
import { readModelSkeleton } from '../../../../src/core/onnx/modelSkeleton';
import { encodeVarint } from '../../../../src/core/onnx/wireIndex';
import { depthwiseNet, inceptionBlock, resnetMini, vggStack } from '../../../fixtures/models';
import { oneConvModel } from '../../../fixtures/specialModels';

/** A ByteSource over bytes with readInto, as the file source has: bands go to the scan arena. */
function filelike(bytes: Uint8Array): ByteSource & { reads: number } {
  const source = {
    ...memoryByteSource(bytes),
    reads: 0,
    readInto(offset: number, target: Uint8Array) {
      source.reads++;
      target.set(bytes.subarray(offset, offset + target.length));
    },
  };
  return source;
}

/** The bytes a tensor holds, whichever way it was decoded. */
function tensorBytes(t: TensorIR): Uint8Array | string {
  const s = t.storage;
  if (s.kind === 'raw') return s.bytes;
  if (s.kind === 'ranged') return s.source.read(s.offset, s.length);
  return s.kind;
}

/**
 * Bytes as plain Uint8Arrays: protobufjs hands out Buffer slices when it decodes a Buffer and
 * Uint8Arrays otherwise, which deepEqual tells apart though the product does not.
 */
function plain<T>(value: T): T {
  if (value instanceof Uint8Array) return new Uint8Array(value) as T;
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, plain(v)])) as T;
  if (Array.isArray(value)) return value.map(plain) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)])) as T;
  }
  return value;
}

function sameGraph(a: GraphIR, b: GraphIR) {
  assert.deepEqual(plain(b.nodes), plain(a.nodes));
  assert.deepEqual([...b.initializers.keys()], [...a.initializers.keys()]);
  for (const [name, t] of a.initializers) {
    const u = b.initializers.get(name)!;
    assert.deepEqual({ ...u, storage: null }, { ...t, storage: null }, name);
    assert.deepEqual(Buffer.from(tensorBytes(u)), Buffer.from(tensorBytes(t)), name);
  }
}

const FIXTURES = {
  'ResNet (mini)': () => resnetMini({ zeroFraction: 0.5 }).bytes,
  'Inception block': () => inceptionBlock({ zeroFraction: 0.4 }).bytes,
  'depthwise net (groups)': () => depthwiseNet({ zeroFraction: 0.3 }).bytes,
  'VGG stack': () => vggStack({ zeroFraction: 0.6 }).bytes,
  'weights as Constant nodes': () => resnetMini({ storage: 'constant', zeroFraction: 0.5 }).bytes,
  'weights in float_data': () => resnetMini({ storage: 'typed', zeroFraction: 0.5 }).bytes,
};

describe('model skeleton (weights left in the file)', () => {
  for (const [name, make] of Object.entries(FIXTURES)) {
    it(`${name}: decodes and analyses as the whole file does`, () => {
      const bytes = make();
      const whole = decodeModel(bytes);
      const source = filelike(bytes);
      // a small threshold, so that nearly every weight is left in the file
      const skeleton = readModelSkeleton(source, 64);
      assert.ok(skeleton && whole.model);
      const decoded = decodeSkeleton(skeleton, source);
      assert.ok(decoded.model);
      assert.deepEqual(decoded.diagnostics, whole.diagnostics);
      sameGraph(whole.model.graph, decoded.model.graph);
      const ranged = [...decoded.model.graph.initializers.values()].filter(
        (t) => t.storage.kind === 'ranged',
      );
      if (!name.includes('Constant') && !name.includes('float_data'))
        assert.ok(ranged.length > 0, 'weights were left in the file');
      assert.ok(skeleton.bytes.length < bytes.length || ranged.length === 0);
      source.reads = 0;
      assert.deepEqual(plain(analyzeModel(decoded.model)), plain(analyzeModel(whole.model)));
      if (ranged.length > 0) assert.ok(source.reads > 0, 'the scan read the weights in bands');
    });
  }

  it('external data stays external; a second raw_data wins as protobuf says', () => {
    const external = oneConvModel({
      data_location: 1,
      external_data: [{ key: 'location', value: 'w.bin' }],
      raw_data: new Uint8Array(256).fill(1),
    });
    const skeleton = readModelSkeleton(memoryByteSource(external), 16);
    assert.ok(skeleton);
    const model = decodeSkeleton(skeleton, memoryByteSource(external)).model!;
    assert.equal([...model.graph.initializers.values()][0].storage.kind, 'external');

    // the tensor's raw_data given twice: the decoder keeps the last, and so must the skeleton
    const once = oneConvModel({ raw_data: new Uint8Array(256) });
    const whole = decodeModel(once).model!;
    const t = [...whole.graph.initializers.values()][0];
    assert.equal(t.storage.kind, 'raw');
    const twice = withSecondRawData(once, new Uint8Array(256).fill(0x40));
    const a = decodeModel(twice).model!;
    const b = decodeSkeleton(
      readModelSkeleton(memoryByteSource(twice), 16)!,
      memoryByteSource(twice),
    ).model!;
    sameGraph(a.graph, b.graph);
    assert.deepEqual(
      tensorBytes([...b.graph.initializers.values()][0]),
      new Uint8Array(256).fill(0x40),
    );
  });

  it('bytes it does not take are left to the whole-file decoder (undefined)', () => {
    const good = resnetMini().bytes;
    assert.equal(readModelSkeleton(memoryByteSource(new Uint8Array(0))), undefined);
    assert.equal(
      readModelSkeleton(memoryByteSource(good.subarray(0, good.length - 3)), 64),
      undefined,
    );
    assert.equal(
      readModelSkeleton(memoryByteSource(new TextEncoder().encode('{"graph": 1}'))),
      undefined,
    );
    // the graph field twice: protobufjs keeps the last, the skeleton would have to merge
    const graph = findGraph(good);
    const doubled = new Uint8Array([...good, ...good.subarray(graph.start, graph.end)]);
    assert.equal(readModelSkeleton(memoryByteSource(doubled), 64), undefined);
  });
});

/** The ModelProto's graph field: where it starts and ends. */
function findGraph(bytes: Uint8Array): { start: number; end: number } {
  let pos = 0;
  while (pos < bytes.length) {
    const start = pos;
    const [tag, afterTag] = varint(bytes, pos);
    if (tag % 8 === 2) {
      const [len, afterLen] = varint(bytes, afterTag);
      pos = afterLen + len;
      if (tag >> 3 === 7) return { start, end: pos };
    } else if (tag % 8 === 0) pos = varint(bytes, afterTag)[1];
    else throw new Error(`unexpected wire type ${tag % 8}`);
  }
  throw new Error('no graph');
}

function varint(bytes: Uint8Array, pos: number): [number, number] {
  let v = 0;
  let scale = 1;
  for (;;) {
    const b = bytes[pos++];
    v += (b & 0x7f) * scale;
    if (b < 0x80) return [v, pos];
    scale *= 128;
  }
}

/** The model with its one initializer given a second raw_data field, appended to the tensor. */
function withSecondRawData(model: Uint8Array, raw: Uint8Array): Uint8Array {
  const graph = findGraph(model);
  const [, afterTag] = varint(model, graph.start);
  const [, payload] = varint(model, afterTag);
  // the graph's fields: re-encode the initializer (field 5) with the extra raw_data
  const parts: Uint8Array[] = [];
  let pos = payload;
  while (pos < graph.end) {
    const start = pos;
    const [tag, a] = varint(model, pos);
    const [len, b] = tag % 8 === 2 ? varint(model, a) : [0, varint(model, a)[1]];
    pos = tag % 8 === 2 ? b + len : b;
    if (tag === (5 << 3) + 2) {
      const extra = [...encodeVarint((9 << 3) + 2), ...encodeVarint(raw.length), ...raw];
      const body = [...model.subarray(b, pos), ...extra];
      parts.push(Uint8Array.from([...encodeVarint(tag), ...encodeVarint(body.length), ...body]));
    } else parts.push(model.subarray(start, pos));
  }
  const body = parts.flatMap((p) => [...p]);
  return Uint8Array.from([
    ...model.subarray(0, graph.start),
    ...encodeVarint((7 << 3) + 2),
    ...encodeVarint(body.length),
    ...body,
    ...model.subarray(graph.end),
  ]);
}
