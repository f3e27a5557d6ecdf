import { strict as assert } from 'node:assert';
import type { Diagnostic } from '../../../../src/core/diagnostics';
import { ConstantScope } from '../../../../src/core/onnx/constantScope';
import { decodeModel } from '../../../../src/core/onnx/decodeModel';
import { inferShapes, type ShapeOptions } from '../../../../src/core/onnx/shapeInference';
import { float, int, ints, valueInfo } from '../../../fixtures/netBuilder';
import { encodeModel } from '../../../fixtures/specialModels';

interface NodeSpec {
  op: string;
  inputs: string[];
  outputs?: string[];
  attrs?: object[];
}

const i64 = (name: string, values: number[], dims = [values.length]) => ({
  name,
  data_type: 7,
  dims,
  int64_data: values,
});
const f32 = (name: string, values: number[], dims = [values.length]) => ({
  name,
  data_type: 1,
  dims,
  float_data: values,
});
const weight = (name: string, dims: number[]) => ({
  name,
  data_type: 1,
  dims,
  raw_data: new Uint8Array(4 * dims.reduce((a, b) => a * b, 1)),
});

/** Builds a one-graph model, infers shapes and returns a lookup plus the diagnostics. */
function infer(
  inputs: [string, (number | string)[]][],
  nodes: NodeSpec[],
  initializers: object[] = [],
  opset = 17,
  options: ShapeOptions = {},
) {
  const bytes = encodeModel({
    ir_version: 8,
    opset_import: [{ domain: '', version: opset }],
    graph: {
      node: nodes.map((n, i) => ({
        name: `n${i}`,
        op_type: n.op,
        input: n.inputs,
        output: n.outputs ?? [`y${i}`],
        attribute: n.attrs ?? [],
      })),
      input: inputs.map(([name, dims]) => valueInfo(name, dims)),
      initializer: initializers,
    },
  });
  const model = decodeModel(bytes).model;
  assert.ok(model);
  const diagnostics: Diagnostic[] = [];
  const table = inferShapes(
    model.graph,
    new ConstantScope(model.graph, undefined),
    opset,
    options,
    diagnostics,
  );
  const scope = table.get(model.graph);
  assert.ok(scope);
  return {
    shape: (name: string) => scope.shape(name),
    value: (name: string) => scope.value(name),
    diagnostics,
  };
}

