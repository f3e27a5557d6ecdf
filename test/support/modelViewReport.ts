import { strict as assert } from 'node:assert';
import { findPreset } from '../../src/core/target/presets';
import { simulate } from '../../src/core/estimate/simulate';
import { modelViewReport, type ModelViewReport } from '../../src/core/report/modelViewReport';
import { analyzeBytes } from './analyzeBytes';
import { compileInputOf } from './compileBytes';
import { assumptionLedger } from '../../src/core/estimate/assumptionLedger';
import { PAPER_MODEL, type EstimateModel } from '../../src/core/estimate/assumptions';

/** What the model view shows for model bytes: the analysis and the estimate (paper-4x4, paper mode). */
export function modelViewReportOf(
  bytes: Uint8Array,
  blockShades = false,
  preset = 'paper-4x4',
  model: EstimateModel = PAPER_MODEL,
): ModelViewReport {
  const arch = findPreset(preset);
  assert.ok(arch);
  const input = compileInputOf(bytes);
  return modelViewReport(
    analyzeBytes(bytes, { blockShades }),
    simulate(input, { arch, model, trace: 'lanes' }),
    model.kind === 'refined'
      ? assumptionLedger(input, {
          arch,
          assumptions: model.assumptions,
          efficiency: model.efficiency,
        })
      : null,
  );
}
