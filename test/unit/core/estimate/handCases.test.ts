import { strict as assert } from 'node:assert';
import { paperTimeModel } from '../../../../src/core/estimate/paperTimeModel';
import type { CompilePlan } from '../../../../src/core/compiler/plan';
import { NetBuilder } from '../../../fixtures/netBuilder';
import { compileBytes, preset } from '../../../support/compileBytes';

const BW = 4 * 2 ** 30; // bytes per second on every lane
const us = (bytes: number) => (bytes / BW) * 1e6;

function single(
  input: [number, number, number],
  cout: number,
  k: number,
  stride: number,
  pad: number,
  arch: string,
) {
  const b = new NetBuilder({ seed: 2 });
  const x = b.input('x', [1, ...input]);
  b.output(b.conv(x, { module: 'c', cout, k, stride, pad }));
  const plan = compileBytes(b.build().bytes, arch, 'dense');
  const id = plan.order?.[0];
  assert.ok(id !== undefined);
  const get = <T>(m: Map<number, T> | undefined) => {
    const v = m?.get(id);
    assert.ok(v !== undefined);
    return v;
  };
  return {
    plan,
    tiling: get(plan.tilings),
    program: get(plan.programs),
    memory: get(plan.memory),
    comp: get(plan.compressions),
  };
}

function micros(plan: CompilePlan, load0 = false): number {
  const id = plan.order?.[0] ?? -1;
  const p = plan.programs?.get(id);
  assert.ok(p);
  return (
    paperTimeModel.time(load0 ? { ...p, loadBytes: 0, writeBytes: 0 } : p, plan.arch).seconds * 1e6
  );
}

const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-6, `${a} vs ${b}`);