describe('shape inference', () => {
  it('Conv with pads, strides, dilations and auto_pad', () => {
    const r = infer(
      [['x', [1, 3, 224, 224]]],
      [
        {
          op: 'Conv',
          inputs: ['x', 'w7'],
          attrs: [ints('pads', [3, 3, 3, 3]), ints('strides', [2, 2])],
        },
        { op: 'Conv', inputs: ['x', 'w3'], attrs: [ints('dilations', [2, 2])] },
        {
          op: 'Conv',
          inputs: ['x', 'w3'],
          attrs: [
            { name: 'auto_pad', type: 3, s: new TextEncoder().encode('SAME_UPPER') },
            ints('strides', [2, 2]),
          ],
        },
        {
          op: 'Conv',
          inputs: ['x', 'w3'],
          attrs: [{ name: 'auto_pad', type: 3, s: new TextEncoder().encode('VALID') }],
        },
      ],
      [weight('w7', [64, 3, 7, 7]), weight('w3', [16, 3, 3, 3])],
    );
    assert.deepEqual(r.shape('y0'), [1, 64, 112, 112]);
    assert.deepEqual(r.shape('y1'), [1, 16, 220, 220]);
    assert.deepEqual(r.shape('y2'), [1, 16, 112, 112]);
    assert.deepEqual(r.shape('y3'), [1, 16, 222, 222]);
  });

  it('ConvTranspose with strides, pads and output_padding', () => {
    const r = infer(
      [['x', [1, 8, 10, 10]]],
      [
        {
          op: 'ConvTranspose',
          inputs: ['x', 'w'],
          attrs: [
            ints('strides', [2, 2]),
            ints('pads', [1, 1, 1, 1]),
            ints('output_padding', [1, 1]),
            int('group', 2),
          ],
        },
      ],
      [weight('w', [8, 4, 3, 3])],
    );
    // 2·(10−1) + 1 + 3 − 2 = 20; Cout = 4 · group 2
    assert.deepEqual(r.shape('y0'), [1, 8, 20, 20]);
  });

  it('pooling, with ceil_mode, and global pooling', () => {
    const r = infer(
      [['x', [1, 64, 112, 112]]],
      [
        {
          op: 'MaxPool',
          inputs: ['x'],
          attrs: [
            ints('kernel_shape', [3, 3]),
            ints('pads', [1, 1, 1, 1]),
            ints('strides', [2, 2]),
          ],
        },
        {
          op: 'MaxPool',
          inputs: ['x'],
          attrs: [ints('kernel_shape', [3, 3]), ints('strides', [2, 2]), int('ceil_mode', 1)],
        },
        {
          op: 'AveragePool',
          inputs: ['x'],
          attrs: [ints('kernel_shape', [2, 2]), ints('strides', [2, 2])],
        },
        { op: 'GlobalAveragePool', inputs: ['x'] },
      ],
    );
    assert.deepEqual(r.shape('y0'), [1, 64, 56, 56]);
    assert.deepEqual(r.shape('y1'), [1, 64, 56, 56]);
    assert.deepEqual(r.shape('y2'), [1, 64, 56, 56]);
    assert.deepEqual(r.shape('y3'), [1, 64, 1, 1]);
  });

  it('Gemm with transposes, MatMul with broadcasting', () => {
    const r = infer(
      [
        ['a', [4, 16]],
        ['b', [2, 1, 5, 16]],
      ],
      [
        { op: 'Gemm', inputs: ['a', 'w'], attrs: [int('transB', 1)] },
        { op: 'MatMul', inputs: ['b', 'm'] },
        { op: 'Gemm', inputs: ['a', 'wt'], attrs: [int('transA', 1)] },
      ],
      [weight('w', [10, 16]), weight('m', [3, 16, 7]), weight('wt', [4, 6])],
    );
    assert.deepEqual(r.shape('y0'), [4, 10]);
    assert.deepEqual(r.shape('y1'), [2, 3, 5, 7]);
    assert.deepEqual(r.shape('y2'), [16, 6]);
  });

  it('elementwise broadcasting, Concat, Split, Flatten, Transpose', () => {
    const r = infer(
      [
        ['x', [1, 8, 4, 4]],
        ['s', [8, 1, 1]],
      ],
      [
        { op: 'Mul', inputs: ['x', 's'] },
        { op: 'Concat', inputs: ['x', 'y0'], attrs: [int('axis', 1)] },
        { op: 'Split', inputs: ['y1', 'parts'], outputs: ['p0', 'p1'], attrs: [int('axis', 1)] },
        { op: 'Flatten', inputs: ['x'] },
        { op: 'Transpose', inputs: ['x'], attrs: [ints('perm', [0, 2, 3, 1])] },
      ],
      [i64('parts', [10, 6])],
    );
    assert.deepEqual(r.shape('y0'), [1, 8, 4, 4]);
    assert.deepEqual(r.shape('y1'), [1, 16, 4, 4]);
    assert.deepEqual(r.shape('p0'), [1, 10, 4, 4]);
    assert.deepEqual(r.shape('p1'), [1, 6, 4, 4]);
    assert.deepEqual(r.shape('y3'), [1, 128]);
    assert.deepEqual(r.shape('y4'), [1, 4, 4, 8]);
  });

  it('Shape → Gather → Unsqueeze → Concat → Reshape on constants', () => {
    const r = infer(
      [['x', [1, 32, 7, 7]]],
      [
        { op: 'Shape', inputs: ['x'] },
        { op: 'Gather', inputs: ['y0', 'zero'], attrs: [int('axis', 0)] },
        { op: 'Unsqueeze', inputs: ['y1', 'axes0'] },
        { op: 'Concat', inputs: ['y2', 'minus1'], attrs: [int('axis', 0)] },
        { op: 'Reshape', inputs: ['x', 'y3'] },
      ],
      [i64('zero', [0], []), i64('axes0', [0]), i64('minus1', [-1])],
    );
    assert.deepEqual(r.value('y0'), [1, 32, 7, 7]);
    assert.deepEqual(r.value('y3'), [1, -1]);
    assert.deepEqual(r.shape('y4'), [1, 1568]);
    assert.deepEqual(r.diagnostics, []);
  });

  it('Reshape with 0 (copy) and -1 (infer)', () => {
    const r = infer(
      [['x', [2, 3, 4]]],
      [{ op: 'Reshape', inputs: ['x', 'shape'] }],
      [i64('shape', [0, -1])],
    );
    assert.deepEqual(r.shape('y0'), [2, 12]);
  });

  it('Slice (opset 10+ inputs and opset 9 attributes) and Pad', () => {
    const r = infer(
      [['x', [1, 16, 20, 20]]],
      [
        { op: 'Slice', inputs: ['x', 'st', 'en', 'ax', 'sp'] },
        { op: 'Pad', inputs: ['x', 'pads'] },
      ],
      [
        i64('st', [2, -1]),
        i64('en', [100, 0]),
        i64('ax', [2, 3]),
        i64('sp', [2, -1]),
        i64('pads', [0, 0, 1, 2, 0, 0, 3, 4]),
      ],
    );
    // axis 2: 2..20 step 2 → 9; axis 3: 19 down to 1 (end 0 exclusive) → 19
    assert.deepEqual(r.shape('y0'), [1, 16, 9, 19]);
    assert.deepEqual(r.shape('y1'), [1, 16, 24, 26]);
    const old = infer(
      [['x', [1, 16, 20, 20]]],
      [
        {
          op: 'Slice',
          inputs: ['x'],
          attrs: [ints('starts', [1]), ints('ends', [5]), ints('axes', [1])],
        },
      ],
      [],
      9,
    );
    assert.deepEqual(old.shape('y0'), [1, 4, 20, 20]);
  });

  it('Squeeze / Unsqueeze by attribute (opset 11) and by input (opset 13)', () => {
    const a = infer(
      [['x', [1, 8, 1, 1]]],
      [
        { op: 'Squeeze', inputs: ['x'], attrs: [ints('axes', [2, 3])] },
        { op: 'Unsqueeze', inputs: ['y0'], attrs: [ints('axes', [0])] },
      ],
      [],
      11,
    );
    assert.deepEqual(a.shape('y0'), [1, 8]);
    assert.deepEqual(a.shape('y1'), [1, 1, 8]);
    const b = infer(
      [['x', [1, 8, 1, 1]]],
      [{ op: 'Squeeze', inputs: ['x', 'ax'] }],
      [i64('ax', [-1])],
      13,
    );
    assert.deepEqual(b.shape('y0'), [1, 8, 1]);
  });

  it('Resize by scales and by sizes; Upsample', () => {
    const r = infer(
      [['x', [1, 8, 10, 10]]],
      [
        { op: 'Resize', inputs: ['x', '', 'scales'] },
        { op: 'Resize', inputs: ['x', '', '', 'sizes'] },
      ],
      [f32('scales', [1, 1, 2, 2]), i64('sizes', [1, 8, 15, 17])],
    );
    assert.deepEqual(r.shape('y0'), [1, 8, 20, 20]);
    assert.deepEqual(r.shape('y1'), [1, 8, 15, 17]);
    const u = infer(
      [['x', [1, 8, 10, 10]]],
      [{ op: 'Upsample', inputs: ['x', 'scales'] }],
      [f32('scales', [1, 1, 2, 2])],
      9,
    );
    assert.deepEqual(u.shape('y0'), [1, 8, 20, 20]);
  });

  it('activations, BatchNormalization, Clip and friends keep the shape', () => {
    const ops = [
      'Relu',
      'Sigmoid',
      'HardSigmoid',
      'HardSwish',
      'LeakyRelu',
      'Clip',
      'Softmax',
      'Identity',
    ];
    const r = infer(
      [['x', [1, 4, 3, 3]]],
      [
        ...ops.map((op) => ({ op, inputs: ['x'] })),
        {
          op: 'BatchNormalization',
          inputs: ['x', 's', 's', 's', 's'],
          attrs: [float('epsilon', 1e-5)],
        },
      ],
      [f32('s', [1, 1, 1, 1])],
    );
    ops.forEach((_, i) => assert.deepEqual(r.shape(`y${i}`), [1, 4, 3, 3]));
    assert.deepEqual(r.shape(`y${ops.length}`), [1, 4, 3, 3]);
  });

  it('a dynamic batch is 1; other dynamic dims are assumed and reported (BS2002)', () => {
    const r = infer([['x', ['N', 3, 'H', 'W']]], [{ op: 'Relu', inputs: ['x'] }], [], 17, {
      dynamicDim: 320,
    });
    assert.deepEqual(r.shape('y0'), [1, 3, 320, 320]);
    assert.deepEqual(
      r.diagnostics.map((d) => d.code),
      ['BS2002'],
    );
    const batchOnly = infer([['x', ['N', 3, 8, 8]]], [{ op: 'Relu', inputs: ['x'] }]);
    assert.deepEqual(batchOnly.diagnostics, []);
  });

  it('--input overrides; unknown names are reported (BS2003)', () => {
    const r = infer([['x', ['N', 3, 'H', 'W']]], [{ op: 'Relu', inputs: ['x'] }], [], 17, {
      inputShapes: new Map([
        ['x', [1, 3, 640, 480]],
        ['nope', [1]],
      ]),
    });
    assert.deepEqual(r.shape('y0'), [1, 3, 640, 480]);
    assert.deepEqual(
      r.diagnostics.map((d) => d.code),
      ['BS2003'],
    );
  });

  it('says which node and why when a shape stays unknown', () => {
    const r = infer(
      [
        ['x', [1, 8, 4, 4]],
        ['dyn', [2]],
      ],
      [
        { op: 'Reshape', inputs: ['x', 'dyn'] },
        { op: 'Relu', inputs: ['y0'] },
        { op: 'FancyOp', inputs: ['x'] },
      ],
    );
    assert.equal(r.shape('y0'), undefined);
    assert.equal(r.shape('y1'), undefined);
    assert.deepEqual(
      r.diagnostics.map((d) => [d.code, d.node]),
      [
        ['BS2001', 'n0'],
        ['BS2007', 'n2'],
      ],
      'root causes only, not every node downstream',
    );
    assert.match(r.diagnostics[0].message, /target shape is not a constant/);
    assert.match(r.diagnostics[1].message, /no shape rule for FancyOp/);
  });

  it('nodes out of order are visited in topological order; cycles are reported', () => {
    const r = infer(
      [['x', [1, 2]]],
      [
        { op: 'Relu', inputs: ['y1'] },
        { op: 'Relu', inputs: ['x'] },
        { op: 'Relu', inputs: ['c2'], outputs: ['c1'] },
        { op: 'Relu', inputs: ['c1'], outputs: ['c2'] },
      ],
    );
    assert.deepEqual(r.shape('y0'), [1, 2]);
    assert.equal(r.diagnostics.filter((d) => /cycle/.test(d.message)).length, 2);
  });
});
