import { strict as assert } from 'node:assert';
import { REFINED_CHOICES } from '../../../../src/core/compiler/choices';
import { compile } from '../../../../src/core/compiler/compile';
import {
  anyOutput,
  attentionLikeModel,
  floatTensor,
  graphModel,
  int64Tensor,
  int8Tensor,
  node,
  shuffleNetLike,
} from '../../../fixtures/foldingModels';
import { int, ints, valueInfo } from '../../../fixtures/netBuilder';
import { encodeModel } from '../../../fixtures/specialModels';
import { decodeModel } from '../../../../src/core/onnx/decodeModel';
import { planSparsify } from '../../../../src/core/sparsify/planSparsify';
import { DEFAULT_SPARSIFY_OPTIONS } from '../../../../src/core/sparsify/sparsifyOptions';
import { writeSparseModel } from '../../../../src/core/sparsify/writeSparseModel';
import { analyzeBytes } from '../../../support/analyzeBytes';
import { preset } from '../../../support/compileBytes';
import { assertCoverageComplete, simulateBytes } from '../../../support/simulateBytes';

const conv = (x: string, w: string, y: string, k: number[], pads: number[]) =>
  node('Conv', [x, w], [y], [ints('kernel_shape', k), ints('pads', pads)]);

/** One 3x3 conv 8 → 16 at a given batch. */
function batchConv(batch: number): Uint8Array {
  return graphModel({
    nodes: [conv('x', 'w', 'y', [3, 3], [1, 1, 1, 1]), node('Relu', ['y'], ['z'])],
    initializers: [floatTensor('w', [16, 8, 3, 3], 1)],
    inputs: [valueInfo('x', [batch, 8, 16, 16])],
    outputs: [anyOutput('z')],
  });
}

