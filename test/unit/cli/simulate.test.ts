import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run } from '../../support/runCli';
import { inceptionBlock } from '../../fixtures/models';
import { tempDir } from '../../support/tempDir';

const LAYER_KEYS = [
  'name',
  'op',
  'seconds',
  'lanes',
  'bound',
  'subvolume',
  'splits',
  'iterations',
  'memory',
  'path',
  'prefetchSeconds',
  'ddrBytes',
  'depthRun',
  'rho',
  'layerDensity',
  'keptDense',
  'spillBytes',
  'compiledWeightBytes',
];
const LANE_KEYS = ['LOAD', 'LOADW', 'LOADFM', 'LOADWM', 'COMP', 'WRITEFM', 'WRITE'];

describe('blocksparse simulate / archs', () => {
  let tmp: ReturnType<typeof tempDir>;
  let model: string;
  before(() => {
    tmp = tempDir();
    model = tmp.file('inception.onnx', inceptionBlock().bytes);
  });
  after(() => tmp.remove());

  it('simulate --json: arch, both modes with the documented keys, speedup', () => {
    const r = run(['simulate', model, '--json', '--arch', 'paper-3x3']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.arch.name, 'paper-3x3');
    assert.equal(j.arch.columns, 3);
    for (const mode of ['dense', 'sparse']) {
      const m = j.modes[mode];
      for (const k of ['seconds', 'lanes', 'compiledWeightBytes', 'peakMemtileBytes', 'layers'])
        assert.ok(k in m, `${mode}.${k}`);
      assert.deepEqual(Object.keys(m.lanes), LANE_KEYS);
      assert.equal(m.layers.length, 10, '8 convs, an average pool and the Concat');
      for (const l of m.layers) assert.deepEqual(Object.keys(l), LAYER_KEYS);
    }
    assert.equal(j.speedup, j.modes.dense.seconds / j.modes.sparse.seconds);
    assert.ok(j.speedup > 1);
  });

  it('--mode dense runs one mode; the table shows dense µs per layer and totals', () => {
    const j = JSON.parse(run(['simulate', model, '--json', '--mode', 'dense']).out);
    assert.ok(j.modes.dense && !j.modes.sparse && j.speedup === null);
    const t = run(['simulate', model]);
    assert.equal(t.code, 0);
    assert.match(t.out, /on paper-4x4 \(4 columns x 4 rows/);
    assert.match(t.out, /Layer\s+Op\s+Dense µs\s+Sparse µs\s+Speedup\s+Bound/);
    assert.match(t.out, /^Speedup \(dense \/ sparse\): \d+\.\d{3}x$/m);
  });

  it('--trace writes Chrome trace JSON; --dump-passes writes one dump per pass and mode', () => {
    const trace = path.join(tmp.dir, 'out', 'trace.json');
    fs.mkdirSync(path.dirname(trace));
    const dumps = path.join(tmp.dir, 'dumps');
    assert.equal(run(['simulate', model, '--trace', trace, '--dump-passes', dumps]).code, 0);
    const t = JSON.parse(fs.readFileSync(trace, 'utf8'));
    assert.ok(Array.isArray(t.traceEvents) && t.traceEvents.length > 100);
    assert.deepEqual(
      fs.readdirSync(path.dirname(trace)),
      ['trace.json'],
      'no temporary file left behind',
    );
    const files = fs.readdirSync(dumps).sort();
    // eight passes per mode (lower … program)
    assert.equal(files.length, 16);
    assert.ok(files.includes('dense.4-subvolume.txt') && files.includes('sparse.8-program.txt'));
  });

  it('--arch-file takes a custom array; a bad one is exit 2 with its problems', () => {
    const good = tmp.file('a.json', JSON.stringify({ name: 'wide', columns: 6, rows: 2 }));
    const j = JSON.parse(run(['simulate', model, '--json', '--arch-file', good]).out);
    assert.equal(j.arch.name, 'wide');
    const bad = run([
      'simulate',
      model,
      '--arch-file',
      tmp.file('b.json', '{"name": "x", "columns": 0}'),
    ]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /'columns' must be an integer/);
    assert.match(bad.err, /BS4010/);
    assert.equal(run(['simulate', model, '--arch', 'nope']).code, 1);
    assert.equal(run(['simulate', model, '--mode', 'half']).code, 1);
    assert.equal(run(['simulate', model, '--precision', 'fp64']).code, 1);
  });

  it('--model refined: the ledger adds up from paper to refined; why adds up to the total', () => {
    const paper = JSON.parse(run(['simulate', model, '--json']).out);
    const r = run(['simulate', model, '--json', '--model', 'refined']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.model.kind, 'refined');
    assert.equal(
      j.ledger.paper.dense,
      paper.modes.dense.seconds,
      'the ledger starts at paper mode',
    );
    assert.equal(j.ledger.refined.sparse, j.modes.sparse.seconds, 'and ends at the estimate shown');
    for (const mode of ['Dense', 'Sparse'] as const) {
      const sum = j.ledger.steps.reduce(
        (a: number, s: Record<string, number>) => a + s[`delta${mode}`],
        0,
      );
      const key = mode.toLowerCase() as 'dense' | 'sparse';
      assert.ok(Math.abs(j.ledger.paper[key] + sum - j.ledger.refined[key]) < 1e-15);
    }
    const why = j.why.reduce((a: number, w: { seconds: number }) => a + w.seconds, 0);
    assert.ok(
      Math.abs(why - j.modes.sparse.imageSeconds) < 1e-12,
      `${why} vs ${j.modes.sparse.imageSeconds}`,
    );
    const text = run(['simulate', model, '--model', 'refined', '--assume', 'prefetch=off']);
    assert.match(text.out, /refined \(off: prefetch\) estimate/);
    assert.match(text.out, /^ {2}prefetch \(off\)/m);
    assert.match(text.out, /Why isn't it faster\?/);
  });

  it('--assume and --efficiency: bad items and paper mode are usage errors', () => {
    assert.equal(run(['simulate', model, '--assume', 'prefetch=off']).code, 1);
    const bad = run(['simulate', model, '--model', 'refined', '--assume', 'magic=off']);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /'magic' is not an assumption/);
    assert.equal(run(['simulate', model, '--model', 'refined', '--efficiency', 'conv=2']).code, 1);
    assert.equal(run(['simulate', model, '--model', 'oracle']).code, 1);
    const slow = JSON.parse(
      run(['simulate', model, '--json', '--model', 'refined', '--efficiency', 'conv=0.5']).out,
    );
    const fast = JSON.parse(
      run(['simulate', model, '--json', '--model', 'refined', '--efficiency', 'conv=1']).out,
    );
    assert.ok(slow.modes.dense.seconds > fast.modes.dense.seconds, 'a slower kernel costs time');
  });

  it('a broken model: exit 2, one line', () => {
    const r = run(['simulate', tmp.file('bad.onnx', 'garbage')]);
    assert.equal(r.code, 2);
    assert.equal(r.err.split('\n').length, 1);
  });

  it('archs lists every preset; --json gives their parameters', () => {
    const t = run(['archs']);
    assert.equal(t.code, 0);
    for (const n of ['paper-2x2', 'paper-8x8', 'npu-phoenix', 'npu-strix', 've2802'])
      assert.match(t.out, new RegExp(`^${n}\\s`, 'm'));
    const j = JSON.parse(run(['archs', '--json']).out);
    assert.equal(j.length, 10);
    assert.equal(j[2].name, 'paper-4x4');
    assert.equal(j[2].memtileBytes, 524288);
  });
});
