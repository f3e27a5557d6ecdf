import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { REFINED_MODEL } from '../../src/core/estimate/assumptions';
import { DEFAULT_SPARSIFY_OPTIONS } from '../../src/core/sparsify/sparsifyOptions';
import { findPreset } from '../../src/core/target/presets';
import { simulateFile } from '../../src/node/simulateFile';
import { sparsifyFile } from '../../src/node/sparsifyFile';
import { resnet50, resnetMini } from '../fixtures/models';
import { runAsync } from '../support/runCli';
import { tempDir } from '../support/tempDir';

describe('balanced Sparsify (--balance ARCH)', function () {
  this.timeout(120000);
  let tmp: ReturnType<typeof tempDir>;
  before(() => (tmp = tempDir()));
  after(() => tmp.remove());

  it('ResNet-50 at 50% on paper-4x4: within 2% of every chunk at 50%, where the usual mask is not', () => {
    const arch = findPreset('paper-4x4');
    assert.ok(arch);
    const input = tmp.file('r50.onnx', resnet50({}).bytes);
    const r = sparsifyFile(input, {
      ...DEFAULT_SPARSIFY_OPTIONS,
      out: path.join(tmp.dir, 'r50.balanced.onnx'),
      balance: { arch, precision: 'int8' },
    });
    assert.ok(r.ok === true && r.balance);
    const b = r.balance;
    const over = (s: number) => s / b.evenSparse - 1;
    assert.ok(Math.abs(over(b.balanced.sparse)) <= 0.02, `balanced ${over(b.balanced.sparse)}`);
    assert.ok(over(b.unbalanced.sparse) > 0.02, `unbalanced ${over(b.unbalanced.sparse)}`);
    assert.ok(b.balanced.speedup !== null && b.unbalanced.speedup !== null);
    assert.ok(b.balanced.speedup > b.unbalanced.speedup);
    // balancing gives up weights a per-layer threshold keeps: never less than the usual choice
    assert.ok(b.balanced.givenUp >= b.unbalanced.givenUp);
    // the written model itself is balanced: in refined mode every compressed layer's busiest
    // chunk is as dense as the layer (the estimate reads the file back)
    const sim = simulateFile(r.output, {}, { arch, model: REFINED_MODEL, trace: false });
    assert.ok(sim.ok);
    const sparse = sim.simulation.modes.sparse;
    assert.ok(sparse);
    const compressed = sparse.layers.filter((l) => !l.keptDense && l.layerDensity < 1);
    assert.ok(compressed.length > 40);
    for (const l of compressed) assert.equal(l.rho, l.layerDensity, l.name);
    assert.ok(Math.abs(sparse.seconds - b.balanced.sparse) < 1e-12);
  });

  it('the CLI prints both estimates and the norm; --balance refuses other block shapes', async () => {
    const model = tmp.file('mini.onnx', resnetMini({ zeroFraction: 0 }).bytes);
    const r = await runAsync(['sparsify', model, '--balance', 'npu-strix', '--force']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Balanced for npu-strix/);
    assert.match(r.out, /without balancing: [\d.]+ µs/);
    assert.match(r.out, /L2 norm of the weights zeroed/);
    const j = JSON.parse(
      (await runAsync(['sparsify', model, '--balance', 'npu-strix', '--force', '--json'])).out,
    );
    assert.equal(j.balance.arch, 'npu-strix');
    assert.equal(
      (await runAsync(['sparsify', model, '--balance', 'npu-strix', '--block', '4x4'])).code,
      1,
    );
    assert.equal((await runAsync(['sparsify', model, '--balance', 'nope', '--force'])).code, 1);
  });
});
