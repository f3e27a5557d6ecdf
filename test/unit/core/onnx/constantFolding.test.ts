import { strict as assert } from 'node:assert';
import { ConstantScope } from '../../../../src/core/onnx/constantScope';
import { decodeModel } from '../../../../src/core/onnx/decodeModel';
import { MAX_FOLD_ELEMENTS } from '../../../../src/core/onnx/constantFolding';
import {
  anyOutput,
  floatTensor,
  graphModel,
  int64Tensor,
  int8Tensor,
  node,
} from '../../../fixtures/foldingModels';
import { float, int, ints } from '../../../fixtures/netBuilder';

import * as ort from 'onnxruntime-node';

interface FoldCase {
  readonly name: string;
  readonly nodes: object[];
  readonly initializers: object[];
  readonly outputs: readonly string[];
  readonly elemType?: number;
  readonly opset?: number;
}

const f = floatTensor;
const i64 = int64Tensor;
const tensorAttr = (name: string, t: object) => ({ name, type: 4, t });

/**
 * Each case is a graph of constants only: ONNX Runtime computes its outputs, the constant scope
 * folds them, and the two must agree element for element (the reference is ONNX Runtime 1.x's
 * CPU kernels, not our own arithmetic).
 */
const CASES: FoldCase[] = [
  {
    name: 'ConstantOfShape',
    nodes: [node('ConstantOfShape', ['s'], ['y'], [tensorAttr('value', f('v', [1], 0, [0.5]))])],
    initializers: [i64('s', [2, 3, 4])],
    outputs: ['y'],
  },
  {
    name: 'Reshape, Flatten, Squeeze, Unsqueeze',
    nodes: [
      node('Reshape', ['a', 's'], ['r']),
      node('Flatten', ['r'], ['fl'], [int('axis', 2)]),
      node('Unsqueeze', ['fl', 'ax'], ['u']),
      node('Squeeze', ['u', 'ax'], ['y']),
    ],
    initializers: [f('a', [4, 6], 1), i64('s', [2, 0, -1]), i64('ax', [0])],
    outputs: ['y'],
    opset: 13,
  },
  {
    name: 'Concat along axis 1',
    nodes: [node('Concat', ['a', 'b'], ['y'], [int('axis', 1)])],
    initializers: [f('a', [2, 3], 2), f('b', [2, 2], 3)],
    outputs: ['y'],
  },
  {
    name: 'Slice with a negative step and a stride',
    nodes: [node('Slice', ['a', 'st', 'en', 'ax', 'sp'], ['y'])],
    initializers: [
      f('a', [4, 5], 4),
      i64('st', [3, 1]),
      i64('en', [0, 5]),
      i64('ax', [0, 1]),
      i64('sp', [-1, 2]),
    ],
    outputs: ['y'],
  },
  {
    name: 'Gather along axis 1 with a negative index',
    nodes: [node('Gather', ['a', 'idx'], ['y'], [int('axis', 1)])],
    initializers: [f('a', [2, 4, 3], 5), i64('idx', [3, -4, 1], [3])],
    outputs: ['y'],
  },
  {
    name: 'Expand and Tile',
    nodes: [node('Expand', ['a', 's'], ['e']), node('Tile', ['e', 'rep'], ['y'])],
    initializers: [f('a', [3, 1], 6), i64('s', [2, 3, 4]), i64('rep', [1, 2, 1])],
    outputs: ['y'],
  },
  {
    name: 'Split into two outputs',
    nodes: [node('Split', ['a', 'parts'], ['p', 'q'], [int('axis', 0)])],
    initializers: [f('a', [3, 2], 7), i64('parts', [1, 2])],
    outputs: ['p', 'q'],
  },
  {
    name: 'Range, Shape and Size',
    nodes: [
      node('Range', ['start', 'limit', 'delta'], ['r']),
      node('Shape', ['m'], ['sh']),
      node('Size', ['m'], ['sz']),
    ],
    initializers: [
      f('start', [], 0, [1]),
      f('limit', [], 0, [10]),
      f('delta', [], 0, [3]),
      f('m', [2, 5, 3], 8),
    ],
    outputs: ['r', 'sh', 'sz'],
  },
  {
    name: 'element-wise arithmetic with broadcasting',
    nodes: [
      node('Add', ['a', 'b'], ['s']),
      node('Sub', ['s', 'c'], ['d']),
      node('Mul', ['d', 'b'], ['m']),
      node('Div', ['m', 'c'], ['q']),
      node('Neg', ['q'], ['n']),
      node('Abs', ['n'], ['ab']),
      node('Sqrt', ['ab'], ['sq']),
      node('Pow', ['sq', 'two'], ['y']),
      node('Max', ['a', 'b', 'c'], ['mx']),
      node('Min', ['a', 'b', 'c'], ['mn']),
    ],
    initializers: [f('a', [2, 3], 9), f('b', [3], 10), f('c', [2, 1], 11), f('two', [], 0, [2])],
    outputs: ['y', 'mx', 'mn'],
  },
  {
    name: 'integer division truncates',
    nodes: [node('Div', ['a', 'b'], ['y'])],
    initializers: [i64('a', [7, -7, 9, -9]), i64('b', [2, 2, -4, -4])],
    outputs: ['y'],
  },
  {
    name: 'Equal, Where, Not',
    nodes: [
      node('Equal', ['a', 'b'], ['eq']),
      node('Not', ['eq'], ['ne']),
      node('Where', ['ne', 'x', 'z'], ['y']),
    ],
    initializers: [
      i64('a', [1, 2, 3, 4]),
      i64('b', [1, 0, 3, 0]),
      f('x', [4], 12),
      f('z', [1], 13),
    ],
    outputs: ['y'],
  },
  {
    name: 'Cast to int64 truncates; Clip with bounds',
    nodes: [
      node('Cast', ['a'], ['ci'], [int('to', 7)]),
      node('Cast', ['ci'], ['cf'], [int('to', 1)]),
      node('Clip', ['cf', 'lo', 'hi'], ['y']),
    ],
    initializers: [
      f('a', [5], 0, [-2.7, -0.5, 0.5, 1.9, 3.2]),
      f('lo', [], 0, [-1]),
      f('hi', [], 0, [1.5]),
    ],
    outputs: ['y'],
  },
  {
    name: 'Transpose, then QuantizeLinear per channel and DequantizeLinear',
    nodes: [
      node('Transpose', ['a'], ['t'], [ints('perm', [1, 0])]),
      node('QuantizeLinear', ['t', 'sc', 'zp'], ['q'], [int('axis', 0)]),
      node('DequantizeLinear', ['q', 'sc', 'zp'], ['y'], [int('axis', 0)]),
    ],
    initializers: [
      f('a', [4, 3], 0, [0.1, -0.2, 0.3, 1.5, -1.5, 0.25, 2, -3, 0.75, 0.05, 0.5, -0.45]),
      f('sc', [3], 0, [0.01, 0.02, 0.05]),
      int8Tensor('zp', [3], [128, 120, 100], true),
    ],
    outputs: ['q', 'y'],
  },
];

