import { analyzeModelWithShapes } from '../core/analysis/analyzeModel';
import { DEFAULT_BLOCK } from '../core/blocks/blockGrid';
import { simulate, type SimulateOptions } from '../core/estimate/simulate';
import { compilerInputFrom } from '../core/compiler/compilerInput';
import type { Diagnostic } from '../core/diagnostics';
import type { ShapeOptions } from '../core/onnx/shapeInference';
import type { AnalysisReport } from '../core/analysis/analysisReport';
import type { SimulationReport } from '../core/estimate/simulationReport';
import { collectDiagnostics, withModelFile } from './analyzeFile';
import { assumptionLedger, type AssumptionLedger } from '../core/estimate/assumptionLedger';

/** The simulation of a file (with the analysis it rests on), or the error that stopped it. */
export type FileSimulation =
  | {
      readonly ok: true;
      readonly analysis: AnalysisReport;
      readonly simulation: SimulationReport;
      /** Paper → refined step by step, when asked for in refined mode. */
      readonly ledger: AssumptionLedger | null;
    }
  | { readonly ok: false; readonly error: Diagnostic };

/**
 * Reads, analyses (8x8 blocks: the hardware's granularity), compiles and simulates a model.
 * Model errors become a diagnostic, like analyzeFile.
 */
export function simulateFile(
  file: string,
  shapes: ShapeOptions,
  options: SimulateOptions & { readonly ledger?: boolean },
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
    const input = compilerInputFrom(loaded.model, analysis);
    const simulation = simulate(input, options);
    const model = options.model;
    const ledger =
      options.ledger && model?.kind === 'refined'
        ? assumptionLedger(input, {
            arch: options.arch,
            precision: options.precision,
            assumptions: model.assumptions,
            efficiency: model.efficiency,
          })
        : null;
    return {
      ok: true,
      analysis: { ...analysis.report, diagnostics },
      simulation: { ...simulation, diagnostics: [...diagnostics, ...simulation.diagnostics] },
      ledger,
    };
  });
}
