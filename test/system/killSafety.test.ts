import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PARTIAL_SUFFIX, sweepPartials, writeFileAtomic } from '../../src/node/atomicWrite';
import { resnet50 } from '../fixtures/models';
import { Prng } from '../fixtures/prng';
import { tempDir } from '../support/tempDir';

/**
 * The CLI killed at any moment of a write (SIGKILL: nothing can clean up) leaves the input as
 * it was and no partial output: the output is absent or whole, and the hidden temporary file a
 * kill leaves behind is removed by the next write.
 */
const CLI = path.resolve('bin/blocksparse.js');
const sha = (file: string) =>
  crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const partials = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith(PARTIAL_SUFFIX));

/** Starts the CLI and kills it with `signal` once `when` says so (or it ends by itself). */
function runAndKill(
  args: string[],
  dir: string,
  when: { afterMs: number } | 'partial-appears',
  signal: NodeJS.Signals = 'SIGKILL',
): Promise<{ killed: boolean; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: 'ignore' });
    let finished = false;
    let killed = false;
    child.on('exit', (code) => {
      finished = true;
      resolve({ killed, code });
    });
    const kill = () => {
      if (!finished) killed = child.kill(signal);
    };
    if (when === 'partial-appears') {
      const poll = () => {
        if (finished) return;
        if (partials(dir).length > 0) kill();
        else setImmediate(poll);
      };
      poll();
    } else setTimeout(kill, when.afterMs);
  });
}

describe('kill safety of the CLI writes (SIGKILL mid-write)', function () {
  this.timeout(240_000);
  let tmp: ReturnType<typeof tempDir>;
  let r50: string;
  before(() => {
    tmp = tempDir('bss-kill-');
    r50 = tmp.file('r50.onnx', resnet50({ zeroFraction: 0 }).bytes);
  });
  after(() => tmp.remove());

  /** Runs `args` uninterrupted once; returns the wall time and the hashes of `outputs`. */
  function reference(args: string[], outputs: string[]) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const ms = performance.now() - t;
    const hashes = outputs.map(sha);
    for (const o of outputs) fs.rmSync(o);
    return { ms, hashes };
  }

  async function killRepeatedly(
    name: string,
    args: string[],
    input: string[],
    outputs: string[],
    runs: number,
  ) {
    const inputHashes = input.map(sha);
    const ref = reference(args, outputs);
    const rng = new Prng(42);
    let midWrite = 0;
    for (let i = 0; i < runs; i++) {
      // every other run waits for the temporary file (killed mid-write for sure), the others
      // die at a random moment of the run: start-up, reading, computing, writing, renaming
      const when = i % 2 === 0 ? 'partial-appears' : { afterMs: rng.next() * ref.ms * 1.1 };
      const { killed } = await runAndKill(args, tmp.dir, when);
      if (killed && when === 'partial-appears') midWrite++;
      assert.deepEqual(input.map(sha), inputHashes, `${name} run ${i}: the input changed`);
      outputs.forEach((o, k) => {
        if (fs.existsSync(o)) {
          assert.equal(sha(o), ref.hashes[k], `${name} run ${i}: ${path.basename(o)} is partial`);
        }
      });
      // what a kill leaves is hidden, marked partial, and swept by the next write
      for (const o of outputs) sweepPartials(o);
      assert.deepEqual(partials(tmp.dir), [], `${name} run ${i}: leftovers not swept`);
      for (const o of outputs) fs.rmSync(o, { force: true });
    }
    assert.ok(midWrite >= runs / 4, `${name}: only ${midWrite} runs were killed mid-write`);
  }

  it('sparsify of a 97 MiB model: input identical, output absent or whole', async () => {
    const out = path.join(tmp.dir, 'r50.sparse.onnx');
    await killRepeatedly('sparsify', ['sparsify', r50, '--out', out], [r50], [out], 12);
  });

  it('sparsify with external data: the data file and the model each absent or whole', async () => {
    const f = resnet50({ zeroFraction: 0, storage: 'external' });
    assert.ok(f.externalData);
    const data = tmp.file('weights.bin', f.externalData);
    const input = tmp.file('ext.onnx', f.bytes);
    const out = path.join(tmp.dir, 'ext.sparse.onnx');
    await killRepeatedly(
      'sparsify (external data)',
      ['sparsify', input, '--out', out],
      [input, data],
      [out, `${out}.data`],
      8,
    );
  });

  it('the Chrome trace export (simulate --trace): absent or whole', async () => {
    const trace = path.join(tmp.dir, 'r50.trace.json');
    await killRepeatedly('trace', ['simulate', r50, '--trace', trace], [r50], [trace], 8);
  });

  it('a kill on an existing output (--force) leaves the old output or the whole new one', async () => {
    const fresh = path.join(tmp.dir, 'fresh.onnx');
    const [whole] = reference(['sparsify', r50, '--out', fresh], [fresh]).hashes;
    const out = path.join(tmp.dir, 'old.onnx');
    const old = 'the previous output';
    let keptOld = 0;
    for (let i = 0; i < 4; i++) {
      fs.writeFileSync(out, old);
      await runAndKill(['sparsify', r50, '--out', out, '--force'], tmp.dir, 'partial-appears');
      const now = fs.readFileSync(out);
      if (now.toString() === old) keptOld++;
      else assert.equal(sha(out), whole, `run ${i}: neither the old output nor the whole new one`);
      sweepPartials(out);
    }
    assert.ok(keptOld > 0, 'at least one kill landed before the rename');
  });
});

describe('atomic writes and the sweep of leftovers', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.remove());

  it('removes leftovers of dead writers, keeps a live writer’s and other files', () => {
    const target = path.join(tmp.dir, 'out.json');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    }).stdout;
    const deadFile = tmp.file(`.out.json.${dead}.abcd${PARTIAL_SUFFIX}`, 'x');
    const liveFile = tmp.file(`.out.json.${process.pid}.abcd${PARTIAL_SUFFIX}`, 'x');
    const other = tmp.file(`.other.json.${dead}.abcd${PARTIAL_SUFFIX}`, 'x');
    const plain = tmp.file('.out.json.notes', 'x');
    assert.deepEqual(sweepPartials(target), [deadFile]);
    for (const f of [liveFile, other, plain]) assert.ok(fs.existsSync(f), f);
  });

  it('writeFileAtomic replaces the target whole and leaves no temporary file', () => {
    const target = tmp.file('t.json', 'old');
    writeFileAtomic(target, 'new contents');
    assert.equal(fs.readFileSync(target, 'utf8'), 'new contents');
    assert.deepEqual(partials(tmp.dir), []);
  });

  it('a failed write leaves the old target and no temporary file', () => {
    const target = tmp.file('dir-target/x', 'x');
    // the target's folder becomes a file: the write fails
    fs.rmSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(path.dirname(target), 'a file');
    assert.throws(() => writeFileAtomic(target, 'data'));
    assert.deepEqual(partials(tmp.dir), []);
  });
});
