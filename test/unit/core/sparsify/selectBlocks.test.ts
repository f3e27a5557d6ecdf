import { strict as assert } from 'node:assert';
import type { WeightLayout } from '../../../../src/core/blocks/blockGrid';
import { scoreBlocks, type BlockScores } from '../../../../src/core/blocks/blockScores';
import { toFloat32Scan } from '../../../../src/core/onnx/tensorValues';
import {
  emptyRowsCols,
  selectGlobal,
  selectLayer,
  zeroBlocksWanted,
} from '../../../../src/core/sparsify/selectBlocks';
import { matchesPattern, parseTargetsFile } from '../../../../src/core/sparsify/sparsifyOptions';
import { Prng } from '../../../fixtures/prng';

/** A Conv weight [cout, cin, 1, 1] whose 8x8 block (r, c) holds the value f(r, c) everywhere. */
function blockWeights(rows: number, cols: number, f: (r: number, c: number) => number) {
  const cout = rows * 8;
  const cin = cols * 8;
  const values = new Float32Array(cout * cin);
  for (let o = 0; o < cout; o++)
    for (let c = 0; c < cin; c++) values[o * cin + c] = f(Math.floor(o / 8), Math.floor(c / 8));
  const layout: WeightLayout = {
    groups: 1,
    coutPerGroup: cout,
    cinPerGroup: cin,
    kernel: 1,
    groupStride: 0,
    outStride: cin,
    inStride: 1,
  };
  return { values, layout };
}

function scores(
  rows: number,
  cols: number,
  f: (r: number, c: number) => number,
  criterion: 'l2' | 'l1' | 'variance' = 'l2',
): BlockScores {
  const { values, layout } = blockWeights(rows, cols, f);
  return scoreBlocks(toFloat32Scan(values), layout, { out: 8, in: 8 }, criterion);
}

const zeros = (m: Uint8Array) => m.reduce((a, z) => a + z, 0);

