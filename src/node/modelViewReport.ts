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
import { modelGraph } from '../core/report/modelGraph';
import { layoutGraph } from '../core/report/graphLayout';

export interface ModelViewOptions extends ShapeOptions {
  readonly block: BlockShape;
  /** Array to estimate on; none skips the simulation. */
  readonly arch?: AieArchitecture;
  readonly precision?: Precision;
  /** Paper (default) or refined; refined adds the assumption ledger. */
  readonly model?: EstimateModel;
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * The report so far, as soon as a part is done: the analysis alone (the view shows it while the
   * estimate runs), then with the estimate before the graph is laid out (which comes last).
   */
  readonly onAnalysis?: (report: ModelViewReport) => void;
  /** Leave out the graph and its layout (the CLI and the sidebar have no use for them). */
  readonly withoutGraph?: boolean;
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
    const shown = { ...analysis.report, diagnostics };
    if (options.withoutGraph)
      return { ok: true, report: modelViewReport(shown, simulation, ledger) } as const;
    const graph = modelGraph(loaded.model, analysis.shapes, analysis.report.layers);
    if (options.isCancelled?.())
      return { ok: true, report: modelViewReport(shown, simulation, ledger, graph) } as const;
    options.onAnalysis?.(modelViewReport(shown, simulation, ledger, graph));
    return {
      ok: true,
      report: modelViewReport(shown, simulation, ledger, graph, layoutGraph(graph)),
    } as const;
  });
}
