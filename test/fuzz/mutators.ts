/**
 * The fuzzer's mutations. Byte mutations work on the wire (cut at a field boundary, flip bits,
 * corrupt a length prefix, duplicate or drop a field without fixing its parents); structural
 * mutations decode the model, break one thing a hostile or buggy exporter could break (dims,
 * dtypes, data, initializers, graph edges, attributes, nesting, external-data locations) and
 * encode it again, so the damage reaches the analysis instead of stopping at the decoder.
 */
import { joinParts } from '../../src/core/onnx/byteSplice';
import { onnxTypes } from '../../src/core/onnx/protoRoot';
import type {
  PbAttribute,
  PbGraph,
  PbModel,
  PbNode,
  PbTensor,
  PbValueInfo,
} from '../../src/core/onnx/protoMessages';
import type { Prng } from '../fixtures/prng';
import { encodeVarint, walkWire, type WireField } from './wireWalk';

export interface Mutator {
  readonly name: string;
  readonly kind: 'bytes' | 'structure';
}

export interface ByteMutator extends Mutator {
  readonly kind: 'bytes';
  apply(bytes: Uint8Array, fields: readonly WireField[], rng: Prng): Uint8Array;
}

export interface StructureMutator extends Mutator {
  readonly kind: 'structure';
  /** Changes the model in place; false when the model has nothing this mutation can break. */
  apply(model: PbModel, rng: Prng): boolean;
}

const pick = <T>(rng: Prng, items: readonly T[]): T => items[rng.int(items.length)];

const concat = (...parts: Uint8Array[]) => joinParts(parts);

/** Fields outside the bulk weight payloads: the places where structure lives. */
const structural = (fields: readonly WireField[]) =>
  fields.filter((f) => f.wireType !== 2 || f.end - f.payloadStart < 4096);

