import { analyzeModelWithShapes } from '../core/analysis/analyzeModel';
import { DEFAULT_BLOCK } from '../core/blocks/blockGrid';
import { simulate, type SimulateOptions } from '../core/estimate/simulate';
import { compilerInputFrom } from '../core/compiler/compilerInput';
import type { Diagnostic } from '../core/diagnostics';
import type { ShapeOptions } from '../core/onnx/shapeInference';
import type { AnalysisReport } from '../core/analysis/analysisReport';
import type { SimulationReport } from '../core/estimate/simulationReport';
import { collectDiagnostics, withModelFile } from './analyzeFile';

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
  return withModelFile(file, (loaded, resolver): FileSimulation => {
    const analysis = analyzeModelWithShapes(loaded.model, {
      ...shapes,
      block: DEFAULT_BLOCK,
      resolver,
    });
    const { diagnostics, error } = collectDiagnostics(
      loaded.diagnostics,
      analysis.report.diagnostics,
    );
    if (error) return { ok: false, error };
    const simulation = simulate(compilerInputFrom(loaded.model, analysis), options);
    return {
      ok: true,
      analysis: { ...analysis.report, diagnostics },
      simulation: { ...simulation, diagnostics: [...diagnostics, ...simulation.diagnostics] },
    };
  });
}
