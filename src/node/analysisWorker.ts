/**
 * Worker-thread entry: analyses one file so that the extension host never blocks on a large
 * model. Cancellation is by terminating the worker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeFile } from './analyzeFile';
import type { AnalysisRequest, AnalysisWorkerMessage } from './workerProtocol';

const port = parentPort;
if (port) {
  const req = workerData as AnalysisRequest;
  const post = (m: AnalysisWorkerMessage) => port.postMessage(m);
  try {
    const result = analyzeFile(req.file, {
      block: req.block,
      inputShapes: new Map(req.inputShapes.map(([k, v]) => [k, [...v]])),
      dynamicDim: req.dynamicDim,
      onProgress: (done, total) => post({ kind: 'progress', done, total }),
    });
    post(
      result.ok
        ? { kind: 'result', report: result.report }
        : { kind: 'error', error: result.error },
    );
  } catch (e) {
    post({ kind: 'crash', message: (e as Error).stack ?? String(e) });
  }
}