const BYTE_MUTATORS: readonly ByteMutator[] = [
  {
    name: 'truncate-at-boundary',
    kind: 'bytes',
    apply(bytes, fields, rng) {
      const f = pick(rng, fields);
      const at = pick(
        rng,
        [f.start, f.lengthAt, f.payloadStart, f.end].filter((x) => x >= 0),
      );
      return bytes.subarray(0, Math.min(at, bytes.length - 1));
    },
  },
  {
    name: 'truncate-anywhere',
    kind: 'bytes',
    apply: (bytes, _fields, rng) => bytes.subarray(0, rng.int(bytes.length)),
  },
  {
    name: 'bit-flips',
    kind: 'bytes',
    apply(bytes, fields, rng) {
      const out = new Uint8Array(bytes); // a copy: Buffer.slice would be a view
      const places = structural(fields);
      const flips = 1 + rng.int(8);
      for (let i = 0; i < flips; i++) {
        // mostly in keys and length prefixes, sometimes anywhere
        const f = places.length > 0 && rng.next() < 0.8 ? pick(rng, places) : undefined;
        const at = f
          ? f.start + rng.int(Math.max(1, f.payloadStart - f.start))
          : rng.int(out.length);
        out[at] ^= 1 << rng.int(8);
      }
      return out;
    },
  },
  {
    name: 'length-corruption',
    kind: 'bytes',
    apply(bytes, fields, rng) {
      const delimited = fields.filter((f) => f.lengthAt >= 0);
      if (delimited.length === 0) return bytes;
      const f = pick(rng, delimited);
      const len = f.end - f.payloadStart;
      const value = pick(rng, [
        len + 1,
        Math.max(0, len - 1),
        0,
        len * 2 + 7,
        2 ** 31 - 1,
        2 ** 31,
        2 ** 32 + 5,
        2 ** 53 - 1,
      ]);
      return concat(
        bytes.subarray(0, f.lengthAt),
        encodeVarint(value),
        bytes.subarray(f.payloadStart),
      );
    },
  },
  {
    name: 'huge-varint',
    kind: 'bytes',
    apply(bytes, fields, rng) {
      const varints = fields.filter((f) => f.wireType === 0);
      if (varints.length === 0) return bytes;
      const f = pick(rng, varints);
      // 10-byte varints: -1 as int64, 2^63, and an over-long (11-byte) one
      const forms = [
        Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
        Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]),
        Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]),
      ];
      return concat(bytes.subarray(0, f.payloadStart), pick(rng, forms), bytes.subarray(f.end));
    },
  },
  {
    name: 'duplicate-field',
    kind: 'bytes',
    apply(bytes, fields, rng) {
      const f = pick(rng, structural(fields));
      if (!f) return bytes;
      const copy = bytes.subarray(f.start, f.end);
      return concat(bytes.subarray(0, f.end), copy, bytes.subarray(f.end));
    },
  },
  {
    // nesting by hand: protobufjs cannot encode thousands of levels, a hostile file can hold them
    name: 'deep-nesting',
    kind: 'bytes',
    apply(bytes, fields, rng) {
      const graph = fields.find((f) => f.depth === 0 && f.field === 7 && f.wireType === 2);
      if (!graph) return bytes;
      const depth = pick(rng, [5, 20, 32, 50, 400, 5000]);
      // each level only adds a prefix: GraphProto { node (1) { attribute (5) { type (20) = GRAPH,
      // g (6) = <inner graph> } } }, built inside out without copying the payload per level
      const prefixes: Uint8Array[] = [];
      let inner = graph.end - graph.payloadStart;
      for (let d = 0; d < depth; d++) {
        const len = encodeVarint(inner);
        const attribute = 4 + len.length + inner;
        const attrLen = encodeVarint(attribute);
        const node = 1 + attrLen.length + attribute;
        const nodeLen = encodeVarint(node);
        prefixes.push(
          concat(
            Uint8Array.from([0x0a]),
            nodeLen,
            Uint8Array.from([0x2a]),
            attrLen,
            Uint8Array.from([0xa0, 0x01, 0x05, 0x32]),
            len,
          ),
        );
        inner = 1 + nodeLen.length + node;
      }
      return concat(
        bytes.subarray(0, graph.start),
        Uint8Array.from([0x3a]),
        encodeVarint(inner),
        ...prefixes.reverse(),
        bytes.subarray(graph.payloadStart),
      );
    },
  },
  {
    name: 'drop-field',
    kind: 'bytes',
    apply(bytes, fields, rng) {
      const f = pick(rng, fields);
      return concat(bytes.subarray(0, f.start), bytes.subarray(f.end));
    },
  },
];

/** Every graph of the model, subgraphs included. */
function graphsOf(model: PbModel): PbGraph[] {
  const out: PbGraph[] = [];
  const visit = (g: PbGraph | null | undefined) => {
    if (!g) return;
    out.push(g);
    for (const n of g.node ?? []) {
      for (const a of n.attribute ?? []) {
        visit(a.g);
        for (const s of a.graphs ?? []) visit(s);
      }
    }
  };
  visit(model.graph);
  return out;
}

const tensorsOf = (model: PbModel): PbTensor[] =>
  graphsOf(model).flatMap((g) => g.initializer ?? []);
const nodesOf = (model: PbModel): PbNode[] => graphsOf(model).flatMap((g) => g.node ?? []);
const valueInfosOf = (model: PbModel): PbValueInfo[] =>
  graphsOf(model).flatMap((g) => [
    ...(g.input ?? []),
    ...(g.output ?? []),
    ...(g.value_info ?? []),
  ]);

/** Layer weights first: the tensors the analysis, compiler and sparsifier read. */
function weightTensors(model: PbModel): PbTensor[] {
  const all = tensorsOf(model);
  const big = all.filter((t) => (t.dims ?? []).length >= 2);
  return big.length > 0 ? big : all;
}

