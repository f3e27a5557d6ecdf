import { strict as assert } from 'node:assert';
import { REFINED_CHOICES, type CompilerChoices } from '../../../../src/core/compiler/choices';
import type { CompiledNetwork } from '../../../../src/core/compiler/compile';
import { paperTimeModel } from '../../../../src/core/estimate/paperTimeModel';
import { NetBuilder } from '../../../fixtures/netBuilder';
import { compileBytes } from '../../../support/compileBytes';

/**
 * One-layer cases worked by hand from the rules of PAPER-COMPILER.md (choices) and AIE2-MODEL.md
 * §4 (time); each expected number is derived in the comment beside it.
 */
const BW = 4 * 2 ** 30; // bytes per second on every lane
const us = (bytes: number) => (bytes / BW) * 1e6;

function compiled(
  build: (b: NetBuilder) => void,
  arch: string,
  choices?: CompilerChoices,
): CompiledNetwork {
  const b = new NetBuilder({ seed: 2 });
  build(b);
  return compileBytes(b.build().bytes, arch, 'dense', 'int8', choices);
}

function single(
  input: [number, number, number],
  cout: number,
  k: number,
  pad: number,
  arch: string,
  choices?: CompilerChoices,
) {
  const c = compiled(
    (b) => {
      const x = b.input('x', [1, ...input]);
      b.output(b.conv(x, { module: 'c', cout, k, pad }));
    },
    arch,
    choices,
  );
  const id = c.plan.schedule[0]?.ops[0];
  assert.ok(id !== undefined);
  const get = <T>(m: ReadonlyMap<number, T>) => {
    const v = m.get(id);
    assert.ok(v !== undefined);
    return v;
  };
  return {
    c,
    tiling: get(c.plan.tiles),
    program: get(c.plan.program),
    memory: get(c.plan.memory),
    weights: get(c.plan.weights),
    ddr: get(c.plan.ddr),
  };
}

function micros(c: CompiledNetwork, id = c.plan.schedule[0]?.ops[0] ?? -1): number {
  const p = c.plan.program.get(id);
  assert.ok(p);
  return paperTimeModel.time(p, c.target.arch).seconds * 1e6;
}

const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-6, `${a} vs ${b}`);

