import { analyzeModelWithShapes } from '../core/analysis/analyzeModel';
import { DEFAULT_BLOCK, type BlockShape } from '../core/blocks/blockGrid';
import type { AieArchitecture } from '../core/target/architecture';
import type { Precision } from '../core/target/precision';
import { simulate } from '../core/estimate/simulate';
import { compilerInputFrom } from '../core/compiler/compilerInput';
import type { Diagnostic } from '../core/diagnostics';
import type { ShapeOptions } from '../core/onnx/shapeInference';
import { modelViewReport, type ModelViewReport } from '../core/report/modelViewReport';
import { collectDiagnostics, withModelFile } from './analyzeFile';
import { assumptionLedger } from '../core/estimate/assumptionLedger';
import { PAPER_MODEL, type EstimateModel } from '../core/estimate/assumptions';

export interface ModelViewOptions extends ShapeOptions {
  readonly block: BlockShape;
  /** Array to estimate on; none skips the simulation. */
  readonly arch?: AieArchitecture;
  readonly precision?: Precision;
  /** Paper (default) or refined; refined adds the assumption ledger. */
  readonly model?: EstimateModel;
  readonly onProgress?: (done: number, total: number) => void;
  /** The analysis alone, as soon as it is done (the view shows it while the estimate runs). */
  readonly onAnalysis?: (report: ModelViewReport) => void;
  readonly isCancelled?: () => boolean;
}

/**
 * Everything the model view shows, from one read of the file: the analysis at the chosen block
 * shape and, on the chosen array, the dense and sparse estimates (8x8 blocks: the hardware's).
 */
export function modelViewReportFile(
  file: string,
  options: ModelViewOptions,
):
  | { readonly ok: true; readonly report: ModelViewReport }
  | { readonly ok: false; readonly error: Diagnostic } {
  return withModelFile(file, (loaded, resolver) => {
    const analysis = analyzeModelWithShapes(loaded.model, {
      ...options,
      resolver,
      blockShades: true,
    });
    const { diagnostics, error } = collectDiagnostics(
      loaded.diagnostics,
      analysis.report.diagnostics,
    );
    if (error) return { ok: false, error } as const;
    let simulation = null;
    let ledger = null;
    if (options.arch)
      options.onAnalysis?.(modelViewReport({ ...analysis.report, diagnostics }, null));
    const model = options.model ?? PAPER_MODEL;
    if (options.arch && !options.isCancelled?.()) {
      const same = options.block.out === DEFAULT_BLOCK.out && options.block.in === DEFAULT_BLOCK.in;
      const hw = same
        ? analysis
        : analyzeModelWithShapes(loaded.model, {
            ...options,
            block: DEFAULT_BLOCK,
            resolver,
            blockShades: false,
            onProgress: undefined,
          });
      const input = compilerInputFrom(loaded.model, hw);
      simulation = simulate(input, {
        arch: options.arch,
        precision: options.precision,
        model,
        trace: 'lanes',
      });
      if (model.kind === 'refined' && !options.isCancelled?.())
        ledger = assumptionLedger(input, {
          arch: options.arch,
          precision: options.precision,
          assumptions: model.assumptions,
          efficiency: model.efficiency,
        });
    }
    return {
      ok: true,
      report: modelViewReport({ ...analysis.report, diagnostics }, simulation, ledger),
    } as const;
  });
}
