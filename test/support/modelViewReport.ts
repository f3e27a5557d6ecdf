import { strict as assert } from 'node:assert';
import { findPreset } from '../../src/core/target/presets';
import { simulate } from '../../src/core/estimate/simulate';
import { modelViewReport, type ModelViewReport } from '../../src/core/report/modelViewReport';
import { analyzeModelWithShapes } from '../../src/core/analysis/analyzeModel';
import { decodeModel } from '../../src/core/onnx/decodeModel';
import { modelGraph } from '../../src/core/report/modelGraph';
import { layoutGraph } from '../../src/core/report/graphLayout';
import { compileInputOf } from './compileBytes';
import { assumptionLedger } from '../../src/core/estimate/assumptionLedger';
import { PAPER_MODEL, type EstimateModel } from '../../src/core/estimate/assumptions';

/**
 * What the model view shows for model bytes: the analysis, the estimate (paper-4x4, paper mode)
 * and the graph with its layout, as the worker builds them.
 */
export function modelViewReportOf(
  bytes: Uint8Array,
  blockShades = false,
  preset = 'paper-4x4',
  model: EstimateModel = PAPER_MODEL,
): ModelViewReport {
  const arch = findPreset(preset);
  assert.ok(arch);
  const input = compileInputOf(bytes);
  const decoded = decodeModel(bytes);
  assert.ok(decoded.model, 'fixture decodes');
  const analysis = analyzeModelWithShapes(decoded.model, { blockShades });
  const graph = modelGraph(decoded.model, analysis.shapes, analysis.report.layers);
  return modelViewReport(
    analysis.report,
    simulate(input, { arch, model, trace: 'lanes' }),
    model.kind === 'refined'
      ? assumptionLedger(input, {
          arch,
          assumptions: model.assumptions,
          efficiency: model.efficiency,
        })
      : null,
    graph,
    layoutGraph(graph),
  );
}
