import { strict as assert } from 'node:assert';
import { compareOutputs } from '../../../../src/core/sparsify/outputAgreement';

describe('output agreement figures', () => {
  it('identical outputs: no difference, cosine 1, full agreement', () => {
    const a = [Float32Array.from([0.1, 0.7, 0.2, 0, 0, 0.5])];
    const o = compareOutputs('y', [1, 6], a, a);
    assert.deepEqual([o.maxAbsDiff, o.relativeL2, o.top1, o.top5, o.finite], [0, 0, 1, 1, true]);
    assert.ok(Math.abs(o.cosine - 1) < 1e-12);
  });

  it('max |Δ|, relative L2, cosine and top-k by hand', () => {
    const a = [Float32Array.from([3, 4])];
    const b = [Float32Array.from([4, 3])];
    const o = compareOutputs('y', [1, 2], a, b);
    assert.equal(o.maxAbsDiff, 1);
    assert.ok(Math.abs(o.relativeL2 - Math.sqrt(2) / 5) < 1e-12);
    assert.ok(Math.abs(o.cosine - 24 / 25) < 1e-12);
    assert.equal(o.top1, 0, 'argmax moved from class 1 to class 0');
    assert.equal(o.top5, null, 'two classes: no top-5');
    const map = compareOutputs('map', [1, 1, 4, 4], [new Float32Array(16)], [new Float32Array(16)]);
    assert.equal(map.top1, null, 'not classifier-shaped');
  });

  it('non-finite values the original does not have are flagged', () => {
    const o = compareOutputs(
      'y',
      [3],
      [Float32Array.from([1, 2, 3])],
      [Float32Array.from([1, NaN, 3])],
    );
    assert.equal(o.finite, false);
  });
});
