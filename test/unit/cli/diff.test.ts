import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { inceptionBlock } from '../../fixtures/models';
import { run, runAsync } from '../../support/runCli';
import { tempDir } from '../../support/tempDir';

interface Side {
  blockSparsity: number;
  compressedBytesInt8: number;
  denseSeconds: number | null;
  sparseSeconds: number | null;
}
interface Row {
  name: string;
  a: Side | null;
  b: Side | null;
  changed: boolean;
}

describe('blocksparse diff', function () {
  this.timeout(60000);
  let tmp: ReturnType<typeof tempDir>;
  let a: string;
  let b: string;
  before(async () => {
    tmp = tempDir();
    a = tmp.file('a.onnx', inceptionBlock().bytes);
    b = path.join(tmp.dir, 'b.onnx');
    const s = await runAsync(['sparsify', a, '--out', b, '--target', '0.5', '--skip', '*1x1*']);
    assert.equal(s.code, 0, s.err);
  });
  after(() => tmp.remove());

  it('--json: every number equals what analyze and simulate say of each model', () => {
    const r = run(['diff', a, b, '--json', '--arch', 'paper-3x3']);
    assert.equal(r.code, 0, r.err);
    const d = JSON.parse(r.out);
    assert.equal(d.arch, 'paper-3x3');
    for (const [key, file] of [
      ['a', a],
      ['b', b],
    ] as const) {
      const an = JSON.parse(run(['analyze', file, '--json']).out);
      const sim = JSON.parse(run(['simulate', file, '--json', '--arch', 'paper-3x3']).out);
      const t = d.totals[key];
      assert.equal(t.compressedBytesInt8, an.totals.compressedBytesInt8, `${key} bytes`);
      assert.equal(t.blockSparsity, an.totals.zeroBlocks / an.totals.blocks, `${key} sparsity`);
      assert.equal(t.denseSeconds, sim.modes.dense.seconds, `${key} dense`);
      assert.equal(t.sparseSeconds, sim.modes.sparse.seconds, `${key} sparse`);
      const timed = new Map<string, { seconds: number }>(
        sim.modes.sparse.layers.map((l: { name: string; seconds: number }) => [l.name, l]),
      );
      for (const l of an.layers) {
        const row = (d.rows as Row[]).find((x) => x.name === l.name);
        assert.ok(row?.[key], l.name);
        assert.equal(row[key]?.blockSparsity, l.blockSparsity, l.name);
        assert.equal(row[key]?.compressedBytesInt8, l.compressedBytesInt8, l.name);
        assert.equal(row[key]?.sparseSeconds, timed.get(l.name)?.seconds ?? null, l.name);
      }
    }
    // the 1x1 convs were skipped (and the RGB stem is never sparsified): unchanged
    const rows = d.rows as Row[];
    const changed = (name: string) => rows.find((x) => x.name === name)?.changed;
    assert.equal(changed('/Mixed/branch1x1/Conv'), false);
    assert.equal(changed('/Conv2d_1a/Conv'), false);
    assert.equal(changed('/Mixed/branch5x5_2/Conv'), true);
    assert.equal(d.changed, rows.filter((x) => x.changed).length);
    assert.ok(d.changed > 0 && d.changed < rows.length);
  });

  it('the table lists the changed layers with a → b (Δ); --all lists every layer', () => {
    const r = run(['diff', a, b]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /network\s+\S+% → \S+% \(\+[\d.]+ pt\)/);
    assert.match(r.out, /\/Mixed\/branch5x5_2\/Conv\s+Conv\s+\S+% → \S+%/);
    assert.doesNotMatch(r.out, /\/Mixed\/branch1x1\/Conv/, 'unchanged layers left out');
    assert.match(run(['diff', a, b, '--all']).out, /\/Mixed\/branch1x1\/Conv/);
  });

  it('a model against itself: nothing differs', () => {
    const d = JSON.parse(run(['diff', a, a, '--json']).out);
    assert.equal(d.changed, 0);
    assert.deepEqual(d.totals.a, d.totals.b);
  });

  it('usage and unreadable files: exit 1 with a hint, exit 2 naming the file', () => {
    const one = run(['diff', a]);
    assert.equal(one.code, 1);
    assert.match(one.err, /two model files/);
    const missing = path.join(tmp.dir, 'missing.onnx');
    const m = run(['diff', a, missing]);
    assert.equal(m.code, 2);
    assert.ok(m.err.includes(missing), m.err);
  });
});
