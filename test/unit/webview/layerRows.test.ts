import { strict as assert } from 'node:assert';
import { findPreset } from '../../../src/core/target/presets';
import { simulate } from '../../../src/core/estimate/simulate';
import type { ModelViewReport } from '../../../src/shared/protocol';
import { modelViewReport } from '../../../src/core/report/modelViewReport';
import { filterRows, layerRows, sortRows } from '../../../webview/layerRows';
import { inceptionBlock, resnetMini } from '../../fixtures/models';
import { analyzeBytes } from '../../support/analyzeBytes';
import { compileInputOf } from '../../support/compileBytes';
import { REFINED_CHOICES } from '../../../src/core/compiler/choices';
import { attentionLikeModel } from '../../fixtures/foldingModels';
import { simulateBytes } from '../../support/simulateBytes';

function report(withSimulation: boolean): ModelViewReport {
  const bytes = inceptionBlock().bytes;
  const arch = findPreset('paper-4x4');
  assert.ok(arch);
  return modelViewReport(
    analyzeBytes(bytes),
    withSimulation ? simulate(compileInputOf(bytes), { arch, trace: false }) : null,
  );
}

describe('layer table rows (webview, pure)', () => {
  const r = report(true);
  const rows = layerRows(r);

  it('joins every analysed layer with its dense and sparse estimate', () => {
    assert.equal(rows.length, r.analysis.layers.length);
    for (const row of rows) {
      assert.equal(row.dense?.name, row.layer.name);
      assert.equal(row.sparse?.name, row.layer.name);
    }
    assert.ok(
      layerRows(report(false)).every((x) => x.dense === undefined && x.sparse === undefined),
    );
  });

  it("marks the layers paper mode's graph cut leaves to the CPU; 'cpu' filters them", () => {
    const bytes = resnetMini().bytes;
    const arch = findPreset('paper-4x4');
    assert.ok(arch);
    const mini = layerRows(
      modelViewReport(analyzeBytes(bytes), simulate(compileInputOf(bytes), { arch, trace: false })),
    );
    assert.deepEqual(
      mini.filter((x) => x.cpu).map((x) => [x.layer.name, x.cpu]),
      [['/fc/Gemm', 'CPU (graph cut)']],
    );
    assert.ok(mini.filter((x) => !x.cpu).every((x) => x.dense && x.sparse));
    assert.deepEqual(
      filterRows(mini, 'cpu').map((x) => x.layer.name),
      ['/fc/Gemm'],
    );
    assert.ok(
      rows.every((x) => !x.cpu),
      'nothing is cut from a block without a classifier',
    );
  });

  it('marks other CPU layers with their reason: an activation x activation MatMul', () => {
    const bytes = attentionLikeModel();
    const { analysis, sim } = simulateBytes(bytes, {}, REFINED_CHOICES);
    const rows = layerRows(modelViewReport(analysis.report, sim));
    assert.deepEqual(
      rows.map((r) => r.cpu),
      [null, 'CPU (it multiplies two run-time tensors: no constant weight to compress)'],
    );
    assert.deepEqual(
      filterRows(rows, 'cpu').map((r) => r.layer.name),
      [rows[1].layer.name],
    );
  });

  it('sorts by any column in both directions, ties in model order', () => {
    const byMacs = sortRows(rows, { key: 'macs', descending: true });
    for (let i = 1; i < byMacs.length; i++)
      assert.ok((byMacs[i - 1].layer.macs ?? 0) >= (byMacs[i].layer.macs ?? 0));
    const bySparse = sortRows(rows, { key: 'sparseUs', descending: false });
    for (let i = 1; i < bySparse.length; i++)
      assert.ok((bySparse[i - 1].sparse?.seconds ?? 0) <= (bySparse[i].sparse?.seconds ?? 0));
    const byName = sortRows(rows, { key: 'name', descending: false }).map((x) => x.layer.name);
    assert.deepEqual(
      byName,
      [...byName].sort((a, b) => a.localeCompare(b)),
    );
    assert.deepEqual(sortRows(rows, { key: 'index', descending: false }), rows);
    const bySpeedup = sortRows(rows, { key: 'speedup', descending: true });
    const speed = (x: (typeof rows)[number]) => (x.dense?.seconds ?? 0) / (x.sparse?.seconds ?? 1);
    for (let i = 1; i < bySpeedup.length; i++)
      assert.ok(speed(bySpeedup[i - 1]) >= speed(bySpeedup[i]));
  });

  it('rows without an estimate sort last either way', () => {
    const plain = layerRows(report(false));
    const mixed = [...rows.slice(0, 3), ...plain.slice(3)];
    for (const descending of [false, true]) {
      const sorted = sortRows(mixed, { key: 'denseUs', descending });
      assert.ok(sorted.slice(0, 3).every((x) => x.dense !== undefined));
      assert.ok(sorted.slice(3).every((x) => x.dense === undefined));
    }
  });

  it('filters by every word of the filter in name, op or bound', () => {
    assert.equal(filterRows(rows, '').length, rows.length);
    const branch = filterRows(rows, 'branch5x5');
    assert.equal(branch.length, 2);
    assert.ok(branch.every((x) => x.layer.name.includes('branch5x5')));
    assert.equal(filterRows(rows, 'BRANCH5X5 _2').length, 1, 'case-insensitive, all words');
    assert.equal(filterRows(rows, 'nothing-like-this').length, 0);
  });
});
