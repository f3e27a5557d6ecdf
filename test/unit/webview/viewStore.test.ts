import { strict as assert } from 'node:assert';
import { findPreset } from '../../../src/core/target/presets';
import { simulate } from '../../../src/core/estimate/simulate';
import { modelViewReport } from '../../../src/core/report/modelViewReport';
import type { HostMessage, ModelViewReport } from '../../../src/shared/protocol';
import { frameScheduler } from '../../../webview/frameScheduler';
import { initialState, reduce, ViewStore, type ViewState } from '../../../webview/viewStore';
import { inceptionBlock } from '../../fixtures/models';
import { analyzeBytes } from '../../support/analyzeBytes';
import { compileInputOf } from '../../support/compileBytes';

function fixtureReport(): ModelViewReport {
  const bytes = inceptionBlock().bytes;
  const arch = findPreset('paper-4x4');
  assert.ok(arch);
  return modelViewReport(
    analyzeBytes(bytes),
    simulate(compileInputOf(bytes), { arch, trace: false }),
  );
}

const reportMessage = (report: ModelViewReport, arch = 'paper-4x4'): HostMessage => ({
  type: 'report',
  file: 'inception.onnx',
  report,
  archs: ['paper-4x4', 'phoenix'],
  arch,
  precision: 'int8',
  timeModel: 'paper',
  inputShapes: [],
});

describe('model view store (webview, pure)', () => {
  const report = fixtureReport();
  const names = report.analysis.layers.map((l) => l.name);
  const loaded = reduce(initialState(undefined), reportMessage(report));

  it('a report sets the model and the choices it was made with; a later one clears an error', () => {
    assert.equal(loaded.model?.report, report);
    assert.equal(loaded.options.arch, 'paper-4x4');
    assert.equal(loaded.options.precision, 'int8');
    const failed = reduce(loaded, { type: 'error', file: 'f', code: 'BS001', message: 'bad' });
    assert.equal(failed.error?.code, 'BS001');
    assert.equal(reduce(failed, reportMessage(report)).error, undefined);
    // the same choices again keep the options object: views comparing it draw nothing anew
    assert.equal(reduce(loaded, reportMessage(report)).options, loaded.options);
    assert.equal(reduce(loaded, reportMessage(report, 'phoenix')).options.arch, 'phoenix');
  });

  it('a diff message sets the two models (Compare Models) and clears an error; picks select in it', () => {
    const failed = reduce(initialState(undefined), {
      type: 'error',
      file: 'b.onnx',
      code: 'BS001',
      message: 'bad',
    });
    const a = { file: 'a.onnx', report };
    const b = { file: 'b.onnx', report };
    const m: HostMessage = {
      type: 'diff',
      a,
      b,
      arch: 'phoenix',
      precision: 'bf16',
      timeModel: 'paper',
    };
    const s = reduce(failed, m);
    assert.equal(s.error, undefined);
    assert.equal(s.diff?.a, a);
    assert.equal(s.diff?.b, b);
    assert.equal(s.diff?.arch, 'phoenix');
    assert.equal(s.model, undefined, 'no model view report in a comparison');
    assert.equal(reduce(s, { type: 'pick', layer: names[1] }).options.selected, names[1]);
  });

  it('saved options survive the first state; unchanged actions return the same state', () => {
    const s = initialState({ tab: 'timeline', filter: 'conv' });
    assert.equal(s.options.tab, 'timeline');
    assert.equal(s.options.block, '8x8');
    assert.equal(reduce(s, { type: 'tab', tab: 'timeline' }), s);
    assert.equal(reduce(s, { type: 'filter', filter: 'conv' }), s);
    assert.equal(reduce(s, { type: 'progress', done: 1, total: 1 }), s);
    assert.equal(reduce(s, { type: 'progress', done: 0, total: 2 }).busy, true);
  });

  it('a host select reveals the layer: clears a filter that hides it, leaves Memory for Layers', () => {
    const layer = names[names.length - 1];
    let s: ViewState = reduce(loaded, { type: 'filter', filter: names[0] });
    s = reduce(s, { type: 'tab', tab: 'memory' });
    const selected = reduce(s, { type: 'select', layer });
    assert.equal(selected.options.selected, layer);
    assert.equal(selected.options.filter, '');
    assert.equal(selected.options.tab, 'layers');
    assert.equal(selected.reveal, s.reveal + 1);
    // the Sparsity and Timeline tabs show the layer where they are; a link always goes to Layers
    const onSparsity = reduce(loaded, { type: 'tab', tab: 'sparsity' });
    assert.equal(reduce(onSparsity, { type: 'select', layer }).options.tab, 'sparsity');
    assert.equal(reduce(onSparsity, { type: 'show', layer }).options.tab, 'layers');
    // a layer the model does not have (a stale code lens) changes nothing
    assert.equal(reduce(s, { type: 'select', layer: 'no such layer' }), s);
  });

  it('a pick selects without revealing (the row clicked is already in view)', () => {
    const s = reduce(loaded, { type: 'pick', layer: names[1] });
    assert.equal(s.options.selected, names[1]);
    assert.equal(s.reveal, loaded.reveal);
    assert.equal(reduce(s, { type: 'pick', layer: names[1] }), s);
  });

  it('the store tells listeners once per change, with the previous state, until unsubscribed', () => {
    const store = new ViewStore(loaded);
    const seen: [ViewState, ViewState][] = [];
    const stop = store.subscribe((s, p) => seen.push([s, p]));
    store.dispatch({ type: 'tab', tab: 'why' });
    store.dispatch({ type: 'tab', tab: 'why' });
    assert.equal(seen.length, 1);
    assert.equal(seen[0][1], loaded);
    assert.equal(seen[0][0].options.tab, 'why');
    stop();
    store.dispatch({ type: 'tab', tab: 'layers' });
    assert.equal(seen.length, 1);
    assert.equal(store.state.options.tab, 'layers');
  });
});

describe('frame scheduler (webview, pure)', () => {
  it('runs each task once per frame however often it was asked for; later asks wait a frame', () => {
    const frames: (() => void)[] = [];
    const f = frameScheduler((run) => frames.push(run));
    const ran: string[] = [];
    const a = () => ran.push('a');
    const again = () => {
      ran.push('again');
      f.schedule(a);
    };
    f.schedule(a);
    f.schedule(a);
    f.schedule(again);
    assert.equal(frames.length, 1, 'one frame requested for three asks');
    frames.shift()?.();
    assert.deepEqual(ran, ['a', 'again']);
    assert.equal(frames.length, 1, 'a task asked for during a frame gets the next one');
    frames.shift()?.();
    assert.deepEqual(ran, ['a', 'again', 'a']);
    assert.equal(f.frames, 2);
    f.schedule(a);
    f.cancel(a);
    frames.shift()?.();
    assert.deepEqual(ran, ['a', 'again', 'a'], 'a cancelled task does not run');
  });
});
