import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { analyzeModel } from '../../../../src/core/analysis/analyzeModel';
import { layerMasks, maskFile, MASK_FORMAT } from '../../../../src/core/masks/layerMasks';
import { decodeSafetensors, encodeSafetensors } from '../../../../src/core/masks/safetensors';
import { sha256Hex } from '../../../../src/core/masks/sha256';
import { ConstantScope } from '../../../../src/core/onnx/constantScope';
import { decodeModel } from '../../../../src/core/onnx/decodeModel';
import type { ModelIR } from '../../../../src/core/onnx/ir';
import { anyOutput, floatTensor, graphModel, node } from '../../../fixtures/foldingModels';
import { resnetMini } from '../../../fixtures/models';
import { ints, valueInfo } from '../../../fixtures/netBuilder';
import { Prng } from '../../../fixtures/prng';
import { transposedMatMulModel } from '../../../fixtures/specialModels';

function decoded(bytes: Uint8Array): ModelIR {
  const m = decodeModel(bytes).model;
  assert.ok(m);
  return m;
}

describe('sha256', () => {
  it('equals node:crypto on every padding case', () => {
    const rng = new Prng(5);
    for (const n of [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 1000, 100_003]) {
      const data = Uint8Array.from({ length: n }, () => Math.floor(rng.next() * 256));
      assert.equal(sha256Hex(data), createHash('sha256').update(data).digest('hex'), `${n} bytes`);
    }
  });
});

describe('safetensors', () => {
  it('round-trips tensors and metadata; the header is 8-byte aligned', () => {
    const parts = encodeSafetensors(
      [
        {
          name: 'a.weight_mask',
          dtype: 'U8',
          shape: [2, 3],
          data: Uint8Array.of(1, 0, 1, 1, 1, 0),
        },
        { name: 'b', dtype: 'F32', shape: [1], data: new Uint8Array(Float32Array.of(0.5).buffer) },
      ],
      { format: 'x' },
    );
    assert.ok(Array.isArray(parts));
    const bytes = Buffer.concat(parts);
    const headerLength = Number(bytes.readBigUInt64LE(0));
    assert.equal(headerLength % 8, 0);
    const back = decodeSafetensors(bytes);
    assert.ok(typeof back !== 'string', String(back));
    assert.deepEqual(back.metadata, { format: 'x' });
    assert.deepEqual(
      back.tensors.map((t) => [t.name, t.dtype, t.shape, [...t.data]]),
      [
        ['a.weight_mask', 'U8', [2, 3], [1, 0, 1, 1, 1, 0]],
        ['b', 'F32', [1], [0, 0, 0, 63]],
      ],
    );
  });

  it('refuses what is not a safetensors file, and bad tensors', () => {
    assert.match(String(decodeSafetensors(Uint8Array.of(1, 2))), /shorter/);
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 1000n, true);
    assert.match(String(decodeSafetensors(huge)), /runs past/);
    const wrong = encodeSafetensors(
      [{ name: 'x', dtype: 'U8', shape: [3], data: Uint8Array.of(1) }],
      {},
    );
    assert.match(String(wrong), /1 bytes for shape \[3\]/);
  });
});

