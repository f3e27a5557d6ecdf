import type { Diagnostic } from '../core/diagnostics';
import type { AnalysisReport } from '../core/report/analysisReport';
import type { FileAnalysis } from './analyzeFile';
import { runWorker } from './runWorker';
import type { AnalysisRequest } from './workerProtocol';

/** Outcome of a worker run: the analysis, or cancelled. */
export type WorkerOutcome = FileAnalysis | { readonly ok: 'cancelled' };

/** Analyses a file in a worker thread (dist/analysisWorker.js); progress per analysed layer. */
export async function runAnalysisWorker(
  workerScript: string,
  request: AnalysisRequest,
  onProgress: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<WorkerOutcome> {
  const outcome = await runWorker<AnalysisRequest, AnalysisReport, Diagnostic>(
    workerScript,
    request,
    onProgress,
    signal,
  );
  if (outcome.ok === true) return { ok: true, report: outcome.result };
  return outcome;
}
