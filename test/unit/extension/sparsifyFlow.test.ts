import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findPreset } from '../../../src/core/target/presets';
import type { Diagnostic } from '../../../src/core/diagnostics';
import { runWorker } from '../../../src/node/runWorker';
import type { SparsifyJobRequest, SparsifyJobResult } from '../../../src/node/sparsifyJob';
import {
  COMPARE,
  OPEN,
  sparsifyFlow,
  type JobRunner,
  type SparsifyDefaults,
  type SparsifyUi,
} from '../../../src/extension/sparsifyFlow';
import { resnetMini } from '../../fixtures/models';
import { tempDir } from '../../support/tempDir';

const WORKER = path.resolve('dist/sparsifyWorker.js');
const realJob: JobRunner = (req, onProgress, signal) =>
  runWorker<SparsifyJobRequest, SparsifyJobResult, Diagnostic>(WORKER, req, onProgress, signal);

const DEFAULTS: SparsifyDefaults = {
  target: 0.5,
  block: '8x8',
  criterion: 'l2',
  scope: 'layer',
  keepRowsCols: false,
  maxLayerRatio: 0.9,
  verify: true,
  inputShapes: [],
  dynamicDim: 224,
  arch: findPreset('paper-4x4'),
  precision: 'int8',
};

/** A scripted stand-in for the VS Code UI that records what the flow asked and showed. */
function scriptedUi(script: {
  picks?: unknown[];
  confirm?: boolean;
  action?: string;
  trusted?: boolean;
  abort?: boolean;
  input?: string;
}) {
  const log: string[] = [];
  const picks = [...(script.picks ?? [])];
  const ui: SparsifyUi & {
    summary?: string;
    details?: string;
    opened?: string;
    compared?: [string, string];
  } = {
    trusted: script.trusted ?? true,
    async pick(title, choices, current) {
      log.push(`pick ${title}`);
      assert.ok(
        choices.some((c) => c.value === current),
        `${title}: the default is offered`,
      );
      return (picks.length ? picks.shift() : current) as typeof current | undefined;
    },
    async input(title, value, validate) {
      log.push(`input ${title}`);
      assert.equal(validate('2'), 'a number from 0 to 0.95');
      assert.equal(validate('0.3'), undefined);
      return script.input ?? value;
    },
    async confirm(message) {
      log.push(`confirm ${message}`);
      return script.confirm ?? false;
    },
    async progress(title, task) {
      log.push(`progress ${title}`);
      const abort = new AbortController();
      if (script.abort) abort.abort();
      return task(() => undefined, abort.signal);
    },
    async done(summary, details, actions) {
      ui.summary = summary;
      ui.details = details;
      assert.deepEqual(actions, [OPEN, COMPARE]);
      return script.action;
    },
    error: (m) => log.push(`error ${m}`),
    openModel: async (f) => void (ui.opened = f),
    compare: async (a, b) => void (ui.compared = [a, b]),
  };
  return { ui, log };
}

