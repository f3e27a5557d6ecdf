import { analyzeModelWithShapes } from '../core/analysis/analyzeModel';
import { DEFAULT_BLOCK, type BlockShape } from '../core/blocks/blockGrid';
import type { AieArchitecture } from '../core/target/architecture';
import type { Precision } from '../core/target/precision';
import { simulate } from '../core/estimate/simulate';
import { compilerInputFrom } from '../core/compiler/compilerInput';
import type { Diagnostic } from '../core/diagnostics';
import type { ShapeOptions } from '../core/onnx/shapeInference';
import type { ModelViewReport } from '../core/report/modelViewReport';
import { collectDiagnostics, withModelFile } from './analyzeFile';

export interface ModelViewOptions extends ShapeOptions {
  readonly block: BlockShape;
  /** Array to estimate on; none skips the simulation. */
  readonly arch?: AieArchitecture;
  readonly precision?: Precision;
  readonly onProgress?: (done: number, total: number) => void;
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
      simulation = simulate(compilerInputFrom(loaded.model, hw), {
        arch: options.arch,
        precision: options.precision,
        trace: 'lanes',
      });
    }
    return {
      ok: true,
      report: { analysis: { ...analysis.report, diagnostics }, simulation },
    } as const;
  });
}
