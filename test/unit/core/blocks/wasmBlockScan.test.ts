import { strict as assert } from 'node:assert';
import {
  scanBlockBands,
  scanBlocks,
  type BlockShape,
  type WeightLayout,
} from '../../../../src/core/blocks/blockGrid';
import { CRITERIA, scoreBlockBands, scoreBlocks } from '../../../../src/core/blocks/blockScores';
import { wasmScanPass, wasmSquares } from '../../../../src/core/blocks/wasmBlockScan';
import { memoryByteSource } from '../../../../src/core/onnx/byteSource';
import { DataType } from '../../../../src/core/onnx/dataTypes';
import { scanArena } from '../../../../src/core/onnx/scanArena';
import { readFloat32BandsInPlace } from '../../../../src/core/onnx/tensorValues';
import { Prng } from '../../../fixtures/prng';

/** Random float32 bit patterns with zeros, -0 and NaNs planted, as raw little-endian bytes. */
function weights(rng: Prng, n: number, zeroBlockish: number): Uint8Array {
  const bits = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    if (r < zeroBlockish)
      bits[i] = rng.next() < 0.5 ? 0 : 0x80000000; // +0 and -0
    else if (r < zeroBlockish + 0.01)
      bits[i] = 0x7fc00000; // NaN: not zero
    else if (r < zeroBlockish + 0.02)
      bits[i] = 1; // the smallest subnormal: not zero
    else bits[i] = Math.floor(rng.next() * 0xffffffff) >>> 0;
  }
  return new Uint8Array(bits.buffer);
}

/** A Conv weight's layout [groups · cout, cin, kernel]: contiguous kernels, groups one after another. */
function convLayout(
  groups: number,
  coutPerGroup: number,
  cinPerGroup: number,
  kernel: number,
): WeightLayout {
  const outStride = cinPerGroup * kernel;
  return {
    groups,
    coutPerGroup,
    cinPerGroup,
    kernel,
    groupStride: coutPerGroup * outStride,
    outStride,
    inStride: kernel,
  };
}

/** Layouts of the kinds the analysis makes: Conv (contiguous kernels), grouped, ConvTranspose, MatMul. */
function layouts(rng: Prng): WeightLayout[] {
  const out: WeightLayout[] = [];
  for (let i = 0; i < 40; i++) {
    const groups = rng.next() < 0.2 ? 1 + Math.floor(rng.next() * 4) : 1;
    const coutPerGroup = 1 + Math.floor(rng.next() * 40);
    const cinPerGroup = 1 + Math.floor(rng.next() * 40);
    const kernel = [1, 1, 3, 9, 2, 5][Math.floor(rng.next() * 6)];
    if (rng.next() < 0.2) {
      // a ConvTranspose weight [in, out, k]: kernels of one output channel lie apart
      out.push({
        groups: 1,
        coutPerGroup,
        cinPerGroup,
        kernel,
        groupStride: 0,
        outStride: kernel,
        inStride: coutPerGroup * kernel,
      });
    } else if (rng.next() < 0.25) {
      // a MatMul weight [in, out]: output channels are the inner dimension
      out.push({
        groups: 1,
        coutPerGroup,
        cinPerGroup,
        kernel: 1,
        groupStride: 0,
        outStride: 1,
        inStride: coutPerGroup,
      });
    } else out.push(convLayout(groups, coutPerGroup, cinPerGroup, kernel));
  }
  return out;
}

const elementsOf = (l: WeightLayout) => l.groups * l.coutPerGroup * l.cinPerGroup * l.kernel;

