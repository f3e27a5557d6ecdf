import { strict as assert } from 'node:assert';
import { indexRanges } from '../../../webview/indexRanges';

describe('block mask table (webview, pure parts)', () => {
  it('lists zero block columns as ranges', () => {
    assert.equal(indexRanges([0, 1, 2, 5, 7, 8]), '0–2, 5, 7–8');
    assert.equal(indexRanges([3]), '3');
    assert.equal(indexRanges([]), '');
    assert.equal(indexRanges([0, 2, 4]), '0, 2, 4');
  });
});
