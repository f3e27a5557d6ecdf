import { strict as assert } from 'node:assert';
import { analyzeModelWithShapes } from '../../../../src/core/analysis/analyzeModel';
import { PAPER_CHOICES, type CompilerChoices } from '../../../../src/core/compiler/choices';
import { compilerInputFrom } from '../../../../src/core/compiler/compilerInput';
import { decodeModel } from '../../../../src/core/onnx/decodeModel';
import { NetBuilder } from '../../../fixtures/netBuilder';
import { compileBytes } from '../../../support/compileBytes';

/** Two convs, the second with its zero blocks all in the first half of its output rows. */
function uneven(): Uint8Array {
  const b = new NetBuilder({ seed: 5 });
  let x = b.input('x', [1, 64, 28, 28]);
  x = b.conv(x, { module: 'a', cout: 64, k: 3 });
  // block rows 0–3 all zero, rows 4–7 all kept: the layer is half zero, but a chunk holding the
  // later output channels is fully dense
  x = b.conv(x, { module: 'b', cout: 64, k: 3, zeroBlock: (_g, r) => r < 4 });
  b.output(x);
  return b.build().bytes;
}

const rhoOf = (choices: CompilerChoices) => {
  const c = compileBytes(uneven(), 'paper-4x4', 'sparse', 'int8', choices);
  const op = c.plan.network.ops.find((o) => o.name === '/b/Conv');
  assert.ok(op);
  return c.plan.weights.get(op.id)?.rho;
};

describe('compiler choices (paper mode vs the refined assumptions)', () => {
  it("density 'layer' charges every chunk at the layer's fraction (rule 8)", () => {
    assert.equal(rhoOf(PAPER_CHOICES), 0.5);
  });

  it("density 'busiest-chunk' charges the densest chunk of the real mask", () => {
    assert.equal(rhoOf({ ...PAPER_CHOICES, density: 'busiest-chunk' }), 1);
  });

  it("DDR tiles by 'width' narrow the sub-volume instead of cutting rows", () => {
    const b = new NetBuilder({ seed: 6 });
    const x = b.input('x', [1, 64, 112, 112]);
    b.output(b.conv(b.conv(x, { module: 'a', cout: 64, k: 3 }), { module: 'b', cout: 128, k: 3 }));
    const bytes = b.build().bytes;
    const tiled = (choices: CompilerChoices) => {
      const c = compileBytes(bytes, 'paper-2x2', 'dense', 'int8', choices);
      const op = c.plan.network.ops.find((o) => o.name === '/b/Conv');
      assert.ok(op);
      const d = c.plan.ddr.get(op.id);
      assert.ok(d && d.tiles > 1, 'the step needs DDR tiles');
      return d;
    };
    const height = tiled(PAPER_CHOICES);
    const width = tiled({ ...PAPER_CHOICES, ddrTiles: 'width' });
    assert.equal(height.axis, 'height');
    assert.equal(width.axis, 'width');
    assert.equal(height.tiling.sub.O[1], 56, 'height tiles keep the column width');
    assert.ok(width.tiling.sub.O[1] < 56, 'width tiles narrow it');
  });

  it('the compiler refuses an analysis with any block shape but the hardware 8x8', () => {
    const b = new NetBuilder({ seed: 7 });
    const x = b.input('x', [1, 16, 8, 8]);
    b.output(b.conv(x, { module: 'c', cout: 16, k: 3 }));
    const model = decodeModel(b.build().bytes).model;
    assert.ok(model);
    const analysis = analyzeModelWithShapes(model, { block: { out: 4, in: 4 } });
    assert.throws(() => compilerInputFrom(model, analysis), /8x8 block masks.*4x4/);
    const hw = analyzeModelWithShapes(model, { block: { out: 8, in: 8 } });
    assert.equal(compilerInputFrom(model, hw).layers.size, 1);
  });
});
