import { strict as assert } from 'node:assert';
import { memoryByteSource } from '../../../../src/core/onnx/byteSource';
import { diag } from '../../../../src/core/diagnostics';
import {
  depthwiseNet,
  inceptionBlock,
  resnet50,
  resnetMini,
  vggStack,
} from '../../../fixtures/models';
import { subgraphModel, transposedMatMulModel } from '../../../fixtures/specialModels';
import { analyzeBytes, assertMatchesTruths } from '../../../support/analyzeBytes';

describe('analyzeModel', () => {
  describe('finds exactly the planted truths', () => {
    for (const [name, make] of [
      ['ResNet-style mini net', resnetMini],
      ['Inception-style block', inceptionBlock],
      ['VGG-style stack', vggStack],
      ['grouped and depthwise convs', depthwiseNet],
    ] as const) {
      it(name, () => {
        const f = make();
        assert.ok(
          f.truths.some((t) => t.zeroBlocks > 0),
          'the fixture plants zero blocks',
        );
        assertMatchesTruths(analyzeBytes(f.bytes), f.truths);
      });
    }
  });

  describe('weight storage variants', () => {
    for (const storage of ['constant', 'typed'] as const) {
      it(`weights as ${storage === 'constant' ? 'Constant nodes' : 'typed float_data fields'}`, () => {
        const f = resnetMini({ storage });
        assertMatchesTruths(analyzeBytes(f.bytes), f.truths);
      });
    }
    for (const dtype of ['float16', 'bfloat16'] as const) {
      it(`${dtype} weights (raw and int32_data)`, () => {
        for (const storage of ['initializer', 'typed'] as const) {
          const f = resnetMini({ dtype, storage });
          assertMatchesTruths(analyzeBytes(f.bytes), f.truths);
        }
      });
    }
    it('int8 weights through DequantizeLinear: zero blocks equal the zero point', () => {
      const f = resnetMini({ dtype: 'int8' });
      const report = analyzeBytes(f.bytes);
      assertMatchesTruths(report, f.truths);
      assert.deepEqual(report.layers[1].detail.weightVia, ['DequantizeLinear']);
    });
    it('external data read through the resolver', () => {
      const f = resnetMini({ storage: 'external', externalLocation: 'mini.bin' });
      assert.ok(f.externalData);
      const source = memoryByteSource(f.externalData);
      const report = analyzeBytes(f.bytes, {
        resolver: {
          open: (loc) => (loc === 'mini.bin' ? source : diag('BS1011', 'error', 'missing')),
        },
      });
      assertMatchesTruths(report, f.truths);
    });
    it('external data without a resolver is an error diagnostic, not a crash', () => {
      const f = resnetMini({ storage: 'external' });
      const report = analyzeBytes(f.bytes);
      assert.equal(report.layers.length, 0);
      assert.ok(report.diagnostics.some((d) => d.code === 'BS1013' && d.severity === 'error'));
    });
    it('a weight reached through Transpose of a constant', () => {
      const f = transposedMatMulModel(0.5);
      assert.ok(f.truths[0].zeroBlocks > 0);
      assertMatchesTruths(analyzeBytes(f.bytes), f.truths);
    });
  });

  it('full ResNet-50: 53 Conv + 1 Gemm, 4,089,184,256 MACs at batch 1', function () {
    this.timeout(120000);
    const f = resnet50({ zeroFraction: 0.5 });
    const report = analyzeBytes(f.bytes);
    assertMatchesTruths(report, f.truths);
    assert.equal(report.layers.filter((l) => l.op === 'Conv').length, 53);
    assert.equal(report.layers.filter((l) => l.op === 'Gemm').length, 1);
    assert.equal(report.totals.macs, 4089184256);
    assert.equal(report.totals.params, 25503912, 'conv weights + fc weight and bias');
    // analysed at batch 1; the file declares a symbolic batch
    assert.deepEqual(report.model.inputs, [
      { name: 'input', shape: [1, 3, 224, 224], declared: ['batch_size', 3, 224, 224] },
    ]);
  });

  it('analyses layers inside If and Loop bodies, named with their path', () => {
    const report = analyzeBytes(subgraphModel());
    assert.deepEqual(
      report.layers.map((l) => [l.name, l.inputShape, l.outputShape, l.macs]),
      [
        ['branch/then_branch/then_conv', [1, 8, 10, 10], [1, 16, 10, 10], 16 * 100 * 8 * 9],
        [
          'branch/else_branch/loop/body/body_conv',
          [1, 8, 10, 10],
          [1, 16, 10, 10],
          16 * 100 * 8 * 9,
        ],
      ],
    );
  });

  it('totals are the sums of the layers', () => {
    const report = analyzeBytes(inceptionBlock().bytes);
    const sum = (f: (l: (typeof report.layers)[number]) => number) =>
      report.layers.reduce((a, l) => a + f(l), 0);
    assert.equal(
      report.totals.macs,
      sum((l) => l.macs ?? 0),
    );
    assert.equal(
      report.totals.zeroBlocks,
      sum((l) => l.zeroBlocks),
    );
    assert.equal(
      report.totals.compressedBytesInt8,
      sum((l) => l.compressedBytesInt8),
    );
  });

  it('compressed bytes = non-zero blocks + 4 B per output channel + 2 B per block', () => {
    const report = analyzeBytes(vggStack().bytes);
    for (const l of report.layers) {
      const [cout, cin, kh, kw] = l.weightShape;
      // all channel counts of this fixture are multiples of 8 except the RGB input: full blocks
      const blockBytes = Math.min(8, cin) * 8 * kh * kw;
      assert.equal(
        l.compressedBytesInt8,
        (l.blocks - l.zeroBlocks) * blockBytes + 4 * cout + 2 * l.blocks,
        l.name,
      );
      assert.equal(l.denseBytesInt8, cout * cin * kh * kw);
    }
  });

  it('reports progress per layer and stops when cancelled', () => {
    const f = vggStack();
    const seen: number[] = [];
    const full = analyzeBytes(f.bytes, { onProgress: (done) => seen.push(done) });
    assert.deepEqual(
      seen,
      full.layers.map((_, i) => i + 1),
    );
    let calls = 0;
    const partial = analyzeBytes(f.bytes, { isCancelled: () => ++calls > 3 });
    assert.equal(partial.cancelled, true);
    assert.equal(partial.layers.length, 3);
  });

  it('is deterministic: the same bytes give the same report', () => {
    const f = resnetMini();
    assert.deepEqual(analyzeBytes(f.bytes), analyzeBytes(f.bytes));
  });
});
