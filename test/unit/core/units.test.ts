import { strict as assert } from 'node:assert';
import { formatShare } from '../../../src/core/units';

describe('formatShare', () => {
  it('never rounds a share up to a whole it is not, nor down to nothing', () => {
    // the sample ResNet-50 at quarter width: 320 of 11,059,520 MACs are the cut classifier's
    assert.equal(formatShare(11_059_200, 11_059_520), '99.9%');
    assert.equal(formatShare(4_087_136_256, 4_089_184_256), '99.9%');
    assert.equal(formatShare(3, 100_000), '< 0.1%');
    assert.equal(formatShare(487, 1000), '48.7%');
    assert.equal(formatShare(5, 5), '100%');
    assert.equal(formatShare(0, 5), '0%');
    assert.equal(formatShare(0, 0), '100%', 'nothing to run is all run');
  });
});
