import type { Diagnostic } from '../core/diagnostics';
import type { AnalysisReport } from '../core/report/analysisReport';

/** Request to the analysis worker: one file, plain-data options. */
export interface AnalysisRequest {
  readonly file: string;
  readonly block: { readonly out: number; readonly in: number };
  readonly inputShapes: readonly (readonly [string, readonly number[]])[];
  readonly dynamicDim?: number;
}

/** Messages from the analysis worker. */
export type AnalysisWorkerMessage =
  | { readonly kind: 'progress'; readonly done: number; readonly total: number }
  | { readonly kind: 'result'; readonly report: AnalysisReport }
  | { readonly kind: 'error'; readonly error: Diagnostic }
  | { readonly kind: 'crash'; readonly message: string };
