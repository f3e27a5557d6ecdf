import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { customEditorTab, waitFor, workspace } from './hostSupport';

describe('Block Sparse Studio in VS Code (extension host)', () => {
  it('activates and registers its commands', async () => {
    const ext = vscode.extensions.getExtension('block-sparse-studio.block-sparse-studio');
    assert.ok(ext, 'the extension is installed');
    const api = (await ext.activate()) as { activationMs: number };
    assert.ok(
      api.activationMs >= 0 && api.activationMs < 1000,
      `activation took ${api.activationMs} ms`,
    );
    fs.writeFileSync(path.join(workspace(), '.activation-ms'), String(api.activationMs));
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['blockSparse.analyzeModel', 'blockSparse.sparsify'])
      assert.ok(commands.includes(c), c);
  });

  it('opening an .onnx file opens the Block Sparse model view (custom editor)', async () => {
    const uri = vscode.Uri.file(path.join(workspace(), 'mini.onnx'));
    await vscode.commands.executeCommand('vscode.open', uri);
    const tab = await waitFor('the model view tab', () => customEditorTab(uri));
    assert.ok(tab.input instanceof vscode.TabInputCustom);
    assert.equal(tab.input.viewType, 'blockSparse.modelView');
    assert.equal(tab.input.uri.fsPath, uri.fsPath);
  });

  it('"Analyze Model" on a file runs the worker and leaves no error', async () => {
    const uri = vscode.Uri.file(path.join(workspace(), 'mini.onnx'));
    await vscode.commands.executeCommand('blockSparse.analyzeModel', uri);
    assert.ok(fs.existsSync(uri.fsPath));
  });

  it('the workspace is trusted, so Sparsify may write', () => {
    assert.equal(vscode.workspace.isTrusted, true);
  });
});
