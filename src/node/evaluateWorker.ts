/** Worker-thread entry for "Evaluate Accuracy…": ONNX Runtime runs here, off the extension host. */
import { parentPort, workerData } from 'node:worker_threads';
import type { Diagnostic } from '../core/diagnostics';
import { evaluateModels, type EvaluateOptions, type Evaluation } from './evaluateModels';
import { workerInput, type WorkerMessage } from './runWorker';

/** What the host asks: the models (the first is the reference) and the data. */
export interface EvaluateJobRequest {
  readonly models: readonly string[];
  readonly options: Omit<EvaluateOptions, 'onProgress' | 'isCancelled'>;
}

const port = parentPort;
if (port) {
  const post = (m: WorkerMessage<Evaluation, Diagnostic>) => port.postMessage(m);
  const { request, isCancelled } = workerInput<EvaluateJobRequest>(workerData);
  evaluateModels(request.models, {
    ...request.options,
    isCancelled,
    onProgress: (done, total) => post({ kind: 'progress', done, total }),
  }).then(
    (r) => {
      if (r.ok === true) post({ kind: 'result', result: r.evaluation });
      else if (r.ok === false) post({ kind: 'error', error: r.error });
      else post({ kind: 'cancelled' });
    },
    (e: unknown) => post({ kind: 'crash', message: (e as Error).stack ?? String(e) }),
  );
}