describe('coverage: every node and MAC accounted for', () => {
  it('batch 2 is compiled as two images one after another (BS4007)', () => {
    const one = simulateBytes(batchConv(1));
    const two = simulateBytes(batchConv(2));
    const d1 = one.sim.modes.dense;
    const d2 = two.sim.modes.dense;
    assert.ok(d1 && d2);
    assert.equal(d2.batch, 2);
    assert.equal(d2.imageSeconds, d1.seconds, 'one image takes what batch 1 takes');
    assert.equal(d2.seconds, 2 * d1.seconds);
    assert.ok(two.sim.diagnostics.some((d) => d.code === 'BS4007'));
    assert.ok(!one.sim.diagnostics.some((d) => d.code === 'BS4007'));
    const c = assertCoverageComplete(two);
    assert.equal(c.macs, 2 * 16 * 16 * 16 * 8 * 9, "analyze's MACs are at the model's batch");
    assert.equal(c.macsAccelerated, c.macs);
    assert.deepEqual([c.accelerated, c.fused], [1, 1]);
  });

  it('a Linear at batch 4 runs as four 1x1 convs one after another', () => {
    const bytes = graphModel({
      nodes: [node('Gemm', ['x', 'w', 'b'], ['y'], [int('transB', 1)])],
      initializers: [floatTensor('w', [32, 64], 1), floatTensor('b', [32], 2)],
      inputs: [valueInfo('x', [4, 64])],
      outputs: [anyOutput('y')],
    });
    const s = simulateBytes(bytes, {}, REFINED_CHOICES);
    const d = s.sim.modes.dense;
    assert.ok(d && d.layers.length === 1, 'the Linear is estimated, not dropped');
    assert.equal(d.batch, 4);
    assert.equal(d.seconds, 4 * d.imageSeconds);
    assert.equal(d.layers[0].macs, 32 * 64, 'one image');
    const c = assertCoverageComplete(s);
    assert.equal(c.macsAccelerated, 4 * 32 * 64);
  });

  it('a Conv1d runs on the array as a conv of height 1; a Conv3d is a CPU op with its reason', () => {
    const bytes = graphModel({
      nodes: [
        conv('x', 'w1', 'y', [3], [1, 1]),
        node('Relu', ['y'], ['r']),
        node('Unsqueeze', ['r', 'ax'], ['v']),
        conv('v', 'w3', 'z', [3, 3, 3], [1, 1, 1, 1, 1, 1]),
      ],
      initializers: [
        floatTensor('w1', [32, 16, 3], 1),
        floatTensor('w3', [8, 32, 3, 3, 3], 2),
        int64Tensor('ax', [2, 3]),
      ],
      inputs: [valueInfo('x', [1, 16, 64])],
      outputs: [anyOutput('z')],
      opset: 17,
    });
    const s = simulateBytes(bytes, {}, REFINED_CHOICES);
    const [c1, c3] = s.analysis.report.layers;
    assert.equal(c1.macs, 32 * 64 * 16 * 3);
    assert.deepEqual(c1.outputShape, [1, 32, 64]);
    assert.equal(c3.macs, 8 * 64 * 32 * 27, 'the Conv3d is listed with its MACs');
    const compiled = compile(s.input, {
      arch: preset('paper-4x4'),
      precision: 'int8',
      mode: 'dense',
      choices: REFINED_CHOICES,
    });
    const net = compiled.plan.network;
    const op = net.ops.find((o) => o.conv);
    assert.ok(op?.conv);
    assert.deepEqual([op.conv.kh, op.conv.kw, op.conv.cin, op.conv.cout], [1, 3, 16, 32]);
    assert.deepEqual(op.conv.pads, [0, 1, 0, 1]);
    const x = net.tensors.get('x');
    assert.deepEqual([x?.h, x?.w, x?.c, x?.layout], [1, 64, 16, 'ncl'], '[1, C, L] is H=1, W=L');
    const c = assertCoverageComplete(s);
    const off = c.offArray.find((n) => n.opType === 'Conv');
    assert.ok(off);
    assert.match(off.reason, /3-D convolution/);
    assert.equal(c.macsCpu, c3.macs);
  });

  it('a MatMul over [B, T, C] is a conv of height 1; an activation x activation MatMul is listed', () => {
    const bytes = attentionLikeModel();
    const s = simulateBytes(bytes, {}, REFINED_CHOICES);
    const [proj, att] = s.analysis.report.layers;
    assert.equal(proj.macs, 10 * 32 * 64);
    assert.equal(att.weightKind, 'runtime');
    assert.equal(att.macs, 10 * 10 * 32, 'q·qᵀ: 10x32 by 32x10');
    assert.equal(att.blocks, 0);
    const bs3001 = s.analysis.report.diagnostics.find((d) => d.code === 'BS3001');
    assert.ok(bs3001 && bs3001.severity === 'warning');
    assert.match(bs3001.message, /3,200 MACs/);
    const c = assertCoverageComplete(s);
    assert.equal(c.macsAccelerated, proj.macs);
    assert.equal(c.macsCpu, att.macs);
    const off = c.offArray[0];
    assert.equal(off.macs, att.macs, 'ranked by MACs');
    assert.match(off.reason, /two run-time tensors/);
  });

  it('a rank-5 tensor makes its consumers CPU ops; what follows is still estimated', () => {
    const s = simulateBytes(shuffleNetLike(), {}, REFINED_CHOICES);
    const c = assertCoverageComplete(s);
    const cpu = c.offArray.map((n) => n.opType);
    assert.deepEqual(cpu, ['Reshape', 'Transpose', 'Reshape', 'Reshape', 'Transpose', 'Reshape']);
    assert.match(c.offArray[1].reason, /rank 5/);
    // every conv and the classifier run on the array, including those after each shuffle
    assert.equal(c.macsAccelerated, c.macs);
    const convs = s.analysis.report.layers.length;
    const compiled = compile(s.input, {
      arch: preset('paper-4x4'),
      precision: 'int8',
      mode: 'dense',
      choices: REFINED_CHOICES,
    });
    assert.equal(compiled.plan.network.ops.filter((o) => o.kind === 'conv').length, convs);
  });

  it('nodes in a cycle are not placeable, with the reason', () => {
    const bytes = graphModel({
      nodes: [
        conv('x', 'w', 'y', [1, 1], [0, 0, 0, 0]),
        node('Add', ['y', 'b'], ['a']),
        node('Add', ['a', 'y'], ['b']),
      ],
      initializers: [floatTensor('w', [8, 8, 1, 1], 1)],
      inputs: [valueInfo('x', [1, 8, 4, 4])],
      outputs: [anyOutput('y')],
    });
    const s = simulateBytes(bytes, {}, REFINED_CHOICES);
    const c = assertCoverageComplete(s);
    assert.equal(c.unplaced, 2);
    assert.ok(c.offArray.every((n) => /cycle/.test(n.reason)));
    assert.equal(c.accelerated, 1);
  });

  it('BS4003 names the real reason when an op output is not an array tensor', () => {
    const bytes = graphModel({
      nodes: [conv('x', 'w', 'y', [1, 1], [0, 0, 0, 0]), node('Add', ['y', 'b'], ['z'])],
      initializers: [floatTensor('w', [8, 8, 1, 1], 1), floatTensor('b', [2, 1, 1, 1, 1], 2)],
      inputs: [valueInfo('x', [1, 8, 4, 4])],
      outputs: [anyOutput('z')],
    });
    const s = simulateBytes(bytes, {}, REFINED_CHOICES);
    const d = s.sim.diagnostics.find((x) => x.code === 'BS4003');
    assert.ok(d);
    assert.match(d.message, /\[2, 1, 8, 4, 4\] has rank 5/);
    assertCoverageComplete(s);
  });

  it('a dim with neither dim_value nor dim_param is dynamic (BS2002), never 0', () => {
    const bytes = encodeModel({
      ir_version: 8,
      opset_import: [{ domain: '', version: 17 }],
      graph: {
        node: [conv('x', 'w', 'y', [3, 3], [1, 1, 1, 1])],
        initializer: [floatTensor('w', [16, 8, 3, 3], 1)],
        input: [
          {
            name: 'x',
            type: { tensor_type: { elem_type: 1, shape: { dim: [{}, { dim_value: 8 }, {}, {}] } } },
          },
        ],
      },
    });
    const report = analyzeBytes(bytes);
    assert.deepEqual(report.model.inputs[0].shape, [1, 8, 224, 224]);
    assert.ok(
      report.diagnostics.some((d) => d.code === 'BS2002' && /\[\?, 8, \?, \?\]/.test(d.message)),
    );
    assert.equal(report.layers[0].macs, 16 * 224 * 224 * 8 * 9);
  });

  it('sequence ops carry their element shapes (SplitToSequence → SequenceAt → Conv)', () => {
    const bytes = graphModel({
      nodes: [
        node('SplitToSequence', ['x', 'parts'], ['seq'], [int('axis', 1)]),
        node('SequenceLength', ['seq'], ['n']),
        node('SequenceAt', ['seq', 'one'], ['x1']),
        node('SequenceInsert', ['seq', 'x1'], ['seq2']),
        node('SequenceErase', ['seq2', 'zero'], ['seq3']),
        node('ConcatFromSequence', ['seq3'], ['cat'], [int('axis', 1)]),
        conv('x1', 'w', 'y', [3, 3], [1, 1, 1, 1]),
        conv('cat', 'w2', 'y2', [1, 1], [0, 0, 0, 0]),
      ],
      initializers: [
        int64Tensor('parts', [8, 16]),
        int64Tensor('one', [1], []),
        int64Tensor('zero', [0], []),
        floatTensor('w', [8, 16, 3, 3], 1),
        floatTensor('w2', [8, 32, 1, 1], 2),
      ],
      inputs: [valueInfo('x', [1, 24, 10, 10])],
      outputs: [anyOutput('y'), anyOutput('y2'), anyOutput('n', 7)],
    });
    const report = analyzeBytes(bytes);
    // elements [1,8,..], [1,16,..]; insert x1 at the end, erase the first: 16 + 16 channels
    assert.deepEqual(
      report.layers.map((l) => [l.inputShape, l.macs]),
      [
        [[1, 16, 10, 10], 8 * 100 * 16 * 9],
        [[1, 32, 10, 10], 8 * 100 * 32],
      ],
    );
    assert.deepEqual(report.diagnostics, []);
  });
});

