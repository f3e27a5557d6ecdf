import * as vscode from 'vscode';
import { AnalysisService } from './analysisService';
import { analyzeModelCommand } from './analyzeModelCommand';
import { MODEL_VIEW_TYPE, ModelEditorProvider } from './modelEditorProvider';
import { sparsifyCommand } from './sparsifyCommand';

/** Activation stays light: registrations only; every analysis runs later, in a worker. */
export function activate(context: vscode.ExtensionContext): void {
  const service = new AnalysisService(context.extensionUri);
  const output = vscode.window.createOutputChannel('Block Sparse');
  context.subscriptions.push(
    service,
    output,
    vscode.window.registerCustomEditorProvider(
      MODEL_VIEW_TYPE,
      new ModelEditorProvider(context.extensionUri, service),
      {
        webviewOptions: { retainContextWhenHidden: false },
        supportsMultipleEditorsPerDocument: true,
      },
    ),
    vscode.commands.registerCommand('blockSparse.analyzeModel', (arg: unknown) =>
      analyzeModelCommand(arg, service, output),
    ),
    vscode.commands.registerCommand('blockSparse.sparsify', (arg: unknown) =>
      sparsifyCommand(arg, context.extensionUri, output),
    ),
  );
}

export function deactivate(): void {
  // nothing to release beyond context.subscriptions
}