describe('Sparsify… command flow (VS Code UI scripted, real worker)', function () {
  this.timeout(60000);
  let tmp: ReturnType<typeof tempDir>;
  let model: string;
  beforeEach(() => {
    tmp = tempDir();
    model = tmp.file('mini.onnx', resnetMini({ zeroFraction: 0 }).bytes);
  });
  afterEach(() => tmp.remove());

  it('writes the sparse model, reports sparsity, bytes, speedup and verification, opens it', async () => {
    const { ui, log } = scriptedUi({ action: OPEN });
    const out = await sparsifyFlow(model, DEFAULTS, ui, realJob);
    assert.equal(out, path.join(tmp.dir, 'mini.bs50.onnx'));
    assert.ok(fs.existsSync(out));
    assert.equal(ui.opened, out);
    assert.deepEqual(
      log.filter((l) => l.startsWith('pick')).length,
      5,
      'target, block, criterion, scope, balance',
    );
    assert.match(ui.summary ?? '', /% of blocks zero in 6 layers/);
    assert.match(ui.summary ?? '', /saved/);
    assert.match(ui.summary ?? '', /estimated \d+\.\d\dx faster on paper-4x4/);
    assert.match(ui.summary ?? '', /verified with ONNX Runtime/);
    assert.match(ui.details ?? '', /\/block0\/conv1\/Conv: 2\/4 zero blocks/);
    assert.match(ui.details ?? '', /cosine/);
  });

  it('balanced for the array: the report gives the refined speedups with and without', async () => {
    const { ui, log } = scriptedUi({ picks: [0.5, '8x8', 'l2', 'layer', true] });
    const out = await sparsifyFlow(model, { ...DEFAULTS, verify: false }, ui, realJob);
    assert.ok(out && fs.existsSync(out));
    assert.ok(log.includes('pick Balance the blocks for paper-4x4?'));
    assert.match(
      ui.summary ?? '',
      /balanced for paper-4x4: refined \d+\.\d\dx \(\d+\.\d\dx without\)/,
    );
    assert.match(ui.details ?? '', /L2 norm of the weights zeroed/);
  });

  it('Compare with Original opens both models', async () => {
    const { ui } = scriptedUi({ action: COMPARE, picks: [0.25] });
    const out = await sparsifyFlow(model, { ...DEFAULTS, verify: false }, ui, realJob);
    assert.deepEqual(ui.compared, [model, out]);
    assert.equal(path.basename(out ?? ''), 'mini.bs25.onnx');
    assert.match(ui.details ?? '', /Verification: verification not requested/);
  });

  it('a custom target through the input box', async () => {
    const { ui } = scriptedUi({ picks: [-1], input: '0.3' });
    const out = await sparsifyFlow(
      model,
      { ...DEFAULTS, verify: false, arch: undefined },
      ui,
      realJob,
    );
    assert.equal(path.basename(out ?? ''), 'mini.bs30.onnx');
  });

  it('asks before replacing an existing output; no means nothing is written', async () => {
    const existing = tmp.file('mini.bs50.onnx', 'mine');
    const no = scriptedUi({ confirm: false });
    assert.equal(await sparsifyFlow(model, DEFAULTS, no.ui, realJob), undefined);
    assert.equal(fs.readFileSync(existing, 'utf8'), 'mine');
    assert.ok(no.log.some((l) => l.startsWith('confirm') && l.includes('exists')));
    const yes = scriptedUi({ confirm: true });
    assert.equal(
      await sparsifyFlow(model, { ...DEFAULTS, verify: false }, yes.ui, realJob),
      existing,
    );
    assert.notEqual(fs.readFileSync(existing, 'utf8'), 'mine');
  });

  it('backing out of a pick, cancelling, or an untrusted workspace writes nothing', async () => {
    const before = fs.readdirSync(tmp.dir);
    const back = scriptedUi({ picks: [0.5, undefined] });
    assert.equal(await sparsifyFlow(model, DEFAULTS, back.ui, realJob), undefined);
    assert.ok(!back.log.some((l) => l.startsWith('progress')));
    const cancel = scriptedUi({ abort: true });
    assert.equal(await sparsifyFlow(model, DEFAULTS, cancel.ui, realJob), undefined);
    const untrusted = scriptedUi({ trusted: false });
    assert.equal(await sparsifyFlow(model, DEFAULTS, untrusted.ui, realJob), undefined);
    assert.ok(untrusted.log.some((l) => /trusted workspace/.test(l)));
    assert.deepEqual(fs.readdirSync(tmp.dir), before);
  });

  it('a cancel raised while the job runs removes everything it wrote', async () => {
    const before = fs.readdirSync(tmp.dir);
    const { ui } = scriptedUi({});
    ui.progress = async (_t, task) => {
      const abort = new AbortController();
      const run = task(() => abort.abort(), abort.signal); // cancel at the first progress report
      return run;
    };
    assert.equal(await sparsifyFlow(model, DEFAULTS, ui, realJob), undefined);
    assert.deepEqual(fs.readdirSync(tmp.dir), before);
  });
});