const HUGE_DIMS = [2 ** 31, 2 ** 32 + 8, 2 ** 40, 2 ** 53 + 2, 2 ** 62, 1e9, 0];
const NEGATIVE_DIMS = [-1, -7, -(2 ** 40)];
const DTYPES = [0, 2, 3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 19, 21, 22, 23, 99, -1];

const HOSTILE_LOCATIONS = [
  '../secret.bin',
  '../../../../etc/passwd',
  '/etc/passwd',
  '\\\\server\\share\\w.bin',
  '//server/share/w.bin',
  'C:\\Windows\\win.ini',
  'c:w.bin',
  '%2e%2e%2fsecret.bin',
  '..%2fsecret.bin',
  'sub/../../secret.bin',
  'weights.bin\0.txt',
  'file:///etc/passwd',
  'missing.bin',
  '.',
  '',
  'weights.bin',
];

function setDims(v: PbValueInfo, dims: number[]): void {
  const tt = v.type?.tensor_type;
  if (tt?.shape) tt.shape.dim = dims.map((d) => ({ dim_value: d }));
}

/** A graph (main or sub) that has initializers, picked at random. */
const graphWithInitializers = (model: PbModel, rng: Prng) =>
  pick(
    rng,
    graphsOf(model).filter((x) => x.initializer?.length),
  );

/** Sets one dim of a layer weight to one of `values`. */
function oneDim(name: string, values: readonly number[]): StructureMutator {
  return {
    name,
    kind: 'structure',
    apply(model, rng) {
      const t = pick(rng, weightTensors(model));
      if (!t?.dims?.length) return false;
      t.dims[rng.int(t.dims.length)] = pick(rng, values);
      return true;
    },
  };
}