describe('layer masks for PyTorch', () => {
  it('resnet-mini: one uint8 mask per sparsifiable layer in the weight shape, keyed by module', () => {
    const fx = resnetMini({ zeroFraction: 0.5 });
    const model = decoded(fx.bytes);
    const report = analyzeModel(model);
    const masks = layerMasks(model, report);
    const sparsifiable = report.layers.filter((l) => l.sparsifiable);
    assert.deepEqual(
      masks.entries.map((e) => e.key),
      sparsifiable.map((l) => l.weight.replace(/\.weight$/, '.weight_mask')),
      'torch.onnx node names give the module paths (block0.conv1, ..., fc)',
    );
    const scope = ConstantScope.forModel(model, undefined);
    for (const [i, e] of masks.entries.entries()) {
      const l = sparsifiable[i];
      const t = masks.tensors[i];
      assert.equal(t.dtype, 'U8');
      const w = scope.get(l.weight)?.read();
      assert.ok(w && !('code' in w));
      // Linear keeps [out, in]; convs their ONNX [Cout, Cin/g, kh, kw]
      assert.deepEqual(t.shape, l.weightShape);
      assert.deepEqual(e.shape, t.shape);
      // a 0 exactly where the element's 8x8 block is all zero in the model
      for (let k = 0; k < t.data.length; k++) if (t.data[k] === 0) assert.equal(w[k], 0);
      // and zero blocks are zero whole: 8x8 (or the edge's real size) x the kernel
      const kernel = l.detail.kernelShape.reduce((a, b) => a * b, 1);
      const { blockRows: rows, blockCols: cols, blockMask, cout, cinPerGroup } = l.detail;
      let expected = 0;
      blockMask.forEach((nz, b) => {
        const r = Math.floor(b / cols) % rows;
        const c = b % cols;
        const h = Math.min(8, cout / l.group - 8 * r);
        if (!nz) expected += h * Math.min(8, cinPerGroup - 8 * c) * kernel;
      });
      const zeros = t.data.reduce((a, v) => a + (v === 0 ? 1 : 0), 0);
      assert.equal(zeros, expected, `${l.name}: whole blocks`);
      assert.ok(l.zeroBlocks > 0);
      assert.equal(e.achieved, l.blockSparsity);
      assert.equal(e.target, null);
      const f32 = w instanceof Float32Array ? w : Float32Array.from(w);
      const raw = new Uint8Array(f32.buffer, f32.byteOffset, f32.byteLength);
      assert.equal(e.sha256, createHash('sha256').update(raw).digest('hex'));
    }
    assert.deepEqual(
      masks.skipped.map((s) => s.name),
      report.layers.filter((l) => !l.sparsifiable).map((l) => l.name),
      'the 3-channel stem is not sparsifiable',
    );
  });

  it("a MatMul weight stored as Linear's [out, in] behind a Transpose gets a [out, in] mask", () => {
    const fx = transposedMatMulModel(0.5);
    const model = decoded(fx.bytes);
    const report = analyzeModel(model);
    const [e] = layerMasks(model, report).entries;
    const [t] = layerMasks(model, report).tensors;
    assert.deepEqual(e.shape, [20, 40], 'MatMul sees [40, 20]; torch.nn.Linear holds [20, 40]');
    const stored = model.graph.initializers.get('head.weight');
    assert.ok(stored);
    const w = ConstantScope.forModel(model, undefined).get('head.weight')?.read();
    assert.ok(w && !('code' in w));
    for (let o = 0; o < 20; o++)
      for (let c = 0; c < 40; c++)
        if (t.data[o * 40 + c] === 0) assert.equal(w[o * 40 + c], 0, `[${o}, ${c}]`);
    assert.equal(e.key, 'head.weight_mask');
  });

  it("torchvision's BN-folded onnx::Conv_N initializers map by node name; others by initializer", () => {
    const bytes = graphModel({
      nodes: [
        {
          ...node('Conv', ['x', 'onnx::Conv_193'], ['y'], [ints('kernel_shape', [1, 1])]),
          name: '/layer1/layer1.0/conv1/Conv',
        },
        { ...node('Conv', ['y', 'W3'], ['z'], [ints('kernel_shape', [1, 1])]), name: 'conv_7' },
      ],
      initializers: [
        floatTensor('onnx::Conv_193', [16, 16, 1, 1], 1),
        floatTensor('W3', [8, 16, 1, 1], 2),
      ],
      inputs: [valueInfo('x', [1, 16, 4, 4])],
      outputs: [anyOutput('z')],
    });
    const model = decoded(bytes);
    const masks = layerMasks(model, analyzeModel(model), new Map([['conv_7', 0.5]]));
    assert.deepEqual(
      masks.entries.map((e) => [e.key, e.module, e.initializer, e.target]),
      [
        ['layer1.0.conv1.weight_mask', 'layer1.0.conv1', 'onnx::Conv_193', null],
        ['W3', null, 'W3', 0.5],
      ],
    );
  });

  it('the file: safetensors with the format, the block and every layer in __metadata__', () => {
    const model = decoded(resnetMini({ zeroFraction: 0.25 }).bytes);
    const report = analyzeModel(model);
    const masks = layerMasks(model, report);
    const parts = maskFile(masks, report.block);
    assert.ok(Array.isArray(parts));
    const back = decodeSafetensors(Buffer.concat(parts));
    assert.ok(typeof back !== 'string');
    assert.equal(back.metadata.format, MASK_FORMAT);
    assert.equal(back.metadata.block, '8x8');
    assert.deepEqual(JSON.parse(back.metadata.layers), masks.entries);
    assert.deepEqual(
      back.tensors.map((t) => [t.name, [...t.data]]),
      masks.tensors.map((t) => [t.name, [...t.data]]),
    );
  });
});
