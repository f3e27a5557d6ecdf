import { Worker } from 'node:worker_threads';
import type { FileAnalysis } from './analyzeFile';
import type { AnalysisRequest, AnalysisWorkerMessage } from './workerProtocol';

/** Outcome of a worker run: the analysis, or cancelled. */
export type WorkerOutcome = FileAnalysis | { readonly ok: 'cancelled' };

/**
 * Analyses a file in a worker thread (dist/analysisWorker.js). `signal` cancels by terminating
 * the worker; progress arrives per analysed layer.
 */
export function runAnalysisWorker(
  workerScript: string,
  request: AnalysisRequest,
  onProgress: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<WorkerOutcome> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      resolve({ ok: 'cancelled' });
      return;
    }
    const worker = new Worker(workerScript, { workerData: request });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      fn();
    };
    const onAbort = () => settle(() => resolve({ ok: 'cancelled' }));
    signal?.addEventListener('abort', onAbort);
    worker.on('message', (m: AnalysisWorkerMessage) => {
      if (m.kind === 'progress') onProgress(m.done, m.total);
      else if (m.kind === 'result') settle(() => resolve({ ok: true, report: m.report }));
      else if (m.kind === 'error') settle(() => resolve({ ok: false, error: m.error }));
      else settle(() => reject(new Error(`analysis worker failed: ${m.message}`)));
    });
    worker.on('error', (e) => settle(() => reject(e)));
    worker.on('exit', (code) =>
      settle(() => reject(new Error(`analysis worker exited with code ${code}`))),
    );
  });
}
