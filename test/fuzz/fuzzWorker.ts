/** Worker thread of the fuzzer: generates and runs the cases the main thread hands it. */
import { parentPort, workerData } from 'node:worker_threads';
import { CaseGenerator } from './fuzzCase';
import { runCase } from './runCase';

export interface CaseRequest {
  readonly seed: number;
  readonly index: number;
}

export interface CaseReport {
  readonly index: number;
  readonly seedModel: string;
  readonly mutators: string[];
  readonly codes: string[];
  readonly results: number;
  readonly crash?: { readonly entry: string; readonly message: string };
}

const port = parentPort;
if (port) {
  const generator = new CaseGenerator();
  // the main thread owns (and removes) this folder: a terminated worker cannot clean up
  const dir = (workerData as { dir: string }).dir;
  port.on('message', (req: CaseRequest) => {
    const c = generator.generate(req.seed, req.index);
    const outcome = runCase(dir, c.bytes, c.sideFiles);
    const report: CaseReport = {
      index: req.index,
      seedModel: c.seedModel,
      mutators: c.mutators,
      ...outcome,
    };
    port.postMessage(report);
  });
  port.postMessage('ready');
}