function fold(bytes: Uint8Array, output: string): number[] {
  const model = decodeModel(bytes).model;
  assert.ok(model);
  const value = ConstantScope.forModel(model, undefined).get(output);
  assert.ok(value, `${output} folds`);
  const v = value.read();
  assert.ok(!('code' in v), 'code' in v ? v.message : '');
  return Array.from(v);
}

describe('constant folding (checked against ONNX Runtime)', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const bytes = graphModel({
        nodes: c.nodes,
        initializers: c.initializers,
        inputs: [],
        outputs: c.outputs.map((o) => ({ name: o })),
        opset: c.opset ?? 17,
      });
      const session = await ort.InferenceSession.create(bytes);
      const ran = await session.run({});
      for (const o of c.outputs) {
        const expected = Array.from(ran[o].data as ArrayLike<number | bigint>, Number);
        const got = fold(bytes, o);
        assert.equal(got.length, expected.length, `${o}: element count`);
        got.forEach((g, k) =>
          assert.ok(
            Math.abs(g - expected[k]) <= 1e-6 * Math.max(1, Math.abs(expected[k])),
            `${o}[${k}]: folded ${g}, ONNX Runtime ${expected[k]}`,
          ),
        );
        const model = decodeModel(bytes).model;
        const dims = model && ConstantScope.forModel(model, undefined).get(o)?.dims;
        assert.deepEqual(dims, [...ran[o].dims], `${o}: shape`);
      }
    });
  }

  it('a ConstantOfShape past the fold limit keeps its shape and uniform value, unmaterialised', () => {
    const n = MAX_FOLD_ELEMENTS * 2;
    const bytes = graphModel({
      nodes: [node('ConstantOfShape', ['s'], ['y'], [tensorAttr('value', f('v', [1], 0, [0]))])],
      initializers: [i64('s', [n / 1024, 1024])],
      inputs: [],
      outputs: [anyOutput('y')],
    });
    const model = decodeModel(bytes).model;
    assert.ok(model);
    const y = ConstantScope.forModel(model, undefined).get('y');
    assert.ok(y);
    assert.deepEqual(y.dims, [n / 1024, 1024]);
    assert.equal(y.uniform, 0);
    const v = y.read();
    assert.ok('code' in v && v.code === 'BS1030', 'reading it is refused with BS1030');
  });

  it('a chain of constant ops past the depth limit stops with BS1031, no stack overflow', () => {
    const nodes = Array.from({ length: 5000 }, (_, k) =>
      node('Neg', [k === 0 ? 'a' : `n${k - 1}`], [`n${k}`]),
    );
    const bytes = graphModel({
      nodes,
      initializers: [f('a', [2], 1)],
      inputs: [],
      outputs: [anyOutput('n4999')],
    });
    const model = decodeModel(bytes).model;
    assert.ok(model);
    const scope = ConstantScope.forModel(model, undefined);
    assert.equal(scope.get('n4999'), undefined);
    assert.ok(scope.notes.some((d) => d.code === 'BS1031'));
    assert.ok(scope.get('n10'), 'shorter chains still fold');
  });

  it('an out-of-range Gather index is a BS1030 diagnostic, not a crash', () => {
    const bytes = graphModel({
      nodes: [node('Gather', ['a', 'idx'], ['y'])],
      initializers: [f('a', [3], 1), i64('idx', [5])],
      inputs: [],
      outputs: [anyOutput('y')],
    });
    const model = decodeModel(bytes).model;
    assert.ok(model);
    const v = ConstantScope.forModel(model, undefined).get('y')?.read();
    assert.ok(v && 'code' in v && v.code === 'BS1030', JSON.stringify(v));
    assert.match((v as { message: string }).message, /out of range/);
  });

  it('float attributes of Clip (opset 6) fold too', () => {
    const bytes = graphModel({
      nodes: [node('Clip', ['a'], ['y'], [float('min', -0.1), float('max', 0.1)])],
      initializers: [f('a', [3], 0, [-1, 0.05, 1])],
      inputs: [],
      outputs: [anyOutput('y')],
      opset: 6,
    });
    assert.deepEqual(
      fold(bytes, 'y').map((v) => Math.round(v * 100) / 100),
      [-0.1, 0.05, 0.1],
    );
  });
});
