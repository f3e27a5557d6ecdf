import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { resnetMini } from '../fixtures/models';
import { eventually, waitFor, workspace } from './hostSupport';
import type { BlockSparseApi } from '../../src/extension/extension';

type Api = BlockSparseApi;

/**
 * One model document behind every view (issue 14): files of their own, so the browser checks
 * running beside these suites cannot move the counts.
 */
describe('Model documents: one per file behind every view (extension host)', function () {
  this.timeout(120000);
  const config = () => vscode.workspace.getConfiguration('blockSparse');
  let api: Api;
  let a: vscode.Uri;
  let b: vscode.Uri;
  before(async () => {
    const ext = vscode.extensions.getExtension('block-sparse-studio.block-sparse-studio');
    assert.ok(ext);
    api = (await ext.activate()) as Api;
    // two models with an input of the same name ('image', batch N) and different weights
    a = vscode.Uri.file(path.join(workspace(), 'doc-a.onnx'));
    b = vscode.Uri.file(path.join(workspace(), 'doc-b.onnx'));
    fs.writeFileSync(a.fsPath, resnetMini({ zeroFraction: 0.5, seed: 31 }).bytes);
    fs.writeFileSync(b.fsPath, resnetMini({ zeroFraction: 0.25, seed: 32 }).bytes);
  });
  after(async () => {
    await config().update('architecture', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  const open = (uri: vscode.Uri, column = vscode.ViewColumn.Active) =>
    vscode.commands.executeCommand('vscode.openWith', uri, 'blockSparse.modelView', column);
  const settle = () => new Promise((r) => setTimeout(r, 1500));

  it('opening a model analyses it once; a second panel shows the same numbers without a run', async () => {
    await open(a);
    const first = await waitFor('the estimate of doc-a', () => api.estimateOf(a));
    assert.equal(api.analysisRuns(a), 1);
    await open(a, vscode.ViewColumn.Beside);
    await waitFor('a second panel', () => (api.panelCount(a) === 2 ? true : undefined));
    await settle();
    assert.equal(api.analysisRuns(a), 1, 'the second panel was answered from the document');
    assert.deepEqual(api.estimateOf(a), first);
  });

  it('switching to another model and back starts no analysis', async () => {
    await open(b);
    await waitFor('the estimate of doc-b', () => api.estimateOf(b));
    await open(a);
    await settle();
    assert.equal(api.analysisRuns(a), 1);
    assert.equal(api.analysisRuns(b), 1);
  });

  it('changing the array updates every view of the model with one run', async () => {
    await config().update('architecture', 'paper-2x2', vscode.ConfigurationTarget.Workspace);
    await waitFor('the paper-2x2 estimate', () =>
      api.estimateOf(a)?.arch === 'paper-2x2' ? true : undefined,
    );
    await settle();
    assert.equal(api.panelCount(a), 2);
    assert.equal(api.analysisRuns(a), 2, 'two panels, one run');
  });

  it('a change of the file on disk re-analyses it once', async () => {
    const before = api.estimateOf(a);
    fs.writeFileSync(a.fsPath, resnetMini({ zeroFraction: 0.75, seed: 31 }).bytes);
    await eventually(
      'the new estimate',
      () => api.estimateOf(a),
      (e) => e.sparse !== before?.sparse,
    );
    await settle();
    assert.equal(api.analysisRuns(a), 3);
  });

  it('two models with an input of the same name keep their own shapes', async () => {
    await api.setInputShapes(a, [['image', [1, 3, 64, 64]]]);
    await eventually(
      'doc-a at 64x64',
      () => api.estimateOf(a),
      (e) => e.inputs[0]?.[2] === 64,
    );
    assert.deepEqual(api.estimateOf(b)?.inputs[0], [1, 3, 32, 32], 'doc-b keeps its own');
    await api.setInputShapes(a, []);
    await eventually(
      'doc-a back at 32x32',
      () => api.estimateOf(a),
      (e) => e.inputs[0]?.[2] === 32,
    );
  });

  it('Compare Models of two open models: one panel, from the documents, no new analysis', async () => {
    await open(a);
    await open(b, vscode.ViewColumn.Beside);
    await waitFor('both estimates', () =>
      api.estimateOf(a) && api.estimateOf(b) ? true : undefined,
    );
    await settle();
    const runs = [api.analysisRuns(a), api.analysisRuns(b)];
    // as the explorer calls it with two files selected: (clicked, [selection])
    await vscode.commands.executeCommand('blockSparse.compareModels', a, [a, b]);
    await waitFor('the comparison', () => (api.comparisonCount() === 1 ? true : undefined));
    await settle();
    assert.deepEqual([api.analysisRuns(a), api.analysisRuns(b)], runs, 'the cached answers');
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.equal(tab?.label, 'doc-a.onnx ↔ doc-b.onnx');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await waitFor('the comparison closed', () => (api.comparisonCount() === 0 ? true : undefined));
  });
});
