import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { eventually, workspace as folder } from './hostSupport';

describe('Jump to the PyTorch source (extension host)', () => {
  it('"Go to Layer Definition" opens the line that assigns the module', async () => {
    const model = vscode.Uri.file(path.join(folder(), 'mini.onnx'));
    await vscode.commands.executeCommand('blockSparse.goToLayerDefinition', model, '/fc/Gemm');
    const editor = await eventually(
      'net.py in an editor',
      () => vscode.window.activeTextEditor,
      (e) => e.document.uri.fsPath.endsWith('net.py'),
    );
    assert.match(
      editor.document.lineAt(editor.selection.active.line).text,
      /self\.fc = nn\.Linear\(32, 10\)/,
    );
  });

  it('Python code lenses above the module assignments carry the layer estimates', async () => {
    const doc = await vscode.workspace.openTextDocument(
      vscode.Uri.file(path.join(folder(), 'net.py')),
    );
    await vscode.window.showTextDocument(doc);
    // the lenses follow the model shown in the sidebar: make mini.onnx's view active again
    await vscode.commands.executeCommand(
      'vscode.openWith',
      vscode.Uri.file(path.join(folder(), 'mini.onnx')),
      'blockSparse.modelView',
    );
    const lenses = await eventually(
      'Python code lenses',
      () =>
        vscode.commands.executeCommand<vscode.CodeLens[]>(
          'vscode.executeCodeLensProvider',
          doc.uri,
          100,
        ),
      (l) => l.length >= 4,
    );
    const byLine = new Map(
      lenses.map((l) => [doc.lineAt(l.range.start.line).text.trim(), l.command?.title ?? '']),
    );
    assert.match(byLine.get('self.fc = nn.Linear(32, 10)') ?? '', /^block sparsity \d+\.\d% · /);
    assert.match(
      byLine.get('self.conv1 = nn.Conv2d(16, 16, 3, padding=1)') ?? '',
      /^2 layers · block sparsity/,
      'block0 and block1 share the class',
    );
    const fcLens = lenses.find((l) => doc.lineAt(l.range.start.line).text.includes('self.fc'));
    assert.equal(fcLens?.command?.command, 'blockSparse.revealLayer');
    assert.deepEqual(fcLens?.command?.arguments?.[1], '/fc/Gemm');
  });
});