describe('block scan in WebAssembly (blockScan.wat)', () => {
  const arena = scanArena();
  it('is available in Node', () => assert.ok(arena));

  /** The WebAssembly scan of `bytes` against the JavaScript scan's, mask and zeros. */
  function assertScansAgree(bytes: Uint8Array, layout: WeightLayout, block: BlockShape) {
    const where = `layout ${JSON.stringify(layout)}, block ${JSON.stringify(block)}`;
    // JavaScript: an unaligned view, as raw_data inside a protobuf is
    const unaligned = new Uint8Array(bytes.length + 1).subarray(1);
    unaligned.set(bytes);
    const js = scanBlocks(new DataView(unaligned.buffer, 1, bytes.length), layout, block);
    // WebAssembly: the same bytes in the scan arena
    const inArena = arena!.bytes(bytes.length);
    inArena.set(bytes);
    const view = new DataView(inArena.buffer, 0, bytes.length);
    const probe = new Uint8Array(js.nonZero.length);
    const zeros = wasmScanPass(view, layout, block, js.rows, js.cols, probe);
    assert.equal(zeros, js.zeroElements, `zeros, ${where}`);
    assert.deepEqual(probe, js.nonZero, `mask, ${where}`);
    inArena.set(bytes);
    assert.deepEqual(scanBlocks(view, layout, block), js);
  }

  it('gives the JavaScript scan’s grid, bit for bit, on random layouts, blocks and values', () => {
    const rng = new Prng(11);
    let ran = 0;
    for (const layout of layouts(rng)) {
      const block: BlockShape = { out: [8, 8, 4, 1, 3][ran % 5], in: [8, 4, 8, 1, 5][ran % 5] };
      assertScansAgree(weights(rng, elementsOf(layout), rng.next()), layout, block);
      ran++;
    }
    assert.equal(ran, 40);
  });

  it('streams whole runs of vector pairs (input channels a multiple of the block) bit for bit', () => {
    // the paired loop of blockScan.wat takes Conv weights whose block rows are runs of a
    // multiple of 8 words and whose input channels fill whole blocks; its neighbours (runs
    // of 4 words, a ragged last block column) take the general loop: both sides of the line
    const rng = new Prng(17);
    let ran = 0;
    for (const kernel of [1, 9, 2]) {
      for (const [blockOut, blockIn] of [
        [8, 8],
        [4, 8],
        [8, 4],
        [3, 16],
      ]) {
        for (const cinPerGroup of [8, 16, 64, 20]) {
          for (const groups of [1, 3]) {
            const coutPerGroup = 1 + Math.floor(rng.next() * 24);
            const layout = convLayout(groups, coutPerGroup, cinPerGroup, kernel);
            // whole zero blocks as a sparsified model has them, and blocks with one output
            // channel left (first or last: the OR of a block's rows), between random weights
            const bytes = weights(rng, elementsOf(layout), 0.05);
            const bits = new Uint32Array(bytes.buffer);
            for (let i = 0; i < bits.length; i++) {
              const c = Math.floor(i / kernel) % cinPerGroup;
              const o = Math.floor(i / layout.outStride) % coutPerGroup;
              const kind = (Math.floor(c / blockIn) * 7 + Math.floor(o / blockOut) * 3) % 5;
              const kept = kind === 2 ? 0 : kind === 3 ? blockOut - 1 : -1;
              if (kind < 4 && o % blockOut !== kept) bits[i] = 0;
            }
            assertScansAgree(bytes, layout, { out: blockOut, in: blockIn });
            ran++;
          }
        }
      }
    }
    assert.equal(ran, 96);
  });

  it('leaves views outside the arena to the JavaScript scan', () => {
    const view = new DataView(new ArrayBuffer(64 * 4));
    const layout = {
      groups: 1,
      coutPerGroup: 8,
      cinPerGroup: 8,
      kernel: 1,
      groupStride: 0,
      outStride: 8,
      inStride: 1,
    };
    assert.equal(wasmScanPass(view, layout, { out: 8, in: 8 }, 1, 1, new Uint8Array(1)), undefined);
  });

  it('in bands of block rows: the grid of the whole weight; MatMul layouts are left whole', () => {
    const rng = new Prng(5);
    for (const layout of layouts(rng)) {
      const block = { out: 8, in: 8 };
      const bytes = weights(rng, elementsOf(layout), 0.6);
      const whole = scanBlocks(new DataView(bytes.buffer), layout, block);
      let reads = 0;
      const grid = scanBlockBands(
        {
          byteLength: bytes.length,
          read(offset, length) {
            reads++;
            const band = arena!.bytes(length);
            band.set(bytes.subarray(offset, offset + length));
            return new DataView(band.buffer, 0, length);
          },
        },
        layout,
        block,
      );
      const rowMajor =
        layout.inStride === layout.kernel &&
        layout.outStride === layout.cinPerGroup * layout.kernel;
      if (!rowMajor) {
        assert.equal(grid, undefined);
        continue;
      }
      assert.ok(grid && !('code' in grid));
      assert.deepEqual(grid, whole);
      assert.ok(reads >= layout.groups);
    }
  });

  it('a band that cannot be read is the error, not a grid', () => {
    const layout = {
      groups: 1,
      coutPerGroup: 16,
      cinPerGroup: 8,
      kernel: 1,
      groupStride: 0,
      outStride: 8,
      inStride: 1,
    };
    const grid = scanBlockBands(
      {
        byteLength: 16 * 8 * 4,
        read: () => ({ code: 'BS1000', severity: 'error', message: 'gone', node: null }),
      },
      layout,
      { out: 8, in: 8 },
    );
    assert.ok(grid && 'code' in grid && grid.code === 'BS1000');
  });

  it('block scores in bands (L2 sums in WebAssembly) are the whole weight’s, bit for bit', () => {
    const rng = new Prng(23);
    let summedInWasm = 0;
    for (const layout of layouts(rng)) {
      const n = elementsOf(layout);
      // real weights: small normal-ish floats with planted zeros, and the odd subnormal
      const values = Float32Array.from({ length: n }, () => {
        const r = rng.next();
        return r < 0.3 ? 0 : r < 0.31 ? 1e-42 : (rng.next() - 0.5) * 2 ** (8 * rng.next() - 6);
      });
      const bytes = new Uint8Array(values.buffer);
      for (const criterion of CRITERIA) {
        const block = { out: 8, in: 8 };
        const whole = scoreBlocks(new DataView(bytes.buffer), layout, block, criterion);
        const banded = scoreBlockBands(
          {
            byteLength: bytes.length,
            read(offset, length) {
              const band = arena!.bytes(length);
              band.set(bytes.subarray(offset, offset + length));
              return new DataView(band.buffer, 0, length);
            },
          },
          layout,
          block,
          criterion,
        );
        if (banded === undefined) continue;
        assert.ok(!('code' in banded));
        assert.deepEqual(banded, whole, `${criterion}, layout ${JSON.stringify(layout)}`);
      }
      // the kernel itself ran (and agreed): one group in the arena
      if (layout.groups === 1 && layout.inStride === layout.kernel) {
        const inArena = arena!.bytes(bytes.length);
        inArena.set(bytes);
        const rows = Math.ceil(layout.coutPerGroup / 8);
        const sq = new Float64Array(rows * Math.ceil(layout.cinPerGroup / 8));
        if (
          wasmSquares(new DataView(inArena.buffer, 0, bytes.length), layout, { out: 8, in: 8 }, sq)
        )
          summedInWasm++;
      }
    }
    assert.ok(summedInWasm > 5, `the WebAssembly sums ran (${summedInWasm} layouts)`);
  });

  it('bands read in place (single-pass Sparsify): the same scores, and the weight whole after', () => {
    // weights of several 512 KiB bands: the squares kernel writes each band's sums behind it,
    // in the next band's place, before that band is read over them — and the last band's in
    // the arena's spare bytes, so the weight itself is never touched
    const rng = new Prng(31);
    for (const [cout, cin, kernel] of [
      [256, 128, 9],
      [512, 512, 1],
      [200, 72, 9],
      [1000, 2048, 1],
    ]) {
      const n = cout * cin * kernel;
      const values = Float32Array.from({ length: n }, () =>
        rng.next() < 0.3 ? 0 : (rng.next() - 0.5) * 2 ** (8 * rng.next() - 6),
      );
      const file = new Uint8Array(n * 4 + 40);
      file.set(new Uint8Array(values.buffer), 40); // at an offset of the file, as in a model
      const source = {
        ...memoryByteSource(file),
        readInto: (offset: number, target: Uint8Array) =>
          target.set(file.subarray(offset, offset + target.length)),
      };
      const tensor = {
        name: 'w',
        dataType: DataType.FLOAT,
        dims: [cout, cin, kernel],
        storage: { kind: 'ranged' as const, source, offset: 40, length: n * 4 },
        docString: '',
      };
      const layout = convLayout(1, cout, cin, kernel);
      const bands = readFloat32BandsInPlace(tensor, null);
      assert.ok(bands, `${cout}x${cin}x${kernel} is read in bands`);
      const block = { out: 8, in: 8 };
      const inPlace = scoreBlockBands(bands, layout, block, 'l2');
      const whole = scoreBlocks(new DataView(values.buffer), layout, block, 'l2');
      assert.ok(inPlace && !('code' in inPlace));
      assert.deepEqual(inPlace, whole, `${cout}x${cin}x${kernel}`);
      assert.ok(bands.bytes.buffer === arena!.memory.buffer, 'in the arena');
      assert.deepEqual(bands.bytes, new Uint8Array(values.buffer), 'the weight is whole after');
    }
  });
});
