import { strict as assert } from 'node:assert';
import { kthSmallest } from '../../../../src/core/sparsify/selectBlocks';
import { Prng } from '../../../fixtures/prng';

describe('kthSmallest (selection of the block-score threshold)', () => {
  it('agrees with a full sort for every k, with ties, duplicates and sorted inputs', () => {
    const rng = new Prng(3);
    const inputs: number[][] = [
      [5],
      [2, 1],
      [1, 1, 1, 1],
      Array.from({ length: 200 }, (_, i) => i),
      Array.from({ length: 200 }, (_, i) => 200 - i),
      Array.from({ length: 500 }, () => rng.int(7)),
      Array.from({ length: 1000 }, () => rng.next() * 10 - 5),
      [Infinity, 0, -0, 3, Infinity, -Infinity],
    ];
    for (const input of inputs) {
      const sorted = Float64Array.from(input).sort();
      for (let k = 0; k < input.length; k++) {
        assert.equal(
          kthSmallest(Float64Array.from(input), k),
          sorted[k],
          `k=${k} of ${input.length}`,
        );
      }
    }
  });

  it('400,000 scores: the same threshold as sorting', () => {
    const rng = new Prng(9);
    const a = Float64Array.from({ length: 400_000 }, () => rng.next());
    const sorted = Float64Array.from(a).sort();
    assert.equal(kthSmallest(a, 200_000), sorted[200_000]);
  });
});
