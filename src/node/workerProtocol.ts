import type { AieArchitecture } from '../core/target/architecture';
import type { Precision } from '../core/target/precision';
import type { EstimateModel } from '../core/estimate/assumptions';

/** Request to the analysis worker: one file, plain-data options. */
export interface AnalysisRequest {
  readonly file: string;
  readonly block: { readonly out: number; readonly in: number };
  readonly inputShapes: readonly (readonly [string, readonly number[]])[];
  readonly dynamicDim?: number;
  /** The array to estimate on (a preset or a custom array); none skips the estimate. */
  readonly arch?: AieArchitecture;
  readonly precision?: Precision;
  readonly model?: EstimateModel;
}
