/**
 * Lays out the generated graph in a worker thread with a large stack, as the analysis worker
 * does (dagre recurses as deep as the graph is long; a main thread's stack is too small).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { layoutGraph } from '../src/core/report/graphLayout';
import { syntheticGraph } from './syntheticGraph';

const graph = syntheticGraph(workerData as number);
const t0 = performance.now();
const layout = layoutGraph(graph);
parentPort?.postMessage({ graph, layout, ms: performance.now() - t0 });
