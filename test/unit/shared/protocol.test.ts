import { strict as assert } from 'node:assert';
import { isWebviewMessage } from '../../../src/shared/protocol';

describe('webview → host protocol guard', () => {
  it('accepts the messages of the protocol', () => {
    assert.ok(isWebviewMessage({ type: 'ready' }));
    assert.ok(isWebviewMessage({ type: 'reanalyze', block: '8x8', arch: 'paper-4x4' }));
    assert.ok(isWebviewMessage({ type: 'reanalyze', block: '16x4', arch: 'npu-strix' }));
    assert.ok(
      isWebviewMessage({ type: 'reanalyze', block: '8x8', arch: 'paper-4x4', precision: 'bf16' }),
    );
    assert.ok(isWebviewMessage({ type: 'selected', layer: '/conv1/Conv' }));
    assert.ok(isWebviewMessage({ type: 'goToSource', layer: '/fc/Gemm' }));
    assert.ok(isWebviewMessage({ type: 'export', format: 'trace' }));
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
      { type: 'reanalyze', block: '8x8', arch: 'paper-4x4', precision: 'int8', extra: 1 },
      { type: 'selected', layer: '' },
      { type: 'selected', layer: 42 },
      { type: 'goToSource', layer: 'x'.repeat(5000) },
      { type: 'export', format: 'exe' },
    ]) {
      assert.equal(isWebviewMessage(m), false, JSON.stringify(m));
    }
  });
});
