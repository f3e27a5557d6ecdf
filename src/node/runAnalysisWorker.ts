import type { Diagnostic } from '../core/diagnostics';
import type { ModelViewReport } from '../core/report/modelViewReport';
import { runWorker } from './runWorker';
import type { AnalysisRequest } from './workerProtocol';

/** Outcome of a worker run: the model view's report, the model's problem, or cancelled. */
export type WorkerOutcome =
  | { readonly ok: true; readonly report: ModelViewReport }
  | { readonly ok: false; readonly error: Diagnostic }
  | { readonly ok: 'cancelled' };

/** Analyses (and estimates) a file in a worker thread (dist/analysisWorker.js); progress per layer. */
export async function runAnalysisWorker(
  workerScript: string,
  request: AnalysisRequest,
  onProgress: (done: number, total: number) => void,
  signal?: AbortSignal,
  onPartial?: (analysisOnly: ModelViewReport) => void,
): Promise<WorkerOutcome> {
  const outcome = await runWorker<AnalysisRequest, ModelViewReport, Diagnostic>(
    workerScript,
    request,
    onProgress,
    signal,
    undefined,
    onPartial,
  );
  if (outcome.ok === true) return { ok: true, report: outcome.result };
  return outcome;
}
