import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeSafetensors } from '../../../src/core/masks/safetensors';
import { resnetMini } from '../../fixtures/models';
import { run, runAsync } from '../../support/runCli';
import { tempDir } from '../../support/tempDir';

function readMasks(file: string) {
  const back = decodeSafetensors(fs.readFileSync(file));
  assert.ok(typeof back !== 'string', String(back));
  return {
    ...back,
    layers: JSON.parse(back.metadata.layers) as {
      key: string;
      target: number | null;
      achieved: number;
    }[],
  };
}

describe('blocksparse masks and sparsify --masks-out', function () {
  this.timeout(60000);
  let tmp: ReturnType<typeof tempDir>;
  let model: string;
  beforeEach(() => {
    tmp = tempDir();
    model = tmp.file('mini.onnx', resnetMini({ zeroFraction: 0.5 }).bytes);
  });
  afterEach(() => tmp.remove());

  it('writes one mask per sparsifiable layer, keyed by module; --json says what it wrote', () => {
    const out = path.join(tmp.dir, 'masks.safetensors');
    const r = run(['masks', model, '--out', out, '--json']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.out, out);
    const m = readMasks(out);
    assert.deepEqual(
      m.tensors.map((t) => t.name),
      ['block0.conv1', 'block0.conv2', 'block1.conv1', 'block1.conv2', 'down.conv', 'fc'].map(
        (s) => `${s}.weight_mask`,
      ),
    );
    assert.deepEqual(
      j.layers.map((l: { key: string }) => l.key),
      m.layers.map((l) => l.key),
    );
    assert.deepEqual(j.skipped, [{ name: '/stem/conv/Conv', why: 'not sparsifiable' }]);
    assert.ok(
      fs.readdirSync(tmp.dir).every((f) => !f.includes('.bs-partial')),
      'no partial file',
    );
  });

  it('refuses to replace the model or an existing file without --force', () => {
    assert.equal(run(['masks', model, '--out', model]).code, 2);
    assert.deepEqual(fs.readFileSync(model), Buffer.from(resnetMini({ zeroFraction: 0.5 }).bytes));
    const out = tmp.file('m.safetensors', 'keep me');
    const again = run(['masks', model, '--out', out]);
    assert.equal(again.code, 2);
    assert.match(again.err, /BS5002/);
    assert.equal(fs.readFileSync(out, 'utf8'), 'keep me');
    assert.equal(run(['masks', model, '--out', out, '--force']).code, 0);
    assert.equal(run(['masks', model]).code, 1, '--out is required');
  });

  it('sparsify --masks-out records the target and what each layer reached', async () => {
    const out = path.join(tmp.dir, 'sparse-masks.safetensors');
    const r = await runAsync(['sparsify', model, '--target', '0.75', '--masks-out', out]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /6 masks/);
    const m = readMasks(out);
    for (const l of m.layers) {
      assert.equal(l.target, 0.75, l.key);
      assert.ok(l.achieved >= 0.7, `${l.key}: ${l.achieved}`);
    }
  });
});
