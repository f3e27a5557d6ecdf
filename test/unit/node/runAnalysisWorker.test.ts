import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { runAnalysisWorker } from '../../../src/node/runAnalysisWorker';
import { runWorker } from '../../../src/node/runWorker';
import { findPreset } from '../../../src/core/target/presets';
import type { ModelViewReport } from '../../../src/core/report/modelViewReport';
import { inceptionBlock } from '../../fixtures/models';
import { tempDir } from '../../support/tempDir';

const WORKER = path.resolve('dist/analysisWorker.js');

describe('analysis in a worker thread (dist/analysisWorker.js)', () => {
  let tmp: ReturnType<typeof tempDir>;
  before(() => (tmp = tempDir()));
  after(() => tmp.remove());
  const request = (file: string) => ({ file, block: { out: 8, in: 8 }, inputShapes: [] });

  it('returns the report and reports progress per layer', async () => {
    const f = inceptionBlock();
    const progress: number[] = [];
    const outcome = await runAnalysisWorker(WORKER, request(tmp.file('m.onnx', f.bytes)), (d) =>
      progress.push(d),
    );
    assert.ok(outcome.ok === true);
    assert.equal(outcome.report.analysis.layers.length, f.truths.length);
    assert.deepEqual(
      progress,
      f.truths.map((_, i) => i + 1),
    );
    assert.ok(
      outcome.report.analysis.layers[0].detail.blockMask instanceof Uint8Array,
      'typed arrays survive the thread hop',
    );
  });

  it('with an array, posts the analysis first (no estimate yet), then the estimate (no graph layout yet), then the full report', async () => {
    const arch = findPreset('paper-4x4');
    assert.ok(arch);
    const partials: ModelViewReport[] = [];
    const outcome = await runAnalysisWorker(
      WORKER,
      { ...request(tmp.file('p.onnx', inceptionBlock().bytes)), arch },
      () => undefined,
      undefined,
      (r) => partials.push(r),
    );
    assert.ok(outcome.ok === true && outcome.report.simulation);
    assert.equal(partials.length, 2);
    assert.equal(partials[0].simulation, null);
    // the graph is laid out last: the estimate is shown while dagre runs
    assert.ok(partials[1].simulation && partials[1].graph);
    assert.equal(partials[1].graphLayout, null);
    assert.ok(outcome.report.graphLayout && outcome.report.graphLayout.error === null);
    assert.equal(
      outcome.report.graphLayout.bodies[0]?.x.length,
      outcome.report.graph?.bodies[0].nodes.length,
    );
    assert.deepEqual(
      partials[0].analysis.layers.map((l) => l.name),
      outcome.report.analysis.layers.map((l) => l.name),
    );
  });

  it('returns model errors as diagnostics', async () => {
    const outcome = await runAnalysisWorker(
      WORKER,
      request(tmp.file('bad.onnx', 'not a model')),
      () => undefined,
    );
    assert.ok(outcome.ok === false);
    assert.equal(outcome.error.code, 'BS1001');
  });

  it('cancels by terminating the worker', async () => {
    const abort = new AbortController();
    const pending = runAnalysisWorker(
      WORKER,
      request(tmp.file('c.onnx', inceptionBlock().bytes)),
      () => undefined,
      abort.signal,
    );
    abort.abort();
    assert.deepEqual(await pending, { ok: 'cancelled' });
  });
});

describe('runWorker memory limit', () => {
  it('a worker that exhausts its heap rejects with a clear error; this process carries on', async () => {
    const tmp = tempDir();
    try {
      // a worker that keeps everything it allocates
      const script = tmp.file(
        'hog.js',
        'const keep = []; for (;;) keep.push(new Array(1e5).fill({ x: Math.random() }));',
      );
      await assert.rejects(
        runWorker(script, {}, () => undefined, undefined, 64),
        /ran out of memory \(its worker may use 64 MiB/,
      );
      assert.ok(process.memoryUsage().heapUsed < 1024 * 1024 * 1024);
    } finally {
      tmp.remove();
    }
  });
});
