import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { waitFor, workspace } from './hostSupport';
import type { BlockSparseApi } from '../../src/extension/extension';
import { ASSUMPTION_NAMES } from '../../src/core/estimate/assumptions';

type Api = BlockSparseApi;

describe('Settings: custom arrays and precision (extension host)', () => {
  const config = () => vscode.workspace.getConfiguration('blockSparse');
  after(async () => {
    for (const key of [
      'customArchitectures',
      'architecture',
      'precision',
      'timeModel',
      'refined.assumptions',
    ]) {
      await config().update(key, undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('a custom array from the settings is estimated on, and bf16 is slower than int8', async () => {
    const ext = vscode.extensions.getExtension('block-sparse-studio.block-sparse-studio');
    assert.ok(ext);
    const api = (await ext.activate()) as Api;
    await vscode.commands.executeCommand(
      'vscode.openWith',
      vscode.Uri.file(path.join(workspace(), 'mini.onnx')),
      'blockSparse.modelView',
    );
    await config().update(
      'customArchitectures',
      [{ name: 'lab-6x2', columns: 6, rows: 2 }],
      vscode.ConfigurationTarget.Workspace,
    );
    await config().update('architecture', 'lab-6x2', vscode.ConfigurationTarget.Workspace);
    const int8 = await waitFor('an estimate on lab-6x2', () => {
      const e = api.activeEstimate();
      return e?.arch === 'lab-6x2' ? e : undefined;
    });
    await config().update('precision', 'bf16', vscode.ConfigurationTarget.Workspace);
    const bf16 = await waitFor('the bf16 estimate', () => {
      const e = api.activeEstimate();
      return e && e.arch === 'lab-6x2' && e.dense !== int8.dense ? e : undefined;
    });
    assert.ok(bf16.dense > int8.dense, `bf16 ${bf16.dense} s vs int8 ${int8.dense} s`);
  });

  it('blockSparse.timeModel refined re-estimates; every assumption off gives paper mode back', async () => {
    const ext = vscode.extensions.getExtension('block-sparse-studio.block-sparse-studio');
    assert.ok(ext);
    const api = (await ext.activate()) as Api;
    const paper = await waitFor('a paper estimate', () => {
      const e = api.activeEstimate();
      return e?.model === 'paper' ? e : undefined;
    });
    await config().update('timeModel', 'refined', vscode.ConfigurationTarget.Workspace);
    const refined = await waitFor('the refined estimate', () => {
      const e = api.activeEstimate();
      return e?.model === 'refined' ? e : undefined;
    });
    assert.notEqual(refined.dense, paper.dense, 'refined mode moves the estimate');
    const off = Object.fromEntries(ASSUMPTION_NAMES.map((n) => [n, false]));
    await config().update('refined.assumptions', off, vscode.ConfigurationTarget.Workspace);
    const none = await waitFor('refined with every assumption off', () => {
      const e = api.activeEstimate();
      return e?.model === 'refined' && e.dense !== refined.dense ? e : undefined;
    });
    assert.equal(none.dense, paper.dense);
    assert.equal(none.sparse, paper.sparse);
  });
});
