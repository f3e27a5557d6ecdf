import { strict as assert } from 'node:assert';
import { parseArchitecture } from '../../../../src/core/target/architecture';
import { ARCHITECTURE_PRESETS, findPreset } from '../../../../src/core/target/presets';

describe('architectures as data', () => {
  it('has the seven paper arrays and the NPU / Versal presets', () => {
    assert.deepEqual(
      ARCHITECTURE_PRESETS.map((a) => a.name),
      [
        'paper-2x2',
        'paper-3x3',
        'paper-4x4',
        'paper-5x5',
        'paper-6x6',
        'paper-7x7',
        'paper-8x8',
        'npu-phoenix',
        'npu-strix',
        've2802',
      ],
    );
    const p4 = findPreset('paper-4x4');
    assert.deepEqual(
      [p4?.columns, p4?.rows, p4?.memtileBytes, p4?.memtiles, p4?.clockHz],
      [4, 4, 512 * 1024, 'shared', 1e9],
    );
    assert.equal(p4?.ddrChannelBytesPerSecond, 4 * 2 ** 30);
    assert.deepEqual([findPreset('npu-strix')?.columns, findPreset('npu-strix')?.rows], [8, 4]);
    assert.equal(findPreset('ve2802')?.memtilesPerColumn, 2);
  });

  it('parses a custom array with defaults for what it leaves out', () => {
    const a = parseArchitecture({ name: 'mine', columns: 6, rows: 2, memtileKiB: 256 }, 'a.json');
    assert.ok(!Array.isArray(a));
    assert.deepEqual(
      [a.columns, a.rows, a.memtileBytes, a.memtiles, a.clockHz],
      [6, 2, 256 * 1024, 'shared', 1e9],
    );
  });

  it('refuses bad custom arrays with one clear message per problem', () => {
    const bad = parseArchitecture(
      { name: 'x y', columns: 0, rows: 2.5, memtiles: 'both', colums: 3, clockGHz: -1 },
      'a.json',
    );
    assert.ok(Array.isArray(bad));
    const text = bad.map((d) => d.message).join('\n');
    for (const field of [
      "'name'",
      "'columns'",
      "'rows'",
      "'memtiles'",
      "'colums' is not a known field",
      "'clockGHz'",
    ]) {
      assert.ok(text.includes(field), field);
    }
    assert.ok(
      bad.every(
        (d) => d.code === 'BS4010' && d.severity === 'error' && d.message.startsWith('a.json:'),
      ),
    );
    assert.ok(Array.isArray(parseArchitecture([1, 2], 'b.json')));
  });
});
