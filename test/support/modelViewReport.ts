import { strict as assert } from 'node:assert';
import { findPreset } from '../../src/core/target/presets';
import { simulate } from '../../src/core/estimate/simulate';
import { modelViewReport, type ModelViewReport } from '../../src/core/report/modelViewReport';
import { analyzeBytes } from './analyzeBytes';
import { compileInputOf } from './compileBytes';

/** What the model view shows for model bytes: the analysis and the estimate (paper-4x4). */
export function modelViewReportOf(
  bytes: Uint8Array,
  blockShades = false,
  preset = 'paper-4x4',
): ModelViewReport {
  const arch = findPreset(preset);
  assert.ok(arch);
  return modelViewReport(
    analyzeBytes(bytes, { blockShades }),
    simulate(compileInputOf(bytes), { arch, trace: 'lanes' }),
  );
}
