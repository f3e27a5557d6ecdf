/** Request to the analysis worker: one file, plain-data options. */
export interface AnalysisRequest {
  readonly file: string;
  readonly block: { readonly out: number; readonly in: number };
  readonly inputShapes: readonly (readonly [string, readonly number[]])[];
  readonly dynamicDim?: number;
}
