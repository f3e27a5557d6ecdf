import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resnetMini } from '../../fixtures/models';
import { runAsync } from '../../support/runCli';
import { tempDir } from '../../support/tempDir';

const LAYER_KEYS = ['name', 'blocks', 'zeroBlocksBefore', 'zeroBlocksAfter'];

describe('blocksparse sparsify', function () {
  this.timeout(60000);
  let tmp: ReturnType<typeof tempDir>;
  let model: string;
  beforeEach(() => {
    tmp = tempDir();
    model = tmp.file('mini.onnx', resnetMini({ zeroFraction: 0 }).bytes);
  });
  afterEach(() => tmp.remove());

  it('--json: output path, per-layer block counts, totals', async () => {
    const r = await runAsync(['sparsify', model, '--json']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.output, path.join(tmp.dir, 'mini.bs50.onnx'));
    assert.ok(fs.existsSync(j.output));
    for (const l of j.layers) assert.deepEqual(Object.keys(l), LAYER_KEYS);
    const stem = j.layers.find((l: { name: string }) => l.name === '/stem/conv/Conv');
    assert.equal(stem.zeroBlocksAfter, 0, 'the RGB conv is never sparsified');
    const others = j.layers.filter((l: { name: string }) => l.name !== '/stem/conv/Conv');
    for (const l of others) assert.equal(l.zeroBlocksAfter, Math.floor(l.blocks / 2), l.name);
    assert.equal(
      j.totals.zeroBlocksAfter,
      others.reduce((a: number, l: { zeroBlocksAfter: number }) => a + l.zeroBlocksAfter, 0),
    );
    assert.equal(j.verification, null);
  });

  it('--target, --skip, --targets file, --scope global, --keep-rows-cols, --out', async () => {
    const targets = tmp.file('t.txt', '# per layer\n/fc/Gemm 0.25\n');
    const out = path.join(tmp.dir, 'custom.onnx');
    const r = await runAsync([
      'sparsify',
      model,
      '--json',
      '--target',
      '0.75',
      '--skip',
      '/block0/*',
      '--targets',
      targets,
      '--out',
      out,
      '--scope',
      'global',
      '--keep-rows-cols',
    ]);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.output, out);
    const by = new Map(j.layers.map((l: { name: string }) => [l.name, l]));
    const fc = by.get('/fc/Gemm') as { blocks: number; zeroBlocksAfter: number };
    assert.equal(fc.zeroBlocksAfter, Math.floor(0.25 * fc.blocks));
    for (const n of ['/block0/conv1/Conv', '/block0/conv2/Conv'])
      assert.equal((by.get(n) as { zeroBlocksAfter: number }).zeroBlocksAfter, 0, n);
  });

  it('--verify runs ONNX Runtime and reports per-output figures', async () => {
    const r = await runAsync(['sparsify', model, '--verify', '--json']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.verification.passed, true);
    assert.equal(j.verification.samples, 4);
    const o = j.verification.outputs[0];
    for (const k of ['maxAbsDiff', 'relativeL2', 'cosine', 'top1', 'top5'])
      assert.equal(typeof o[k], 'number', k);
    const text = await runAsync(['sparsify', model, '--verify', '--force', '--target', '0.25']);
    assert.match(text.out, /Verification with onnxruntime-node \(4 seeded random inputs\)/);
    assert.match(text.out, /Passed: same outputs and shapes/);
  });

  it('exit codes: 2 for bad input or an existing output, 1 for a bad command line', async () => {
    assert.equal((await runAsync(['sparsify', tmp.file('bad.onnx', 'nope')])).code, 2);
    assert.equal((await runAsync(['sparsify', model])).code, 0);
    const again = await runAsync(['sparsify', model]);
    assert.equal(again.code, 2);
    assert.match(again.err, /exists; pass --force/);
    assert.equal((await runAsync(['sparsify', model, '--out', model])).code, 2);
    assert.equal((await runAsync(['sparsify', model, '--target', '0.99'])).code, 1);
    assert.equal((await runAsync(['sparsify', model, '--criterion', 'max'])).code, 1);
    const badTargets = await runAsync([
      'sparsify',
      model,
      '--force',
      '--targets',
      tmp.file('t.txt', 'x\n'),
    ]);
    assert.equal(badTargets.code, 2);
    assert.match(badTargets.err, /line 1/);
  });
});

describe('blocksparse sparsify: guard rails', function () {
  this.timeout(60000);
  let tmp: ReturnType<typeof tempDir>;
  afterEach(() => tmp.remove());

  it('--scope global keeps every layer under --max-layer-ratio and names empty rows (BS5007)', async () => {
    tmp = tempDir();
    const model = tmp.file('mini.onnx', resnetMini({ zeroFraction: 0 }).bytes);
    const r = await runAsync([
      'sparsify',
      model,
      '--scope',
      'global',
      '--target',
      '0.9',
      '--max-layer-ratio',
      '0.8',
      '--json',
    ]);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as {
      layers: { name: string; blocks: number; zeroBlocksAfter: number }[];
      diagnostics: { code: string; node: string; message: string }[];
    };
    for (const l of j.layers) assert.ok(l.zeroBlocksAfter <= Math.floor(0.8 * l.blocks), l.name);
    const rails = j.diagnostics.filter((d) => d.code === 'BS5007');
    assert.ok(rails.length > 0, 'at 80% of 8x8 blocks some block-rows or -columns are empty');
    for (const d of rails) {
      assert.ok(j.layers.some((l) => l.name === d.node));
      assert.match(d.message, /block-(row|column)s? .* all zero/);
    }
    const bad = await runAsync(['sparsify', model, '--max-layer-ratio', '1.5']);
    assert.equal(bad.code, 1);
  });
});
