/** Worker-thread entry: reads, decodes and prints a model as text (off the extension host). */
import { parentPort, workerData } from 'node:worker_threads';
import type { Diagnostic } from '../core/diagnostics';
import { printModel, type ModelText } from '../core/report/modelText';
import { loadModelFile } from './analyzeFile';
import { workerInput, type WorkerMessage } from './runWorker';

const port = parentPort;
if (port) {
  const { request } = workerInput<{ file: string }>(workerData);
  const post = (m: WorkerMessage<ModelText, Diagnostic>) => port.postMessage(m);
  try {
    const loaded = loadModelFile(request.file);
    post(
      loaded.ok
        ? { kind: 'result', result: printModel(loaded.model) }
        : { kind: 'error', error: loaded.error },
    );
  } catch (e) {
    post({ kind: 'crash', message: (e as Error).stack ?? String(e) });
  }
}