describe('quantized layers', () => {
  /** 16x16 1x1 weights: block (0,1) equal to its channels' zero points, the rest not. */
  function quantWeights(zero: number[]): number[] {
    const w: number[] = [];
    for (let o = 0; o < 16; o++)
      for (let c = 0; c < 16; c++) w.push(o < 8 && c >= 8 ? zero[o] : zero[o] + 1 + ((o + c) % 5));
    return w;
  }

  /** A 1x1 QLinearConv 16 → 16 over uint8 with per-channel weight zero points. */
  function qlinearConv(zero: number[]): Uint8Array {
    const u8 = (dims: number[]) => ({
      elem_type: 2,
      shape: { dim: dims.map((d) => ({ dim_value: d })) },
    });
    return graphModel({
      nodes: [
        node(
          'QLinearConv',
          ['x', 'xs', 'xz', 'w', 'ws', 'wz', 'ys', 'yz'],
          ['y'],
          [ints('kernel_shape', [1, 1])],
        ),
      ],
      initializers: [
        floatTensor('xs', [], 0, [0.1]),
        int8Tensor('xz', [], [128], true),
        int8Tensor('w', [16, 16, 1, 1], quantWeights(zero), true),
        floatTensor('ws', [16], 0, new Array<number>(16).fill(0.02)),
        int8Tensor('wz', [16], zero, true),
        floatTensor('ys', [], 0, [0.2]),
        int8Tensor('yz', [], [128], true),
      ],
      inputs: [{ name: 'x', type: { tensor_type: u8([1, 16, 6, 6]) } }],
      outputs: [anyOutput('y', 2)],
    });
  }

  it('QLinearConv with per-channel zero points: a block equal to its zero points is a zero block', () => {
    const zero = Array.from({ length: 16 }, (_, o) => 100 + o);
    const bytes = qlinearConv(zero);
    const s = simulateBytes(bytes, {}, REFINED_CHOICES);
    const [l] = s.analysis.report.layers;
    assert.equal(l.op, 'QLinearConv');
    assert.deepEqual([l.blocks, l.zeroBlocks], [4, 1]);
    assert.equal(l.macs, 16 * 36 * 16);
    assert.equal(l.denseBytesInt8, 256, 'int8 bytes as stored');
    const c = assertCoverageComplete(s);
    assert.equal(c.macsAccelerated, l.macs, 'estimated on the array like a Conv');
  });

  it('Sparsify zeroes a QLinearConv block by writing its zero points back', () => {
    const zero = Array.from({ length: 16 }, (_, o) => 100 + o);
    const bytes = qlinearConv(zero);
    const model = decodeModel(bytes).model;
    assert.ok(model);
    const plan = planSparsify(model, { ...DEFAULT_SPARSIFY_OPTIONS, target: 0.75 });
    assert.equal(plan.layers[0].zeroBlocksAfter, 3);
    const written = writeSparseModel(bytes, plan.patches, [], new Map());
    assert.ok(!('code' in written));
    const out = Buffer.concat(written.parts);
    const after = analyzeBytes(out).layers[0];
    assert.deepEqual([after.blocks, after.zeroBlocks], [4, 3]);
    // and the stored bytes of a zeroed block are its channels' zero points, not 0
    const w = decodeModel(out).model?.graph.initializers.get('w');
    assert.ok(w && w.storage.kind === 'raw');
    const zeroed = [0, 8].filter(
      (o) => w.storage.kind === 'raw' && w.storage.bytes[o * 16] === zero[o],
    );
    assert.ok(zeroed.length > 0);
  });

  it("ONNX Runtime's dynamic quantization (DynamicQuantizeLinear → ConvInteger → Cast → Mul) is one conv", () => {
    const bytes = graphModel({
      nodes: [
        node('DynamicQuantizeLinear', ['x'], ['xq', 'xs', 'xz']),
        node('ConvInteger', ['xq', 'w', 'xz', 'wz'], ['acc'], [ints('kernel_shape', [1, 1])]),
        node('Cast', ['acc'], ['accf'], [int('to', 1)]),
        node('Mul', ['xs', 'ws'], ['scale']),
        node('Mul', ['accf', 'scale'], ['y']),
        node('Relu', ['y'], ['z']),
        node('MatMulInteger', ['a', 'mw', '', 'mz'], ['m']),
      ],
      initializers: [
        int8Tensor('w', [16, 16, 1, 1], quantWeights(new Array<number>(16).fill(3)), true),
        int8Tensor('wz', [], [3], true),
        floatTensor('ws', [], 0, [0.05]),
        int8Tensor(
          'mw',
          [16, 8],
          [...new Array<number>(64).fill(7), ...new Array<number>(64).fill(9)],
          true,
        ),
        int8Tensor('mz', [8], new Array<number>(8).fill(7), true),
      ],
      inputs: [
        valueInfo('x', [1, 16, 6, 6]),
        {
          name: 'a',
          type: {
            tensor_type: { elem_type: 2, shape: { dim: [{ dim_value: 1 }, { dim_value: 16 }] } },
          },
        },
      ],
      outputs: [anyOutput('z'), anyOutput('m', 6)],
    });
    const s = simulateBytes(bytes, {}, REFINED_CHOICES);
    const [ci, mm] = s.analysis.report.layers;
    assert.deepEqual([ci.op, ci.blocks, ci.zeroBlocks], ['ConvInteger', 4, 1]);
    // MatMulInteger [16, 8] with per-column zero point 7: rows 0..7 equal it (one zero block)
    assert.deepEqual([mm.op, mm.blocks, mm.zeroBlocks, mm.macs], ['MatMulInteger', 2, 1, 128]);
    const c = assertCoverageComplete(s);
    assert.equal(c.cpu, 0, 'nothing of the quantized datapath is left to the CPU');
    assert.equal(c.macsAccelerated, c.macs);
    assert.equal(c.accelerated, 2);
  });
});
