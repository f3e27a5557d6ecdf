import { strict as assert } from 'node:assert';
import { diffCells, diffText, modelDiff, speedupOf } from '../../../../src/core/report/modelDiff';
import { formatBytes, formatMicros, formatPercent } from '../../../../src/core/units';
import type { ModelViewReport } from '../../../../src/core/report/modelViewReport';
import { inceptionBlock, resnetMini } from '../../../fixtures/models';
import { modelViewReportOf } from '../../../support/modelViewReport';

/** A report without some layers (as a model that lacks them would analyse). */
function without(r: ModelViewReport, drop: (name: string) => boolean): ModelViewReport {
  return {
    ...r,
    analysis: { ...r.analysis, layers: r.analysis.layers.filter((l) => !drop(l.name)) },
  };
}

describe('modelDiff (core): two reports layer by layer', () => {
  const dense = modelViewReportOf(inceptionBlock().bytes);
  const sparse = modelViewReportOf(inceptionBlock({ zeroFraction: 0.5 }).bytes);

  it("each side holds its own report's numbers; changed marks layers whose sparsity or bytes differ", () => {
    const d = modelDiff(dense, sparse);
    assert.equal(d.rows.length, dense.analysis.layers.length);
    const sim = sparse.simulation?.modes.sparse;
    assert.ok(sim);
    for (const [i, row] of d.rows.entries()) {
      const [x, y] = [dense.analysis.layers[i], sparse.analysis.layers[i]];
      assert.equal(row.name, x.name);
      assert.equal(row.a?.blockSparsity, x.blockSparsity);
      assert.equal(row.b?.compressedBytesInt8, y.compressedBytesInt8);
      assert.equal(
        row.b?.sparseSeconds,
        sim.layers.find((l) => l.name === y.name)?.seconds ?? null,
      );
      assert.equal(
        row.changed,
        x.blockSparsity !== y.blockSparsity || x.compressedBytesInt8 !== y.compressedBytesInt8,
      );
    }
    assert.equal(d.changed, d.rows.filter((r) => r.changed).length);
    assert.ok(d.changed > 0, 'a 50% mask changes layers');
    assert.equal(d.totals.b.sparseSeconds, sim.seconds);
    assert.equal(d.totals.a.compressedBytesInt8, dense.analysis.totals.compressedBytesInt8);
    // a model compared with itself: nothing differs, the cells show one value each
    const self = modelDiff(sparse, sparse);
    assert.equal(self.changed, 0);
    assert.deepEqual(diffCells(self.totals.a, self.totals.b), [
      formatPercent(self.totals.b.blockSparsity),
      formatBytes(self.totals.b.compressedBytesInt8),
      formatMicros(self.totals.b.denseSeconds ?? 0),
      formatMicros(self.totals.b.sparseSeconds ?? 0),
      `${speedupOf(self.totals.b)?.toFixed(2)}×`,
    ]);
  });

  it("layers in one model only are rows of their own, marked, after a's in b's order", () => {
    const other = modelViewReportOf(resnetMini().bytes);
    const names = dense.analysis.layers.map((l) => l.name);
    const a = without(dense, (n) => n === names[0]);
    const d = modelDiff(a, dense);
    assert.equal(d.rows.at(-1)?.name, names[0], 'b-only layer last');
    assert.equal(d.rows.at(-1)?.a, null);
    assert.ok(d.rows.at(-1)?.changed);
    assert.match(diffText('a.onnx', 'b.onnx', d), /only in b/);
    const mixed = modelDiff(dense, other);
    assert.equal(
      mixed.rows.length,
      new Set([...names, ...other.analysis.layers.map((l) => l.name)]).size,
    );
  });

  it('cells: "a → b (Δ)" with signed differences, a dash for a side without a value', () => {
    const d = modelDiff(dense, sparse);
    const row = d.rows.find((r) => r.changed && r.a && r.b);
    assert.ok(row?.a && row.b);
    const [sp, bytes] = diffCells(row.a, row.b);
    const pt = ((row.b.blockSparsity - row.a.blockSparsity) * 100).toFixed(1);
    assert.equal(
      sp,
      `${formatPercent(row.a.blockSparsity)} → ${formatPercent(row.b.blockSparsity)} (+${pt} pt)`,
    );
    assert.match(bytes, /\(−/, 'fewer bytes: a minus sign');
    const [only] = diffCells(null, row.b);
    assert.equal(only, `— → ${formatPercent(row.b.blockSparsity)}`);
  });
});
