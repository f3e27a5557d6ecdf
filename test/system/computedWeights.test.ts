import { strict as assert } from 'node:assert';
import { decodeModel } from '../../src/core/onnx/decodeModel';
import { planSparsify } from '../../src/core/sparsify/planSparsify';
import { DEFAULT_SPARSIFY_OPTIONS } from '../../src/core/sparsify/sparsifyOptions';
import { REFINED_CHOICES } from '../../src/core/compiler/choices';
import {
  alexNetLike,
  anyOutput,
  computedWeightsModel,
  floatTensor,
  graphModel,
  int64Tensor,
  node,
  shuffleNetLike,
  squeezeNetLike,
  withConstantOfShapeWeights,
} from '../fixtures/foldingModels';
import { inceptionV3, resnet50, vgg16 } from '../fixtures/models';
import { int, valueInfo } from '../fixtures/netBuilder';
import { analyzeBytes } from '../support/analyzeBytes';
import { assertCoverageComplete, simulateBytes } from '../support/simulateBytes';

/** Builds once, on first use. */
function once(build: () => Uint8Array): () => Uint8Array {
  let bytes: Uint8Array | undefined;
  return () => (bytes ??= build());
}

/** The model-zoo architectures of issue 11 (torchvision graphs at a quarter width, or reduced). */
const ARCHITECTURES: [string, () => Uint8Array][] = [
  ['ResNet-50', once(() => resnet50({ widthDivisor: 4 }).bytes)],
  ['VGG-16', once(() => vgg16({ widthDivisor: 4, size: 112 }).bytes)],
  ['Inception-v3', once(() => inceptionV3({ widthDivisor: 4 }).bytes)],
  ['ShuffleNet-like', once(shuffleNetLike)],
  ['SqueezeNet-like', once(squeezeNetLike)],
  ['AlexNet-like', once(alexNetLike)],
];

describe('weights computed from constants (the light model-zoo files)', () => {
  for (const [name, build] of ARCHITECTURES) {
    it(`${name}: ConstantOfShape weights give the same layers, MACs and parameters`, () => {
      const original = build();
      const light = withConstantOfShapeWeights(original);
      const a = analyzeBytes(original);
      const b = analyzeBytes(light);
      assert.ok(a.layers.length > 0);
      assert.deepEqual(
        b.layers.map((l) => [l.name, l.op, l.weightShape, l.macs, l.params, l.blocks]),
        a.layers.map((l) => [l.name, l.op, l.weightShape, l.macs, l.params, l.blocks]),
      );
      assert.equal(b.totals.macs, a.totals.macs);
      assert.equal(b.totals.params, a.totals.params);
      // every large weight is folded (0.5 everywhere: no zero block), small biases stay stored
      for (const l of b.layers) {
        assert.equal(l.weightKind, l.denseBytesInt8 > 128 ? 'folded' : 'stored', l.name);
        if (l.weightKind === 'folded') assert.equal(l.zeroBlocks, 0);
      }
      assert.deepEqual(
        b.diagnostics.filter((d) => d.severity !== 'info' && d.code !== 'BS2002'),
        [],
      );
    });

    it(`${name}: the estimate accounts for every node and MAC, as for the stored weights`, () => {
      for (const choices of [undefined, REFINED_CHOICES]) {
        const stored = simulateBytes(build(), {}, choices);
        const light = simulateBytes(withConstantOfShapeWeights(build()), {}, choices);
        const cs = assertCoverageComplete(stored);
        const cl = assertCoverageComplete(light);
        // the ConstantOfShape nodes are computed before the run; the rest is classed alike
        const added = light.graph.nodes.length - stored.graph.nodes.length;
        assert.ok(added > 0);
        assert.equal(cl.removed, cs.removed + added);
        assert.deepEqual(
          [cl.accelerated, cl.fused, cl.cpu, cl.unplaced, cl.macsAccelerated],
          [cs.accelerated, cs.fused, cs.cpu, cs.unplaced, cs.macsAccelerated],
        );
        assert.ok(cl.macsAccelerated > 0.9 * cl.macs || choices === undefined);
        assert.equal(light.sim.modes.dense?.seconds, stored.sim.modes.dense?.seconds);
      }
    });
  }

  it("VGG-19's 102.8 M-element classifier weight as ConstantOfShape is scanned by its shape", () => {
    const bytes = graphModel({
      nodes: [
        node(
          'ConstantOfShape',
          ['w_shape'],
          ['w'],
          [{ name: 'value', type: 4, t: floatTensor('v', [1], 0, [0.5]) }],
        ),
        node('Gemm', ['x', 'w'], ['y'], [int('transB', 1)]),
      ],
      initializers: [int64Tensor('w_shape', [4096, 25088])],
      inputs: [valueInfo('x', [1, 25088])],
      outputs: [anyOutput('y')],
    });
    const report = analyzeBytes(bytes);
    const [l] = report.layers;
    assert.equal(l.params, 4096 * 25088, 'more than MAX_FOLD_ELEMENTS, yet every element counted');
    assert.equal(l.macs, 4096 * 25088);
    assert.equal(l.blocks, 512 * 3136);
    assert.equal(l.zeroBlocks, 0);
    assert.deepEqual(report.diagnostics, []);
  });

  it('Sparsify refuses a ConstantOfShape weight with BS5004 and says why', () => {
    const light = decodeModel(withConstantOfShapeWeights(squeezeNetLike())).model;
    assert.ok(light);
    const plan = planSparsify(light, { ...DEFAULT_SPARSIFY_OPTIONS, target: 0.5 });
    const refused = plan.layers.filter((l) => l.skipped?.includes('cannot be zeroed in place'));
    assert.ok(refused.length > 0);
    assert.equal(plan.patches.size, 0, 'nothing is written');
    assert.equal(plan.diagnostics.filter((d) => d.code === 'BS5004').length, refused.length);
    assert.match(refused[0].skipped ?? '', /ConstantOfShape/);
  });

  it('Reshape(constant) and Mul(constant, scale) weights, and Pad amounts computed from constants', () => {
    const report = analyzeBytes(computedWeightsModel());
    const [a, b] = report.layers;
    assert.equal(report.layers.length, 2);
    // Pad [0,0,1,1]+[0,0,1,1] from Concat(ConstantOfShape, constant) → Cast: 12x12 → 14x14
    assert.deepEqual(a.inputShape, [1, 8, 14, 14]);
    assert.deepEqual(a.outputShape, [1, 16, 12, 12]);
    assert.equal(a.macs, 16 * 12 * 12 * 8 * 9);
    assert.deepEqual(a.weightShape, [16, 8, 3, 3]);
    assert.equal(a.weightKind, 'stored', 'a reshaped initializer is still patchable in place');
    assert.equal(a.weight, 'w_flat');
    assert.deepEqual(b.weightShape, [16, 16, 1, 1]);
    assert.equal(b.weightKind, 'folded');
    assert.equal(b.macs, 16 * 12 * 12 * 16);
    assert.deepEqual(report.diagnostics, []);

    const model = decodeModel(computedWeightsModel()).model;
    assert.ok(model);
    const plan = planSparsify(model, { ...DEFAULT_SPARSIFY_OPTIONS, target: 0.5 });
    assert.ok(plan.patches.has('w_flat'), 'the reshaped weight is zeroed in its initializer');
    assert.ok(plan.diagnostics.some((d) => d.code === 'BS5004' && d.node === b.name));
  });
});