describe('hand-computed one-layer cases (paper time model)', () => {
  it('1x1 conv 32 → 32 on 8x8, paper-2x2: one body iteration, DDR in and out', () => {
    const { plan, tiling, program, comp } = single([32, 8, 8], 32, 1, 1, 0, 'paper-2x2');
    // Ow = 8/2 = 4; Co = 32/2 rows = 16; w = 16·32 + 4·16 + 2·2·4 = 592
    assert.deepEqual(tiling.sub, { W: [16, 1, 1, 32], I: [8, 4, 32], O: [8, 4, 32] });
    assert.deepEqual([tiling.iterations, tiling.head, tiling.body, tiling.tail], [1, 0, 1, 0]);
    assert.equal(comp.chunkBytes, 592);
    // LOAD = network input slice 8·4·32; LOADW = ⌈1·592⌉128 + 192; LOADWM = ⌈592⌉16 + 192
    assert.deepEqual(
      [program.loadBytes, program.loadwBytes, program.writeBytes],
      [1024, 832, 1024],
    );
    assert.equal(program.passes[0].loadwmBytes, 784);
    // LOADFM 8·⌈4⌉8·32 = 2048 B, COMP ⌈8·4·32·32/256⌉ = 128 cycles, WRITEFM 2048 B
    assert.deepEqual(program.passes[0].groups[0].work, {
      loadfmBytes: 2048,
      compCycles: 128,
      writefmBytes: 2048,
    });
    // T = max(LOAD, LOADW) + LOADWM + max(LOADFM, COMP, WRITEFM) + WRITE, all at 4 GiB/s
    near(micros(plan), us(1024) + us(784) + Math.max(us(2048), 0.128) + us(1024));
  });

  it('3x3 conv with padding, 16 → 16 on 16x16, paper-2x2: one head iteration, sequential', () => {
    const { plan, tiling, program } = single([16, 16, 16], 16, 3, 1, 1, 'paper-2x2');
    // Ow = 8, Iw = 10; Co = 8 (16 / 2 rows); all 16 rows in one iteration: Ih = 18
    assert.deepEqual(tiling.sub, { W: [8, 3, 3, 16], I: [18, 10, 16], O: [16, 8, 16] });
    assert.deepEqual([tiling.head, tiling.body, tiling.tail], [1, 0, 0]);
    // w = 8·9·16 + 32 + 2·1·2 = 1188 → LOADW ⌈1188⌉128 + 192 = 1472, LOADWM 1200 + 192
    assert.equal(program.loadwBytes, 1472);
    assert.equal(program.passes[0].loadwmBytes, 1392);
    // LOADFM 18·16·16 = 4608, COMP ⌈18·10·16·9·16/256⌉ = 1620, WRITEFM 16·8·16 = 2048
    assert.deepEqual(program.passes[0].groups[0].work, {
      loadfmBytes: 4608,
      compCycles: 1620,
      writefmBytes: 2048,
    });
    near(micros(plan), us(2048) + us(1392) + us(4608) + 1.62 + us(2048) + us(2048));
  });

  it('CIN split: 3x3 conv 512 → 64 on 14x14, paper-4x4: four 128-channel passes, no streaming', () => {
    const { plan, tiling, program } = single([512, 14, 14], 64, 3, 1, 1, 'paper-4x4');
    // Ow = 4 (Iw 6 → 8 padded); even Co = 8 needs 8·9·512 B: split Cin into Ci = 128 (input tile 3·8·128 fits)
    assert.deepEqual(tiling.sub, { W: [8, 3, 3, 128], I: [8, 6, 128], O: [6, 4, 64] });
    assert.equal(tiling.splits.cinSlices, 4);
    assert.equal(tiling.passes, 4);
    assert.equal(tiling.streaming, false);
    assert.deepEqual([tiling.iterations, tiling.head, tiling.body, tiling.tail], [3, 1, 1, 1]);
    // w = 8·9·128 + 32 + 2·1·16 = 9280; chunks 64/8 = 8 → ⌈8/4⌉·4 = 8 per memtile
    assert.equal(program.loadwBytes, Math.ceil((8 * 9280) / 128) * 128 + 192);
    assert.deepEqual(
      program.passes.map((p) => p.loadwmBytes),
      [9280 + 192, 9280, 9280, 9280],
    );
    const comp = (8 * 6 * 128 * 9 * 128) / 256; // 27,648 cycles
    assert.deepEqual(program.passes[0].groups[0].work, {
      loadfmBytes: 8 * 8 * 128,
      compCycles: comp,
      writefmBytes: 6 * 8 * 64,
    });
    const perPass = 3 * (us(8192) + comp / 1e3 + us(3072));
    near(micros(plan, true), us(74432) + us(9472 + 3 * 9280) + 4 * perPass);
  });

  it('a layer that does not fit the memtiles is computed in DDR width tiles', () => {
    // 64 → 64 channels at 112x112 on 2x2: input and output slices are 392 KiB each per memtile
    const { tiling, program, memory, comp } = single([64, 112, 112], 64, 3, 1, 1, 'paper-2x2');
    assert.equal(memory.inDdr, true);
    assert.ok(tiling.splits.ddrTiles >= 2);
    assert.equal(tiling.sub.O[1], Math.ceil(56 / tiling.splits.ddrTiles));
    const slice = 112 * 56 * 64;
    assert.equal(program.loadBytes, slice);
    assert.equal(program.writeBytes, slice);
    // weights are reloaded for every tile
    const once = Math.ceil((tiling.splits.chunksPerMemtile * comp.chunkBytes) / 128) * 128 + 192;
    assert.equal(program.loadwBytes, once * tiling.splits.ddrTiles);
    assert.equal(tiling.passes, tiling.splits.ddrTiles);
  });

  it('an op that runs mid-network keeps its activations in the memtiles (no LOAD, no WRITE)', () => {
    const b = new NetBuilder({ seed: 3 });
    let x = b.input('x', [1, 16, 16, 16]);
    x = b.conv(x, { module: 'a', cout: 16, k: 3 });
    x = b.conv(x, { module: 'b', cout: 16, k: 3 });
    x = b.conv(x, { module: 'c', cout: 16, k: 3 });
    b.output(x);
    const plan = compileBytes(b.build().bytes, 'paper-2x2', 'dense');
    const [first, middle, last] = (plan.order ?? []).map((id) => plan.programs?.get(id));
    assert.ok(first && middle && last);
    assert.deepEqual([first.loadBytes, first.writeBytes], [16 * 8 * 16, 0]);
    assert.deepEqual([middle.loadBytes, middle.writeBytes], [0, 0]);
    assert.deepEqual([last.loadBytes, last.writeBytes], [0, 16 * 8 * 16]);
    assert.equal(preset('paper-2x2').columns, 2);
  });
});
