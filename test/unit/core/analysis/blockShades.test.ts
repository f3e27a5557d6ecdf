import { strict as assert } from 'node:assert';
import { blockShades } from '../../../../src/core/analysis/blockShades';
import type { WeightLayout } from '../../../../src/core/blocks/blockGrid';
import { resnetMini } from '../../../fixtures/models';
import { analyzeBytes } from '../../../support/analyzeBytes';

/** A 16x16x1x1 weight: block (r, c) filled with the constant value[r][c]. */
function weight(value: number[][]): { scan: DataView; layout: WeightLayout } {
  const w = new Float32Array(16 * 16);
  for (let o = 0; o < 16; o++) for (let c = 0; c < 16; c++) w[o * 16 + c] = value[o >> 3][c >> 3];
  const layout: WeightLayout = {
    groups: 1,
    coutPerGroup: 16,
    cinPerGroup: 16,
    kernel: 1,
    groupStride: 256,
    outStride: 16,
    inStride: 1,
  };
  return { scan: new DataView(w.buffer), layout };
}

describe('blockShades (heat-map shading by block RMS)', () => {
  it('zero blocks get 0, the strongest block 255, others in proportion to their RMS', () => {
    const { scan, layout } = weight([
      [0, 2],
      [-1, 0.5],
    ]);
    assert.deepEqual(Array.from(blockShades(scan, layout, { out: 8, in: 8 })), [0, 255, 128, 64]);
  });

  it('a tiny non-zero block is still visibly non-zero (shade ≥ 1)', () => {
    const { scan, layout } = weight([
      [1e-9, 1],
      [1, 1],
    ]);
    assert.equal(blockShades(scan, layout, { out: 8, in: 8 })[0], 1);
  });

  it('the analysis fills blockShade only when asked, consistent with the mask', () => {
    const bytes = resnetMini({ zeroFraction: 0.5 }).bytes;
    assert.equal(analyzeBytes(bytes).layers[0].detail.blockShade, undefined);
    for (const l of analyzeBytes(bytes, { blockShades: true }).layers) {
      const shade = l.detail.blockShade;
      assert.ok(shade, l.name);
      assert.deepEqual(
        Array.from(shade, (s) => (s > 0 ? 1 : 0)),
        Array.from(l.detail.blockMask),
        l.name,
      );
      assert.equal(Math.max(...shade), 255, `${l.name}: the strongest block is fully dark`);
    }
  });
});
