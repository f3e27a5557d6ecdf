import { strict as assert } from 'node:assert';
import { countOnes } from '../../../../src/core/blocks/countOnes';
import { Prng } from '../../../fixtures/prng';

describe('countOnes (0/1 masks four bytes a word)', () => {
  it('agrees with a byte-by-byte count at every length and word alignment', () => {
    // views at offsets 0-3 of one buffer: the word loop runs only on aligned views, the byte
    // loop takes the rest and the tail; all-ones words check that no byte sum carries out
    const rng = new Prng(5);
    const buffer = new Uint8Array(300);
    for (const density of [0, 0.5, 1]) {
      for (let i = 0; i < buffer.length; i++) buffer[i] = rng.next() < density ? 1 : 0;
      for (let offset = 0; offset < 4; offset++)
        for (let length = 0; length <= 37; length++) {
          const mask = buffer.subarray(offset, offset + length);
          let expected = 0;
          for (const v of mask) expected += v;
          assert.equal(countOnes(mask), expected, `density ${density}, ${offset}+${length}`);
        }
      const whole = buffer.subarray(0, 296);
      assert.equal(
        countOnes(whole),
        whole.reduce((a, v) => a + v, 0),
        `density ${density}`,
      );
    }
  });
});
