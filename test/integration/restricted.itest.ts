import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { customEditorTab, waitFor, workspace } from './hostSupport';

/**
 * Restricted Mode (an untrusted folder): viewing, analysing and the text view work; Sparsify
 * writes nothing. The browser checks of this session see the messages the user gets.
 */

describe('Block Sparse Studio in Restricted Mode (extension host)', () => {
  const model = () => vscode.Uri.file(path.join(workspace(), 'mini.onnx'));

  it('the workspace is not trusted, and the extension still activates', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const ext = vscode.extensions.getExtension('block-sparse-studio.block-sparse-studio');
    assert.ok(ext);
    await ext.activate();
    assert.ok(ext.isActive);
  });

  it('view: an .onnx file opens in the model view', async () => {
    await vscode.commands.executeCommand('vscode.open', model());
    const tab = await waitFor('the model view tab', () => customEditorTab(model()));
    assert.equal((tab.input as vscode.TabInputCustom).viewType, 'blockSparse.modelView');
  });

  it('analyse: "Analyze Model" and the model as text work', async () => {
    await vscode.commands.executeCommand('blockSparse.analyzeModel', model());
    await vscode.commands.executeCommand('blockSparse.openAsText', model());
    const doc = await waitFor('the model text', () =>
      vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'blocksparse-model'),
    );
    assert.match(doc.getText(), /Conv/);
  });

  it('write: Sparsify returns without writing anything', async () => {
    const before = fs.readdirSync(workspace()).sort();
    const bytes = fs.readFileSync(model().fsPath);
    await vscode.commands.executeCommand('blockSparse.sparsify', model());
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(fs.readdirSync(workspace()).sort(), before);
    assert.ok(bytes.equals(fs.readFileSync(model().fsPath)), 'the model is untouched');
  });
});
