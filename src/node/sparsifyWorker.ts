/** Worker-thread entry for "Sparsify…": the job runs here; terminating the worker cancels it. */
import { parentPort, workerData } from 'node:worker_threads';
import type { Diagnostic } from '../core/diagnostics';
import { workerInput, type WorkerMessage } from './runWorker';
import { runSparsifyJob, type SparsifyJobRequest, type SparsifyJobResult } from './sparsifyJob';

const port = parentPort;
if (port) {
  const post = (m: WorkerMessage<SparsifyJobResult, Diagnostic>) => port.postMessage(m);
  const { request, isCancelled } = workerInput<SparsifyJobRequest>(workerData);
  runSparsifyJob(
    request,
    (done, total) => post({ kind: 'progress', done, total }),
    isCancelled,
  ).then(
    (r) => {
      if (r.ok === true) post({ kind: 'result', result: r.result });
      else if (r.ok === false) post({ kind: 'error', error: r.error });
      else post({ kind: 'cancelled' });
    },
    (e: unknown) => post({ kind: 'crash', message: (e as Error).stack ?? String(e) }),
  );
}