describe('hand-computed one-layer cases (paper choices, paper time model)', () => {
  it('1x1 conv 32 → 32 on 8x8, paper-2x2: one body iteration, DDR in and out', () => {
    const { c, tiling, program, weights, memory } = single([32, 8, 8], 32, 1, 0, 'paper-2x2');
    // rule 4: Ow = 8/2 = 4, Oc = 32 (8·32 ≤ 8 KiB), Ic = 32, Oh = 8 (all rows fit)
    // rule 5: share = ⌈32/2⌉8 = 16; Ci = 32 first: 16·32 + 4·16 + 2·2·4 = 592 B ≤ 16 KiB
    assert.deepEqual(tiling.sub, { W: [16, 1, 1, 32], I: [8, 4, 32], O: [8, 4, 32] });
    assert.deepEqual([tiling.rows.head, tiling.rows.body, tiling.rows.tail], [0, 1, 0]);
    assert.equal(weights.chunkBytes, 592);
    // rule 3: the first conv streams DDR → DDR
    assert.equal(memory.mode, 'ddr');
    // LOAD = the network input's slice 8·4·32; LOADW = ⌈592⌉128 + 192; WRITE its output slice
    assert.deepEqual(
      [program.loadBytes, program.loadwBytes, program.writeBytes],
      [1024, 832, 1024],
    );
    // LOADWM = ⌈592⌉16 + the 192 B conv header
    assert.equal(program.passes[0].loadwmBytes, 784);
    // LOADFM 8·⌈4⌉8·32 = 2048 B, COMP ⌈8·4·32·32/256⌉ = 128 cycles, WRITEFM 2048 B; refined
    // mode's output MACs per core: Oh·Ow·Co·kh·kw·Ci = 8·4·16·1·1·32
    assert.deepEqual(program.passes[0].groups[0].work, {
      loadfmBytes: 2048,
      compCycles: 128,
      writefmBytes: 2048,
      outMacs: 16384,
    });
    // T = max(LOAD, LOADW) + LOADWM + max(LOADFM, COMP, WRITEFM) + WRITE, all at 4 GiB/s
    near(micros(c), us(1024) + us(784) + Math.max(us(2048), 0.128) + us(1024));
  });

  it('3x3 conv with padding, 16 → 16 on 16x16, paper-2x2: one head iteration, sequential', () => {
    const { c, tiling, program } = single([16, 16, 16], 16, 3, 1, 'paper-2x2');
    // Ow = 8 and the halo Iw = 7 + 3 = 10 fits (3·16·16 B); Co = 8 (16 / 2 rows); all 16 rows in
    // one iteration: Ih = 18. Padding tot = 15 + 3 − 16 = 2, top 1: the iteration is a head.
    assert.deepEqual(tiling.sub, { W: [8, 3, 3, 16], I: [18, 10, 16], O: [16, 8, 16] });
    assert.deepEqual([tiling.rows.head, tiling.rows.body, tiling.rows.tail], [1, 0, 0]);
    // w = 8·9·16 + 32 + 2·1·2 = 1188 → LOADW ⌈1188⌉128 + 192 = 1472, LOADWM 1200 + 192
    assert.equal(program.loadwBytes, 1472);
    assert.equal(program.passes[0].loadwmBytes, 1392);
    // LOADFM 18·16·16 = 4608, COMP ⌈18·10·16·9·16/256⌉ = 1620, WRITEFM 16·8·16 = 2048;
    // output MACs per core 16·8·8·9·16
    assert.deepEqual(program.passes[0].groups[0].work, {
      loadfmBytes: 4608,
      compCycles: 1620,
      writefmBytes: 2048,
      outMacs: 147456,
    });
    near(micros(c), us(2048) + us(1392) + us(4608) + 1.62 + us(2048) + us(2048));
  });

  it('paper mode: a wide conv keeps a core share of Cout and shrinks Ci; core splits are free', () => {
    // 3x3 conv 512 → 64 on 14x14, paper-4x4
    const paper = single([512, 14, 14], 64, 3, 1, 'paper-4x4');
    // Ow = ⌈14/4⌉ = 4; the halo 6 does not fit (3·8·512 = 12 KiB > 8 KiB): Iw = 4, no halo.
    // Oc = 64; Ic = 256 (3·8·256 ≤ 8 KiB); Oh = 2 (4 input rows of 8·256 B fill 8 KiB).
    // share = 16; Ci = 512 and 256 fit with no Co; Ci = 128 fits Co = 8: 9216 + 32 + 32 = 9280 B
    assert.deepEqual(paper.tiling.sub, { W: [8, 3, 3, 128], I: [4, 4, 256], O: [2, 4, 64] });
    // 14 rows in 7 iterations; padding top 1 → head 1; the last window runs past row 13 → tail 1
    assert.deepEqual(
      [paper.tiling.rows.head, paper.tiling.rows.body, paper.tiling.rows.tail],
      [1, 5, 1],
    );
    // rule 4: the core's Ci slices are neither charged nor passes
    assert.equal(paper.program.passes.length, 1);
    assert.equal(paper.program.passes[0].streaming, true);
    // COMP per iteration = ⌈Ih·Iw·Ic·kh·kw·Ci / 256⌉ = 4·4·256·9·128 / 256
    assert.equal(paper.program.passes[0].groups[0].work.compCycles, (4 * 4 * 256 * 9 * 128) / 256);

    // the refined choices serialise the core's chunks: one pass each, partial sums, no streaming
    const refined = single([512, 14, 14], 64, 3, 1, 'paper-4x4', REFINED_CHOICES);
    const core = refined.tiling.core;
    assert.ok(core.cinSlices > 1, 'the refined tiling splits Cin across passes');
    assert.equal(
      refined.program.passes.length,
      core.cinSlices * Math.max(1, core.coutChunksPerCore),
    );
    assert.equal(refined.program.passes[0].streaming, false);
    assert.ok(micros(refined.c) > micros(paper.c), 'serialised splits cost time');
  });

  it('a step that does not fit is cut by height into DDR tiles, each with its own head', () => {
    // 64 → 128 channels at 112x112 on 2x2: input slice 112·56·64 = 392 KiB, output 784 KiB
    const { ddr, program, memory, weights } = single([64, 112, 112], 128, 3, 1, 'paper-2x2');
    assert.equal(memory.mode, 'ddr');
    // rule 7: the smallest divisor t of 112 with (392 + 784 KiB) / t + weights ≤ 512 KiB is 4
    assert.equal(ddr.tiles, 4);
    assert.equal(ddr.axis, 'height');
    // the first tile keeps the layer's head, middle tiles have all their rows, the last tile
    // lacks the bottom padding and counts it as a head; no tile has a tail
    assert.deepEqual(
      ddr.tileRows.map((r) => [r.head, r.tail]),
      [
        [1, 0],
        [0, 0],
        [0, 0],
        [1, 0],
      ],
    );
    // LOAD streams each tile's input rows, halos included: 112 + 3·(3 − 1) rows of 56·64 B
    assert.equal(program.loadBytes, 118 * 56 * 64);
    assert.equal(program.writeBytes, 112 * 56 * 128);
    // the weights are reloaded for every tile
    assert.equal(program.loadwBytes, Math.ceil(weights.memtileBytes / 128) * 128 * 4 + 192);
    assert.equal(program.passes.length, 4 * ddr.weightGroups);
  });

  it('rule 3: the first step streams from DDR, the next LOADs its input whole, the last writes', () => {
    const c = compiled((b) => {
      let x = b.input('x', [1, 16, 16, 16]);
      x = b.conv(x, { module: 'a', cout: 16, k: 3 });
      x = b.conv(x, { module: 'b', cout: 16, k: 3 });
      x = b.conv(x, { module: 'c', cout: 16, k: 3 });
      b.output(x);
    }, 'paper-2x2');
    const steps = c.plan.schedule.map((s) => s.ops[0]);
    const [first, middle, last] = steps.map((id) => c.plan.program.get(id));
    assert.ok(first && middle && last);
    const slice = 16 * 8 * 16; // 16 rows, 16/2 columns, 16 channels
    assert.deepEqual([first.loadBytes, first.writeBytes], [slice, slice]);
    assert.deepEqual([middle.loadBytes, middle.writeBytes], [slice, 0]);
    assert.deepEqual([last.loadBytes, last.writeBytes], [0, slice]);
    assert.deepEqual(
      steps.map((id) => c.plan.memory.get(id)?.mode),
      ['ddr', 'fm', 'fm'],
    );
  });
});
