import { strict as assert } from 'node:assert';
import { layersCsv, reportJson } from '../../../../src/core/report/reportExports';
import { resnetMini } from '../../../fixtures/models';
import { modelViewReportOf } from '../../../support/modelViewReport';

describe('model view exports', () => {
  const report = modelViewReportOf(resnetMini().bytes);

  it('CSV: a header and one row per layer, with the estimates', () => {
    const lines = layersCsv(report).trim().split('\n');
    assert.equal(lines.length, 1 + report.analysis.layers.length);
    const header = lines[0].split(',');
    const row = lines[1].split(',');
    assert.equal(row[header.indexOf('name')], '/stem/conv/Conv');
    assert.equal(Number(row[header.indexOf('macs')]), report.analysis.layers[0].macs);
    assert.ok(Number(row[header.indexOf('sparseMicros')]) > 0);
    // shapes are one cell each, so every later column stays aligned
    assert.equal(row.length, header.length);
    assert.equal(row[header.indexOf('weightShape')], '16x3x3x3');
    assert.equal(
      row[header.indexOf('sparsifiable')],
      'false',
      'three input channels: no 8x8 block',
    );
  });

  it('CSV quotes cells with commas or quotes', () => {
    const odd = {
      ...report,
      analysis: { ...report.analysis, layers: [{ ...report.analysis.layers[0], name: 'a,"b"' }] },
    };
    assert.match(layersCsv(odd), /^"a,""b""",/m);
  });

  it('JSON: the whole report, block masks as 0/1 arrays, no trace', () => {
    const j = JSON.parse(reportJson('mini.onnx', report));
    assert.equal(j.file, 'mini.onnx');
    assert.deepEqual(
      j.analysis.layers[1].detail.blockMask,
      Array.from(report.analysis.layers[1].detail.blockMask),
    );
    assert.equal(j.simulation.modes.dense.trace, undefined);
    assert.equal(
      j.simulation.modes.dense.layers.length,
      report.simulation?.modes.dense?.layers.length,
    );
  });
});
