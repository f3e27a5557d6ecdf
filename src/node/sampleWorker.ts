/** Worker-thread entry: writes the sample model (Open Sample Model), off the extension host. */
import { parentPort, workerData } from 'node:worker_threads';
import { ensureSampleModel } from './sampleModel';
import { workerInput, type WorkerMessage } from './runWorker';

const port = parentPort;
if (port) {
  const { request } = workerInput<{ folder: string }>(workerData);
  const post = (m: WorkerMessage<{ file: string; created: boolean }, string>) =>
    port.postMessage(m);
  try {
    post({ kind: 'result', result: ensureSampleModel(request.folder) });
  } catch (e) {
    post({ kind: 'error', error: (e as Error).message });
  }
}