const STRUCTURE_MUTATORS: readonly StructureMutator[] = [
  oneDim('huge-dim', HUGE_DIMS),
  oneDim('negative-dim', NEGATIVE_DIMS),
  {
    name: 'dims-product-overflow',
    kind: 'structure',
    apply(model, rng) {
      const t = pick(rng, weightTensors(model));
      if (!t) return false;
      t.dims = (t.dims ?? [1, 1]).map(() => pick(rng, [2 ** 20, 2 ** 26, 2 ** 31 - 1]));
      return true;
    },
  },
  {
    name: 'huge-input-shape',
    kind: 'structure',
    apply(model, rng) {
      const inputs = model.graph?.input ?? [];
      const v = pick(rng, inputs);
      if (!v) return false;
      const big = pick(rng, [2 ** 31, 2 ** 20, 1e7, 0, 2 ** 53 - 1]);
      setDims(v, [1, pick(rng, [3, big]), big, pick(rng, [big, 7])]);
      return true;
    },
  },
  {
    name: 'value-info-rank-change',
    kind: 'structure',
    apply(model, rng) {
      const v = pick(rng, valueInfosOf(model));
      if (!v) return false;
      const rank = pick(rng, [0, 1, 2, 5, 9]);
      setDims(
        v,
        Array.from({ length: rank }, () => 1 + rng.int(64)),
      );
      return true;
    },
  },
  {
    name: 'wrong-dtype',
    kind: 'structure',
    apply(model, rng) {
      const t = pick(rng, weightTensors(model));
      if (!t) return false;
      t.data_type = pick(rng, DTYPES);
      return true;
    },
  },
  {
    name: 'data-shorter-than-shape',
    kind: 'structure',
    apply(model, rng) {
      const t = pick(rng, weightTensors(model));
      if (!t) return false;
      if (t.raw_data?.length) {
        t.raw_data = t.raw_data.subarray(
          0,
          pick(rng, [0, 1, 3, Math.floor(t.raw_data.length / 2)]),
        );
      } else if (t.float_data?.length) {
        t.float_data = t.float_data.slice(0, rng.int(t.float_data.length));
      } else if (t.int32_data?.length) {
        t.int32_data = t.int32_data.slice(0, rng.int(t.int32_data.length));
      } else {
        t.dims = (t.dims ?? []).map((d) => Number(d) * 3);
      }
      return true;
    },
  },
  {
    name: 'duplicate-initializer',
    kind: 'structure',
    apply(model, rng) {
      const g = graphWithInitializers(model, rng);
      if (!g?.initializer) return false;
      const t = pick(rng, g.initializer);
      const { TensorProto } = onnxTypes();
      const copy = TensorProto.decode(TensorProto.encode(t).finish()) as unknown as PbTensor;
      copy.dims = (copy.dims ?? []).map((d, i) => (i === 0 ? Number(d) + 8 : d));
      g.initializer.push(copy);
      return true;
    },
  },
  {
    name: 'missing-initializer',
    kind: 'structure',
    apply(model, rng) {
      const g = graphWithInitializers(model, rng);
      if (!g?.initializer) return false;
      g.initializer.splice(rng.int(g.initializer.length), 1);
      return true;
    },
  },
  {
    name: 'graph-cycle',
    kind: 'structure',
    apply(model, rng) {
      const nodes = model.graph?.node ?? [];
      if (nodes.length < 1) return false;
      const i = rng.int(nodes.length);
      const j = i + rng.int(nodes.length - i); // j >= i: a self loop or a back edge
      const out = nodes[j].output?.[0];
      if (!out || !nodes[i].input?.length) return false;
      nodes[i].input[rng.int(nodes[i].input.length)] = out;
      return true;
    },
  },
  {
    name: 'dangling-or-duplicate-names',
    kind: 'structure',
    apply(model, rng) {
      const nodes = nodesOf(model);
      if (nodes.length === 0) return false;
      const n = pick(rng, nodes);
      switch (rng.int(4)) {
        case 0:
          n.input = (n.input ?? []).map(() => 'no_such_tensor');
          break;
        case 1:
          n.input = [];
          break;
        case 2:
          for (const m of nodes) m.name = 'same';
          break;
        default:
          n.output = [...(nodes[0].output ?? [])];
      }
      return true;
    },
  },
  {
    name: 'wrong-attribute',
    kind: 'structure',
    apply(model, rng) {
      const withAttrs = nodesOf(model).filter((n) => n.attribute?.length);
      const n = pick(rng, withAttrs);
      if (!n?.attribute) return false;
      const a: PbAttribute = pick(rng, n.attribute);
      switch (rng.int(7)) {
        case 0: // says STRING, carries ints
          a.type = 3;
          break;
        case 1: // says INTS, carries a float
          a.type = 7;
          a.ints = [];
          a.f = 2.5;
          break;
        case 2:
          a.ints = (a.ints ?? [1, 1]).map(() => pick(rng, [0, -1, -3, 2 ** 40, 2 ** 31 - 1]));
          break;
        case 3:
          a.ints = [];
          break;
        case 4: // says GRAPH, has none
          a.type = 5;
          a.g = null;
          break;
        case 5:
          a.type = pick(rng, [0, 11, 13, 99]);
          break;
        default:
          a.i = pick(rng, [0, -1, 3, 2 ** 40]);
          a.type = 2;
      }
      return true;
    },
  },
  {
    name: 'hostile-group',
    kind: 'structure',
    apply(model, rng) {
      const convs = nodesOf(model).filter((n) => n.op_type === 'Conv');
      const n = pick(rng, convs);
      if (!n) return false;
      n.attribute = (n.attribute ?? []).filter((a) => a.name !== 'group');
      n.attribute.push({ name: 'group', type: 2, i: pick(rng, [0, -2, 3, 7, 2 ** 31, 1e9]) });
      return true;
    },
  },
  {
    name: 'deep-subgraphs',
    kind: 'structure',
    apply(model, rng) {
      if (!model.graph) return false;
      const depth = pick(rng, [8, 40, 200, 2000]);
      let g: PbGraph = model.graph;
      for (let d = 0; d < depth; d++) {
        g = {
          name: `wrap${d}`,
          node: [
            {
              name: `if${d}`,
              op_type: 'If',
              input: ['cond'],
              output: [`y${d}`],
              attribute: [
                { name: 'then_branch', type: 5, g },
                { name: 'else_branch', type: 5, g: { name: `empty${d}` } },
              ],
            },
          ],
          input: d === depth - 1 ? model.graph.input : [],
        };
      }
      model.graph = g;
      return true;
    },
  },
  {
    name: 'hostile-external-data',
    kind: 'structure',
    apply(model, rng) {
      const t = pick(rng, weightTensors(model));
      if (!t) return false;
      const offset = pick(rng, ['0', '64', '-1', '1e3', '18446744073709551616', '4294967296']);
      const length = pick(rng, [undefined, '0', '12', '-5', '9007199254740993']);
      t.data_location = 1;
      t.raw_data = new Uint8Array(0);
      t.external_data = [
        { key: 'location', value: pick(rng, HOSTILE_LOCATIONS) },
        { key: 'offset', value: offset },
        ...(length === undefined ? [] : [{ key: 'length', value: length }]),
      ];
      return true;
    },
  },
  {
    name: 'opset-and-ir-version',
    kind: 'structure',
    apply(model, rng) {
      model.opset_import = pick(rng, [[], [{ domain: '', version: 1 }], [{ version: 99999 }]]);
      model.ir_version = pick(rng, [0, 1, 99, 2 ** 53 + 8]);
      return true;
    },
  },
  {
    name: 'shuffle-nodes',
    kind: 'structure',
    apply(model, rng) {
      const nodes = model.graph?.node;
      if (!nodes || nodes.length < 2) return false;
      for (let i = nodes.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [nodes[i], nodes[j]] = [nodes[j], nodes[i]];
      }
      return true;
    },
  },
  {
    name: 'markup-and-odd-names',
    kind: 'structure',
    apply(model, rng) {
      const names = [
        '<img src=x onerror=alert(1)>',
        '"><script>alert(1)</script>',
        '\u202eevil\u202c',
        'a'.repeat(100_000),
        '',
        '\0',
        '../../x',
      ];
      for (const n of nodesOf(model)) if (rng.next() < 0.3) n.name = pick(rng, names);
      return true;
    },
  },
];

