import { strict as assert } from 'node:assert';
import { findPreset } from '../../src/core/target/presets';
import { simulate } from '../../src/core/estimate/simulate';
import type { ModelViewReport } from '../../src/core/report/modelViewReport';
import { analyzeBytes } from './analyzeBytes';
import { compileInputOf } from './compileBytes';

/** What the model view shows for model bytes: the analysis and the paper-4x4 estimate. */
export function modelViewReportOf(bytes: Uint8Array, blockShades = false): ModelViewReport {
  const arch = findPreset('paper-4x4');
  assert.ok(arch);
  return {
    analysis: analyzeBytes(bytes, { blockShades }),
    simulation: simulate(compileInputOf(bytes), { arch, trace: 'lanes' }),
  };
}
