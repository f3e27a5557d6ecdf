import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { eventually, workspace } from './hostSupport';

describe('Model as text (extension host)', () => {
  let doc: vscode.TextDocument;

  before(async () => {
    const model = vscode.Uri.file(path.join(workspace(), 'mini.onnx'));
    await vscode.commands.executeCommand('blockSparse.openAsText', model);
    doc = await eventually(
      'the text view',
      () =>
        vscode.window.visibleTextEditors
          .map((e) => e.document)
          .find((d) => d.uri.scheme === 'blocksparse-model'),
      () => true,
    );
  });

  it('"Open Model as Text" shows the model in onnx.printer syntax', () => {
    assert.match(doc.getText(), /^main_graph \(float\[N,3,32,32\] image\)/m);
    assert.match(doc.getText(), /= Conv <dilations: ints = \[1, 1\]/);
    assert.equal(doc.isDirty, false);
    assert.equal(doc.languageId, 'onnx-text', 'the TextMate grammar applies');
  });

  it('code lenses above every Conv/Gemm line give sparsity, bytes and the estimate', async () => {
    let lenses = await eventually(
      'code lenses',
      () =>
        vscode.commands.executeCommand<vscode.CodeLens[]>(
          'vscode.executeCodeLensProvider',
          doc.uri,
          100,
        ),
      (l) => l.length > 0 && l.every((x) => x.command !== undefined),
    );
    const goTo = lenses.filter((l) => l.command?.command === 'blockSparse.goToLayerDefinition');
    assert.equal(goTo.length, 7, 'torch-style names: every layer offers its Python definition');
    lenses = lenses.filter((l) => l.command?.command !== 'blockSparse.goToLayerDefinition');
    assert.equal(lenses.length, 7, 'six convs and the Gemm');
    for (const l of lenses) {
      const line = doc.lineAt(l.range.start.line).text;
      assert.match(line, /= (Conv|Gemm) /);
      // paper mode cuts the graph at the Flatten: the classifier is CPU work
      assert.match(
        l.command?.title ?? '',
        / Gemm /.test(line)
          ? /^block sparsity \d+\.\d% · .+ → .+ · on the CPU \(graph cut\)$/
          : /^block sparsity \d+\.\d% · .+ → .+ · [\d.]+ µs → [\d.]+ µs on paper-\dx\d$/,
      );
      assert.equal(l.command?.command, 'blockSparse.revealLayer');
    }
  });

  it('the outline lists the graph and its nodes', async () => {
    const symbols = await eventually(
      'document symbols',
      () =>
        vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
          'vscode.executeDocumentSymbolProvider',
          doc.uri,
        ),
      (s) => s.length > 0,
    );
    assert.equal(symbols[0].name, 'main_graph');
    const children = symbols[0].children.map((c) => c.name);
    assert.ok(children.includes('/stem/conv/Conv') && children.includes('/fc/Gemm'));
  });

  it('Go to Definition on a weight jumps to its initializer; Find References lists its uses', async () => {
    const text = doc.getText();
    const use = text.indexOf('stem.conv.weight)');
    assert.ok(use > 0);
    const pos = doc.positionAt(use + 3);
    const defs = await vscode.commands.executeCommand<vscode.Location[]>(
      'vscode.executeDefinitionProvider',
      doc.uri,
      pos,
    );
    assert.equal(defs.length, 1);
    assert.match(
      doc.lineAt(defs[0].range.start.line).text,
      /float\[16,3,3,3\] stem\.conv\.weight,/,
    );
    const refs = await vscode.commands.executeCommand<vscode.Location[]>(
      'vscode.executeReferenceProvider',
      doc.uri,
      pos,
    );
    assert.equal(refs.length, 2, 'its definition and the Conv that reads it');
  });

  it('a code lens opens the model view on that layer', async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      doc.uri,
      100,
    );
    const cmd = lenses.find((l) => l.command?.command === 'blockSparse.revealLayer')?.command;
    assert.ok(cmd);
    await vscode.commands.executeCommand(cmd.command, ...(cmd.arguments ?? []));
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(
      tab?.input instanceof vscode.TabInputCustom && tab.input.viewType === 'blockSparse.modelView',
    );
  });
});