describe('block selection', () => {
  it('zero blocks per layer = floor(target x blocks), already-zero blocks counted', () => {
    assert.equal(zeroBlocksWanted(0.5, 7), 3);
    assert.equal(zeroBlocksWanted(0.29, 100), 29, 'no floating-point shortfall');
    assert.equal(zeroBlocksWanted(0.95, 20), 19);
    const s = scores(4, 5, (r, c) => (r === 0 && c < 3 ? 0 : 1 + r * 5 + c)); // 3 blocks already zero
    assert.equal(zeros(s.zero), 3);
    for (const [target, expected] of [
      [0, 3],
      [0.1, 3],
      [0.25, 5],
      [0.5, 10],
      [0.95, 19],
    ] as const) {
      assert.equal(zeros(selectLayer(s, target, false)), expected, `target ${target}`);
    }
  });

  it('zeroes the lowest-scoring blocks first (L2), ties by block index', () => {
    const s = scores(2, 4, (r, c) => [5, 1, 3, 2, 8, 1, 7, 6][r * 4 + c]);
    // the four lowest: 1 (block 1), 1 (block 5, later index), 2 (block 3), 3 (block 2)
    assert.deepEqual(Array.from(selectLayer(s, 0.5, false)), [0, 1, 1, 1, 0, 1, 0, 0]);
  });

  it('per layer: the same blocks as a full sort (NaN and infinite scores last, ties by index)', () => {
    // the selection picks a threshold instead of sorting: a sort of every non-zero block by
    // (score, index) is the reference it must agree with, block for block
    const rng = new Prng(11);
    const values = [0.5, 1, 1, 2, 3, Infinity, NaN]; // few distinct values: many ties
    for (let trial = 0; trial < 300; trial++) {
      const rows = 1 + rng.int(6);
      const cols = 1 + rng.int(9);
      const n = rows * cols;
      const zero = Uint8Array.from({ length: n }, () => (rng.int(4) === 0 ? 1 : 0));
      const score = Float64Array.from({ length: n }, (_, b) =>
        zero[b] ? 0 : values[rng.int(values.length)],
      );
      const s: BlockScores = { rows, cols, groups: 1, score, normalised: score, zero };
      const target = [0, 0.1, 0.3, 0.5, 0.75, 0.95][rng.int(6)];
      const rank = (b: number) => (Number.isNaN(score[b]) ? Infinity : score[b]);
      const open = [...Array(n).keys()]
        .filter((b) => !zero[b])
        .sort((a, b) => rank(a) - rank(b) || a - b);
      const need = zeroBlocksWanted(target, n) - zeros(zero);
      const expected = Uint8Array.from(zero);
      for (const b of open.slice(0, Math.max(0, need))) expected[b] = 1;
      assert.deepEqual(
        Array.from(selectLayer(s, target, false)),
        Array.from(expected),
        `trial ${trial}: ${rows}x${cols}, target ${target}, scores ${Array.from(score)}`,
      );
    }
  });

  it('L1 and variance rank blocks differently from L2', () => {
    // block 0: constant 2 (zero variance, large norm); block 1: alternating ±1 (variance 1, smaller L1)
    const { layout } = blockWeights(1, 2, () => 1);
    const values = new Float32Array(8 * 16);
    for (let o = 0; o < 8; o++)
      for (let c = 0; c < 16; c++) values[o * 16 + c] = c < 8 ? 2 : (o + c) % 2 ? 1 : -1;
    const pick = (criterion: 'l2' | 'l1' | 'variance') =>
      Array.from(
        selectLayer(
          scoreBlocks(toFloat32Scan(values), layout, { out: 8, in: 8 }, criterion),
          0.5,
          false,
        ),
      );
    assert.deepEqual(pick('l2'), [0, 1]);
    assert.deepEqual(pick('l1'), [0, 1]);
    assert.deepEqual(pick('variance'), [1, 0]);
  });

  it('keep-rows-cols leaves a non-zero block in every block-row and block-column', () => {
    const s = scores(3, 3, (r, c) => (c === 0 ? 0.1 : 10 + r + c)); // column 0 scores lowest
    const m = selectLayer(s, 0.95, true);
    for (let r = 0; r < 3; r++)
      assert.ok(
        [0, 1, 2].some((c) => !m[r * 3 + c]),
        `row ${r}`,
      );
    for (let c = 0; c < 3; c++)
      assert.ok(
        [0, 1, 2].some((r) => !m[r * 3 + c]),
        `column ${c}`,
      );
    assert.ok(zeros(m) < zeroBlocksWanted(0.95, 9), 'the constraint wins over the target');
    assert.equal(zeros(selectLayer(s, 0.95, false)), 8);
  });

  it('global scope: one threshold over normalised scores, total = floor(target x all blocks)', () => {
    // uneven layer: blocks 100, 100, 1000, 1000 → normalised 0.14, 0.14, 1.41, 1.41; flat: all 1
    const uneven = scores(2, 2, (r) => (r === 0 ? 100 : 1000));
    const flat = scores(2, 2, () => 1);
    const quarter = selectGlobal([uneven, flat], 0.25, false);
    assert.deepEqual(
      [zeros(quarter[0]), zeros(quarter[1])],
      [2, 0],
      'scale does not matter, unevenness does',
    );
    const half = selectGlobal([uneven, flat], 0.5, false);
    assert.equal(zeros(half[0]) + zeros(half[1]), 4);
  });

  it('global scope: no layer is zeroed past the ceiling; the rest is found elsewhere', () => {
    // one strong block among 15 weak ones: normalised by its layer, the weak ones score lowest
    // of all, and one threshold would leave that layer 1 block in 16 (ResNet-50 layer1.0.conv2)
    const uneven = scores(4, 4, (r, c) => (r === 3 && c === 3 ? 100 : 1));
    const flat = scores(4, 4, () => 1);
    const free = selectGlobal([uneven, flat], 0.5, false);
    assert.deepEqual([zeros(free[0]), zeros(free[1])], [15, 1], 'without a ceiling');
    assert.deepEqual(emptyRowsCols(uneven, free[0]), { rows: 3, cols: 3 });
    const capped = selectGlobal([uneven, flat], 0.5, false, 0.75);
    assert.deepEqual(
      [zeros(capped[0]), zeros(capped[1])],
      [12, 4],
      'at most 12 of 16; the rest elsewhere',
    );
  });

  it('patterns and per-layer targets files', () => {
    assert.ok(matchesPattern('/layer1/layer1.0/conv1/Conv', '/layer1/*'));
    assert.ok(matchesPattern('fc', 'fc'));
    assert.ok(!matchesPattern('fc2', 'fc'));
    assert.ok(matchesPattern('a.b', 'a?b'));
    assert.ok(!matchesPattern('axb', 'a.b'), 'dots are literal');
    assert.deepEqual(
      parseTargetsFile('# targets\n/conv1/Conv 0.25\n\n/layer4/* .75 # deep layers\n'),
      [
        ['/conv1/Conv', 0.25],
        ['/layer4/*', 0.75],
      ],
    );
    assert.match(String(parseTargetsFile('a 0.5\nb\n')), /line 2/);
    assert.match(String(parseTargetsFile('a 0.99\n')), /outside/);
  });
});
