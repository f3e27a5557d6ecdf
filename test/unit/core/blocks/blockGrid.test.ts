import { strict as assert } from 'node:assert';
import {
  parseBlockShape,
  scanBlocks,
  type BlockShape,
} from '../../../../src/core/blocks/blockGrid';
import { depthwiseNet, inceptionBlock } from '../../../fixtures/models';
import { Prng } from '../../../fixtures/prng';
import { analyzeBytes } from '../../../support/analyzeBytes';
import { decodeModel } from '../../../../src/core/onnx/decodeModel';
import { readTensorValues, toFloat32Scan } from '../../../../src/core/onnx/tensorValues';

/** The definition, written as plainly as possible: W[o][c][k] over blocks of (o, c) per group. */
function referenceZeroBlocks(w: ArrayLike<number>, dims: number[], group: number, b: BlockShape) {
  const [cout, cinG] = dims;
  const k = dims.slice(2).reduce((x, y) => x * y, 1);
  const coutG = cout / group;
  let blocks = 0;
  let zero = 0;
  let nonZeroElements = 0;
  for (let g = 0; g < group; g++) {
    for (let r = 0; r < coutG; r += b.out) {
      for (let c = 0; c < cinG; c += b.in) {
        blocks++;
        let allZero = true;
        let size = 0;
        for (let o = r; o < Math.min(r + b.out, coutG); o++)
          for (let i = c; i < Math.min(c + b.in, cinG); i++)
            for (let j = 0; j < k; j++) {
              size++;
              if (w[((g * coutG + o) * cinG + i) * k + j] !== 0) allZero = false;
            }
        if (allZero) zero++;
        else nonZeroElements += size;
      }
    }
  }
  return { blocks, zero, nonZeroElements };
}

describe('block grid', () => {
  it('parses block shapes', () => {
    assert.deepEqual(parseBlockShape('8x8'), { out: 8, in: 8 });
    assert.deepEqual(parseBlockShape(' 16X4 '), { out: 16, in: 4 });
    assert.equal(parseBlockShape('8'), undefined);
    assert.equal(parseBlockShape('0x8'), undefined);
    assert.equal(parseBlockShape('8x8x8'), undefined);
  });

  it('partial edge blocks count as blocks and cost their real size', () => {
    // Cout 10, Cin 12, 3x3: 2 x 2 blocks; the corner block is 2 x 4 channels
    const w = new Float32Array(10 * 12 * 9).fill(1);
    const layout = {
      groups: 1,
      coutPerGroup: 10,
      cinPerGroup: 12,
      kernel: 9,
      groupStride: 0,
      outStride: 108,
      inStride: 9,
    };
    // zero the corner block (o 8..9, c 8..11)
    for (let o = 8; o < 10; o++)
      for (let c = 8; c < 12; c++) w.fill(0, (o * 12 + c) * 9, (o * 12 + c + 1) * 9);
    const g = scanBlocks(toFloat32Scan(w), layout, { out: 8, in: 8 });
    assert.equal(g.blocks, 4);
    assert.equal(g.zeroBlocks, 1);
    assert.equal(g.zeroElements, 2 * 4 * 9);
    assert.equal(g.nonZeroBlockElements, 10 * 12 * 9 - 2 * 4 * 9);
    assert.deepEqual(Array.from(g.nonZero), [1, 1, 1, 0]);
  });

  it('a block with a single non-zero weight is not zero', () => {
    const w = new Float32Array(8 * 8 * 9);
    w[8 * 8 * 9 - 1] = 1e-30;
    const layout = {
      groups: 1,
      coutPerGroup: 8,
      cinPerGroup: 8,
      kernel: 9,
      groupStride: 0,
      outStride: 72,
      inStride: 9,
    };
    assert.equal(scanBlocks(toFloat32Scan(w), layout, { out: 8, in: 8 }).zeroBlocks, 0);
    w[8 * 8 * 9 - 1] = -0;
    assert.equal(
      scanBlocks(toFloat32Scan(w), layout, { out: 8, in: 8 }).zeroBlocks,
      1,
      '-0 is zero',
    );
  });

  for (const block of ['4x4', '16x16', '8x4', '4x8', '3x5']) {
    it(`block ${block} matches the reference definition on every layer`, () => {
      const b = parseBlockShape(block);
      assert.ok(b);
      for (const f of [inceptionBlock({ zeroFraction: 0.6 }), depthwiseNet()]) {
        const model = decodeModel(f.bytes).model;
        assert.ok(model);
        const report = analyzeBytes(f.bytes, { block: b });
        for (const l of report.layers) {
          const t = model.graph.initializers.get(l.weight);
          assert.ok(t);
          const values = readTensorValues(t, undefined, null);
          assert.ok(!('code' in values));
          const ref = referenceZeroBlocks(values, [...t.dims], l.group, b);
          assert.equal(l.blocks, ref.blocks, `${l.name} blocks`);
          assert.equal(l.zeroBlocks, ref.zero, `${l.name} zero blocks`);
        }
      }
    });
  }

  it('random sparse weights agree with the reference (grouped layout)', () => {
    const rng = new Prng(4);
    for (let trial = 0; trial < 40; trial++) {
      const group = 1 + rng.int(3);
      // half the trials in whole blocks (channels a multiple of 8), which are counted apart
      const whole = trial % 2 === 1;
      const coutG = whole ? 8 * (1 + rng.int(5)) : 1 + rng.int(20);
      const cinG = whole ? 8 * (1 + rng.int(5)) : 1 + rng.int(20);
      const k = 1 + rng.int(9);
      const w = new Float32Array(group * coutG * cinG * k).map(() => (rng.next() < 0.9 ? 0 : 1));
      const layout = {
        groups: group,
        coutPerGroup: coutG,
        cinPerGroup: cinG,
        kernel: k,
        groupStride: coutG * cinG * k,
        outStride: cinG * k,
        inStride: k,
      };
      const got = scanBlocks(toFloat32Scan(w), layout, { out: 8, in: 8 });
      const ref = referenceZeroBlocks(w, [group * coutG, cinG, k], group, { out: 8, in: 8 });
      assert.equal(got.blocks, ref.blocks);
      assert.equal(got.zeroBlocks, ref.zero);
      assert.equal(got.nonZeroBlockElements, ref.nonZeroElements);
    }
  });
});