export const MUTATORS: readonly (ByteMutator | StructureMutator)[] = [
  ...BYTE_MUTATORS,
  ...STRUCTURE_MUTATORS,
];

/**
 * Applies one to three mutations: structural ones on the decoded model (encoded again before
 * the next byte mutation), byte ones on the wire. Returns the new bytes and what was done.
 */
export function mutate(
  bytes: Uint8Array,
  fields: readonly WireField[],
  rng: Prng,
): { bytes: Uint8Array; applied: string[] } {
  const count = 1 + rng.int(3);
  const applied: string[] = [];
  let current = bytes;
  let currentFields = fields;
  const { ModelProto } = onnxTypes();
  for (let i = 0; i < count; i++) {
    // structure first most of the time: a byte mutation usually stops the file at the decoder
    const m = rng.next() < 0.7 ? pick(rng, STRUCTURE_MUTATORS) : pick(rng, BYTE_MUTATORS);
    if (m.kind === 'bytes') {
      current = m.apply(current, currentFields, rng);
      applied.push(m.name);
      currentFields = walkWire(current);
      if (currentFields.length === 0) break;
      continue;
    }
    let model: PbModel;
    try {
      model = ModelProto.decode(current) as unknown as PbModel;
    } catch {
      continue; // an earlier byte mutation broke the file; structure is out of reach
    }
    if (!m.apply(model, rng)) continue;
    try {
      current = ModelProto.encode(model).finish();
    } catch {
      continue; // protobufjs refuses to encode some broken values; that is not our reader
    }
    applied.push(m.name);
    currentFields = walkWire(current);
  }
  return { bytes: current, applied };
}
