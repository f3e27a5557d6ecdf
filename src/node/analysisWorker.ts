/**
 * Worker-thread entry: analyses one file so that the extension host never blocks on a large
 * model. Cancellation is by terminating the worker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Diagnostic } from '../core/diagnostics';
import type { ModelViewReport } from '../core/report/modelViewReport';
import { modelViewReportFile } from './modelViewReport';
import { workerInput, type WorkerMessage } from './runWorker';
import type { AnalysisRequest } from './workerProtocol';

const port = parentPort;
if (port) {
  const { request: req, isCancelled } = workerInput<AnalysisRequest>(workerData);
  const post = (m: WorkerMessage<ModelViewReport, Diagnostic>) => port.postMessage(m);
  try {
    const result = modelViewReportFile(req.file, {
      arch: req.arch,
      precision: req.precision,
      model: req.model,
      block: req.block,
      inputShapes: new Map(req.inputShapes.map(([k, v]) => [k, [...v]])),
      dynamicDim: req.dynamicDim,
      onProgress: (done, total) => post({ kind: 'progress', done, total }),
      onAnalysis: (report) => post({ kind: 'partial', result: report }),
      isCancelled,
    });
    if (isCancelled()) post({ kind: 'cancelled' });
    else
      post(
        result.ok
          ? { kind: 'result', result: result.report }
          : { kind: 'error', error: result.error },
      );
  } catch (e) {
    post({ kind: 'crash', message: (e as Error).stack ?? String(e) });
  }
}
