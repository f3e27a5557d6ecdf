import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { run } from '../../support/runCli';
import { COMMANDS } from '../../../src/cli/main';
import { resnetMini } from '../../fixtures/models';
import { Prng } from '../../fixtures/prng';
import { oneConvModel } from '../../fixtures/specialModels';
import { tempDir } from '../../support/tempDir';

const LAYER_KEYS = [
  'name',
  'op',
  'weight',
  'weightKind',
  'weightShape',
  'group',
  'params',
  'macs',
  'inputShape',
  'outputShape',
  'blocks',
  'zeroBlocks',
  'blockSparsity',
  'elementSparsity',
  'denseBytesInt8',
  'compressedBytesInt8',
  'sparsifiable',
];
const TOTAL_KEYS = [
  'layers',
  'params',
  'macs',
  'blocks',
  'zeroBlocks',
  'denseBytesInt8',
  'compressedBytesInt8',
];

describe('blocksparse CLI', () => {
  let tmp: ReturnType<typeof tempDir>;
  before(() => (tmp = tempDir()));
  after(() => tmp.remove());

  it('analyze --json: exact keys, planted zero blocks, totals', () => {
    const f = resnetMini();
    const r = run(['analyze', tmp.file('mini.onnx', f.bytes), '--json']);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out);
    assert.equal(json.layers.length, f.truths.length);
    for (const l of json.layers) assert.deepEqual(Object.keys(l), LAYER_KEYS);
    assert.deepEqual(Object.keys(json.totals), TOTAL_KEYS);
    assert.deepEqual(
      json.layers.map((l: { zeroBlocks: number }) => l.zeroBlocks),
      f.truths.map((t) => t.zeroBlocks),
    );
    assert.deepEqual(
      json.layers.map((l: { macs: number }) => l.macs),
      f.truths.map((t) => t.macs),
    );
    assert.equal(
      json.totals.zeroBlocks,
      f.truths.reduce((a, t) => a + t.zeroBlocks, 0),
    );
    assert.ok(Array.isArray(json.diagnostics));
  });

  it('analyze: an aligned table with a totals line', () => {
    const f = resnetMini();
    const r = run(['analyze', tmp.file('mini-table.onnx', f.bytes)]);
    assert.equal(r.code, 0);
    const lines = r.out.split('\n');
    const header = lines.findIndex((l) => l.startsWith('Layer '));
    assert.ok(header > 0);
    const rows = lines.slice(header + 2, header + 2 + f.truths.length);
    assert.deepEqual(
      rows.map((l) => l.split(/\s+/)[0]),
      f.truths.map((t) => t.name),
    );
    // aligned: the MACs column ends at the same position in every row
    const macsEnd = lines[header].indexOf('MACs') + 4;
    for (const row of rows) assert.match(row.slice(macsEnd - 1, macsEnd), /\d|K|M|G/);
    assert.match(lines[lines.length - 1], /^Total: 7 layers, .* MACs, \d+\/\d+ zero blocks/);
  });

  it('--block, --input and --dynamic-dim change the analysis', () => {
    const f = resnetMini();
    const file = tmp.file('mini-opts.onnx', f.bytes);
    const b4 = JSON.parse(run(['analyze', file, '--json', '--block', '4x4']).out);
    const b8 = JSON.parse(run(['analyze', file, '--json']).out);
    assert.equal(b4.block, '4x4');
    assert.ok(b4.totals.blocks > b8.totals.blocks);
    const big = JSON.parse(run(['analyze', file, '--json', '--input', 'image=1x3x64x64']).out);
    type L = { op: string; macs: number };
    const convMacs = (j: { layers: L[] }) =>
      j.layers.filter((l) => l.op === 'Conv').reduce((a, l) => a + l.macs, 0);
    assert.equal(convMacs(big), 4 * convMacs(b8), 'conv MACs scale with the input area');
    assert.equal(
      big.layers.at(-1).macs,
      b8.layers.at(-1).macs,
      'the head after global pooling does not',
    );
    const dyn = oneConvModel({ float_data: new Array(64).fill(1) }, ['N', 8, 'H', 'W']);
    const d = JSON.parse(
      run(['analyze', tmp.file('dyn.onnx', dyn), '--json', '--dynamic-dim', '10']).out,
    );
    assert.equal(d.layers[0].macs, 8 * 8 * 100);
    assert.equal(d.diagnostics[0].code, 'BS2002');
  });

  const broken: [string, () => Uint8Array | string, RegExp][] = [
    ['an empty file', () => new Uint8Array(0), /empty/],
    ['a truncated file', () => resnetMini().bytes.subarray(0, 5000), /truncated|corrupt|no graph/],
    ['random bytes', () => new Uint8Array(4096).map((_, i) => new Prng(i).int(256)), /./],
    ['a text file', () => 'this is not a model\n', /text file/],
  ];
  for (const [what, make, reason] of broken) {
    it(`${what}: exit 2, one line naming the file and the reason`, () => {
      const file = tmp.file(`broken-${what.replace(/\W/g, '')}.onnx`, make());
      const r = run(['analyze', file]);
      assert.equal(r.code, 2);
      assert.equal(r.out, '');
      assert.equal(r.err.split('\n').length, 1);
      assert.ok(r.err.includes(file));
      assert.match(r.err, reason);
      assert.doesNotMatch(r.err, /\n\s+at /);
    });
  }

  it('external data outside the folder and a missing external file: exit 2', () => {
    for (const [location, code] of [
      ['../outside.bin', 'BS1010'],
      ['missing.bin', 'BS1011'],
    ]) {
      const f = resnetMini({ storage: 'external', externalLocation: location });
      const r = run(['analyze', tmp.file(`ext-${code}.onnx`, f.bytes)]);
      assert.equal(r.code, 2);
      assert.match(r.err, new RegExp(code));
    }
  });

  it('bad command lines exit 1 with a hint', () => {
    for (const args of [
      ['analyze'],
      ['analyze', 'a.onnx', '--block', 'big'],
      ['frobnicate'],
      ['analyze', 'a.onnx', '--nope'],
    ]) {
      const r = run(args);
      assert.equal(r.code, 1, args.join(' '));
      assert.match(r.err, /blocksparse --help/);
    }
  });

  it('--help documents every command and option', () => {
    const r = run(['--help']);
    assert.equal(r.code, 0);
    for (const word of ['analyze', '--json', '--block', '--input', '--dynamic-dim', 'Exit codes'])
      assert.ok(r.out.includes(word), word);
    for (const command of Object.keys(COMMANDS))
      assert.match(r.out, new RegExp(`blocksparse ${command}\\b`), `${command} is in the usage`);
    for (const option of ['--masks-out', '--target', '--scope', '--verify', '--arch', '--trace'])
      assert.ok(r.out.includes(option), option);
  });

  it('the built bin runs as a process (npx blocksparse)', () => {
    const bin = path.resolve('bin/blocksparse.js');
    const ok = spawnSync(
      process.execPath,
      [bin, 'analyze', tmp.file('bin.onnx', resnetMini().bytes), '--json'],
      { encoding: 'utf8' },
    );
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).totals.layers, 7);
    const bad = spawnSync(process.execPath, [bin, 'analyze', tmp.file('bin-bad.onnx', 'garbage')], {
      encoding: 'utf8',
    });
    assert.equal(bad.status, 2);
    assert.equal(bad.stderr.trim().split('\n').length, 1);
  });
});
