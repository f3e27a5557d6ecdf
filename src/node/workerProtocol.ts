/** Request to the analysis worker: one file, plain-data options. */
export interface AnalysisRequest {
  readonly file: string;
  readonly block: { readonly out: number; readonly in: number };
  readonly inputShapes: readonly (readonly [string, readonly number[]])[];
  readonly dynamicDim?: number;
  /** Preset name of the array to estimate on (see ARCHITECTURE_PRESETS); none skips it. */
  readonly arch?: string;
}
