import { strict as assert } from 'node:assert';
import { isHostMessage, isWebviewMessage } from '../../../src/shared/protocol';
import { resnetMini } from '../../fixtures/models';
import { modelViewReportOf } from '../../support/modelViewReport';

describe('webview → host protocol guard', () => {
  it('accepts the messages of the protocol', () => {
    assert.ok(isWebviewMessage({ type: 'ready' }));
    assert.ok(isWebviewMessage({ type: 'reanalyze', block: '8x8', arch: 'paper-4x4' }));
    assert.ok(isWebviewMessage({ type: 'setInputShapes', shapes: [['x', [1, 3, 640, 640]]] }));
    assert.ok(isWebviewMessage({ type: 'setInputShapes', shapes: [] }));
    assert.ok(isWebviewMessage({ type: 'reanalyze', block: '16x4', arch: 'npu-strix' }));
    assert.ok(
      isWebviewMessage({ type: 'reanalyze', block: '8x8', arch: 'paper-4x4', precision: 'bf16' }),
    );
    assert.ok(
      isWebviewMessage({
        type: 'reanalyze',
        block: '8x8',
        arch: 'paper-4x4',
        precision: 'int8',
        timeModel: 'refined',
      }),
    );
    assert.ok(isWebviewMessage({ type: 'selected', layer: '/conv1/Conv' }));
    assert.ok(isWebviewMessage({ type: 'goToSource', layer: '/fc/Gemm' }));
    assert.ok(isWebviewMessage({ type: 'export', format: 'trace' }));
    assert.ok(isWebviewMessage({ type: 'saveImage', format: 'svg', data: '<svg></svg>' }));
    assert.ok(isWebviewMessage({ type: 'saveImage', format: 'png', data: 'iVBORw0KGgo=' }));
  });

  it('refuses images that are not what they say', () => {
    assert.ok(!isWebviewMessage({ type: 'saveImage', format: 'svg', data: 'hello' }));
    assert.ok(!isWebviewMessage({ type: 'saveImage', format: 'png', data: 'not base64!' }));
    assert.ok(!isWebviewMessage({ type: 'saveImage', format: 'gif', data: 'R0lG' }));
    assert.ok(!isWebviewMessage({ type: 'saveImage', format: 'svg', data: '<svg>', path: '/etc' }));
  });

  it('rejects anything else', () => {
    for (const m of [
      null,
      undefined,
      42,
      'ready',
      [],
      {},
      { type: 'nope' },
      { type: 'ready', extra: 1 },
      { type: 'reanalyze', block: '8x8' },
      { type: 'reanalyze', block: 8, arch: 'paper-4x4' },
      { type: 'reanalyze', block: '8x8; rm -rf', arch: 'paper-4x4' },
      { type: 'reanalyze', block: '99999x8', arch: 'paper-4x4' },
      { type: 'reanalyze', block: '8x8', arch: '../../etc/passwd' },
      { type: 'reanalyze', block: '8x8', arch: '<script>' },
      { type: 'reanalyze', block: '8x8', arch: 'paper-4x4', extra: true },
      { type: 'reanalyze', block: '8x8', arch: 'paper-4x4', precision: 'fp64' },
      { type: 'reanalyze', block: '8x8', arch: 'paper-4x4', precision: 8 },
      { type: 'reanalyze', block: '8x8', arch: 'paper-4x4', timeModel: 'oracle' },
      { type: 'setInputShapes', shapes: [['x', [1, 3, 0, 224]]] },
      { type: 'setInputShapes', shapes: [['x', [1, 3, 2 ** 21, 224]]] },
      { type: 'setInputShapes', shapes: [['', [1]]] },
      { type: 'setInputShapes', shapes: 'x=1x3' },
      { type: 'setInputShapes', shapes: [], extra: 1 },
      { type: 'reanalyze', block: '8x8', arch: 'paper-4x4', precision: 'int8', extra: 1 },
      { type: 'selected', layer: '' },
      { type: 'selected', layer: 42 },
      { type: 'goToSource', layer: 'x'.repeat(5000) },
      { type: 'export', format: 'exe' },
      JSON.parse('{"type":"ready","__proto__":{"polluted":true}}'),
      { type: 'selected', layer: ['/conv1/Conv'] },
      { type: 'export', format: { toString: () => 'csv' } },
    ]) {
      assert.equal(isWebviewMessage(m), false, JSON.stringify(m));
    }
  });
});

describe('host → webview protocol guard', () => {
  const report = modelViewReportOf(resnetMini().bytes);
  const good = {
    type: 'report',
    file: 'm.onnx',
    report,
    archs: ['paper-4x4'],
    arch: 'paper-4x4',
    precision: 'int8',
    timeModel: 'paper',
    inputShapes: [],
  };

  const diff = {
    type: 'diff',
    a: { file: 'm.onnx', report },
    b: { file: 'm.bs50.onnx', report },
    arch: 'paper-4x4',
    precision: 'int8',
    timeModel: 'refined',
  };

  it('accepts the messages of the protocol', () => {
    assert.ok(isHostMessage(good));
    assert.ok(isHostMessage({ ...good, report: { ...report, simulation: null, why: [] } }));
    assert.ok(isHostMessage({ type: 'progress', done: 3, total: 10 }));
    assert.ok(isHostMessage({ type: 'select', layer: '/conv1/Conv' }));
    assert.ok(isHostMessage({ type: 'error', file: 'm.onnx', code: 'BS1001', message: 'bad' }));
    assert.ok(isHostMessage(diff));
  });

  it('drops malformed messages', () => {
    for (const m of [
      null,
      'report',
      { type: 'report' },
      { ...good, report: null },
      { ...good, report: { analysis: null, simulation: null } },
      { ...good, report: { ...report, analysis: { ...report.analysis, layers: 'all' } } },
      { ...good, report: { ...report, analysis: { ...report.analysis, layers: [{}] } } },
      { ...good, report: { ...report, simulation: { modes: null } } },
      { ...good, archs: [1] },
      { ...good, precision: 'fp64' },
      { ...good, timeModel: 'oracle' },
      { ...good, inputShapes: [['x', [0]]] },
      { ...good, inputShapes: undefined },
      { ...good, report: { ...report, why: null } },
      { ...good, report: { ...report, ledger: 7 } },
      { ...good, file: 'x'.repeat(5000) },
      { type: 'progress', done: '1', total: 2 },
      { type: 'progress', done: Number.NaN, total: 2 },
      { type: 'select', layer: 7 },
      { type: 'error', file: 'm.onnx', code: 'BS1001' },
      { type: 'script', source: 'alert(1)' },
      { ...diff, a: undefined },
      { ...diff, b: { file: 'b.onnx' } },
      { ...diff, b: { file: 7, report } },
      { ...diff, a: { file: 'a.onnx', report: { ...report, why: null } } },
      { ...diff, precision: 'fp64' },
      { ...diff, timeModel: 'oracle' },
      { ...diff, arch: 'x'.repeat(65) },
    ]) {
      assert.equal(isHostMessage(m), false, JSON.stringify(m)?.slice(0, 120));
    }
  });
});
