import { analyzeModelWithShapes } from '../core/analysis/analyzeModel';
import { DEFAULT_BLOCK } from '../core/analysis/blockGrid';
import { simulate, type SimulateOptions } from '../core/aie/simulate';
import { compileInputFrom } from '../core/compiler/compileInput';
import type { Diagnostic } from '../core/diagnostics';
import type { ShapeOptions } from '../core/onnx/shapeInference';
import type { AnalysisReport } from '../core/report/analysisReport';
import type { SimulationReport } from '../core/report/simulationReport';
import { loadModelFile } from './analyzeFile';
import { createExternalDataResolver } from './externalDataResolver';

/** The simulation of a file (with the analysis it rests on), or the error that stopped it. */
export type FileSimulation =
  | { readonly ok: true; readonly analysis: AnalysisReport; readonly simulation: SimulationReport }
  | { readonly ok: false; readonly error: Diagnostic };

/**
 * Reads, analyses (8x8 blocks: the hardware's granularity), compiles and simulates a model.
 * Model errors become a diagnostic, like analyzeFile.
 */
export function simulateFile(
  file: string,
  shapes: ShapeOptions,
  options: SimulateOptions,
): FileSimulation {
  const loaded = loadModelFile(file);
  if (!loaded.ok) return loaded;
  const resolver = createExternalDataResolver(file);
  try {
    const analysis = analyzeModelWithShapes(loaded.model, {
      ...shapes,
      block: DEFAULT_BLOCK,
      resolver,
    });
    const diagnostics = [...loaded.diagnostics, ...analysis.report.diagnostics];
    const error = diagnostics.find((d) => d.severity === 'error');
    if (error) return { ok: false, error };
    const simulation = simulate(compileInputFrom(loaded.model, analysis), options);
    return {
      ok: true,
      analysis: { ...analysis.report, diagnostics },
      simulation: { ...simulation, diagnostics: [...diagnostics, ...simulation.diagnostics] },
    };
  } finally {
    resolver.dispose();
  }
}
