import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resnetMini } from '../../fixtures/models';
import { Prng } from '../../fixtures/prng';
import { runAsync } from '../../support/runCli';
import { tempDir } from '../../support/tempDir';

/** A little-endian C-ordered .npy, as numpy.save writes it (version 1.0 header, 64-byte aligned). */
function npy(data: Float32Array | BigInt64Array, shape: number[]): Buffer {
  const descr = data instanceof Float32Array ? '<f4' : '<i8';
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')},), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const prefix = Buffer.alloc(10);
  prefix.write('\x93NUMPY', 0, 'latin1');
  prefix[6] = 1;
  prefix.writeUInt16LE(header.length, 8);
  return Buffer.concat([prefix, Buffer.from(header, 'latin1'), Buffer.from(data.buffer)]);
}

describe('blocksparse evaluate', function () {
  this.timeout(120000);
  let tmp: ReturnType<typeof tempDir>;
  let x: string;
  let y: string;
  let dense: string;
  let sparse: string;
  before(async () => {
    tmp = tempDir();
    dense = tmp.file('mini.onnx', resnetMini({ zeroFraction: 0 }).bytes);
    const rng = new Prng(3);
    x = tmp.file(
      'x.npy',
      npy(
        Float32Array.from({ length: 40 * 3 * 32 * 32 }, () => rng.next()),
        [40, 3, 32, 32],
      ),
    );
    y = tmp.file(
      'y.npy',
      npy(
        BigInt64Array.from({ length: 40 }, (_, i) => BigInt(i % 10)),
        [40],
      ),
    );
    sparse = path.join(tmp.dir, 'mini.bs75.onnx');
    assert.equal(
      (await runAsync(['sparsify', dense, '--target', '0.75', '--out', sparse])).code,
      0,
    );
  });
  after(() => tmp.remove());

  it('top-1/top-5 per model and the agreement with the first, as JSON', async () => {
    const r = await runAsync(['evaluate', dense, sparse, '--data', x, '--labels', y, '--json']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.samples, 40);
    assert.equal(j.labelled, true);
    assert.equal(j.runtime, 'onnxruntime-node');
    assert.equal(j.models.length, 2);
    for (const m of j.models) assert.ok(m.top1 >= 0 && m.top1 <= m.top5 && m.top5 <= 1);
    assert.equal(j.agreement.length, 1);
    assert.ok(j.agreement[0].top1 < 1, 'zeroing 75% of the blocks changes some predictions');
    const self = await runAsync(['evaluate', dense, dense, '--data', x, '--json', '--limit', '10']);
    const s = JSON.parse(self.out);
    assert.equal(s.samples, 10);
    assert.equal(s.models[0].top1, null, 'no labels: no accuracy');
    assert.equal(s.agreement[0].top1, 1, 'a model agrees with itself');
  });

  it('the bundled WebAssembly runtime gives the same figures as onnxruntime-node', async () => {
    const native = JSON.parse(
      (await runAsync(['evaluate', dense, sparse, '--data', x, '--labels', y, '--json'])).out,
    );
    const wasm = spawnSync(
      process.execPath,
      [
        path.resolve('bin/blocksparse.js'),
        'evaluate',
        dense,
        sparse,
        '--data',
        x,
        '--labels',
        y,
        '--json',
      ],
      { encoding: 'utf8', env: { ...process.env, BLOCKSPARSE_ORT: 'web' } },
    );
    assert.equal(wasm.status, 0, wasm.stderr);
    const w = JSON.parse(wasm.stdout);
    assert.equal(w.runtime, 'onnxruntime-web (WebAssembly)');
    assert.deepEqual(
      w.models.map((m: { top1: number; top5: number }) => [m.top1, m.top5]),
      native.models.map((m: { top1: number; top5: number }) => [m.top1, m.top5]),
    );
  });

  it('says what is wrong with the data', async () => {
    const missing = await runAsync(['evaluate', dense, '--data', path.join(tmp.dir, 'nope.npy')]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /nope.npy: no such file or folder \[BS5012\]/);
    const wrong = tmp.file('wrong.npy', npy(new Float32Array(4 * 10), [4, 10]));
    const r = await runAsync(['evaluate', dense, '--data', wrong]);
    assert.equal(r.code, 2);
    assert.match(r.err, /a sample has 10 values, the model takes \[3, 32, 32\]/);
    const notNpy = tmp.file('bad.npy', 'garbage');
    assert.match((await runAsync(['evaluate', dense, '--data', notNpy])).err, /not a \.npy array/);
    const labels = tmp.file('short.npy', npy(new BigInt64Array(3), [3]));
    assert.match(
      (await runAsync(['evaluate', dense, '--data', x, '--labels', labels])).err,
      /3 labels for 40 samples/,
    );
    assert.equal((await runAsync(['evaluate', dense])).code, 1, '--data is required');
    assert.equal(
      (await runAsync(['evaluate', dense, '--data', x, '--preprocess', 'bogus=1'])).code,
      1,
    );
    assert.ok(fs.existsSync(dense));
  });
});
