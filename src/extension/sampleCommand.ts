import * as vscode from 'vscode';
import { SAMPLE_DESCRIPTION } from '../node/sampleModel';
import { runWorker } from '../node/runWorker';
import { MODEL_VIEW_TYPE } from './modelEditorProvider';

/**
 * "Block Sparse: Open Sample Model": the sample (a quarter-width ResNet-50, half its blocks
 * zero) written once into the extension's global storage by a worker — the installed VSIX
 * carries the generator, not 8 MB of weights — and opened in the model view.
 */
export async function openSampleCommand(
  context: vscode.ExtensionContext,
): Promise<vscode.Uri | undefined> {
  const folder = vscode.Uri.joinPath(context.globalStorageUri, 'samples').fsPath;
  const script = vscode.Uri.joinPath(context.extensionUri, 'dist', 'sampleWorker.js').fsPath;
  const outcome = await vscode.window
    .withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Block Sparse: writing the sample model' },
      () =>
        runWorker<{ folder: string }, { file: string; created: boolean }, string>(
          script,
          { folder },
          () => undefined,
        ),
    )
    .then(undefined, (e: Error) => ({ ok: false as const, error: e.message }));
  if (outcome.ok !== true) {
    const why = outcome.ok === false ? outcome.error : 'cancelled';
    void vscode.window.showErrorMessage(`Could not write the sample model: ${why}`);
    return undefined;
  }
  const uri = vscode.Uri.file(outcome.result.file);
  if (outcome.result.created)
    void vscode.window.showInformationMessage(`Sample model: ${SAMPLE_DESCRIPTION}.`);
  await vscode.commands.executeCommand('vscode.openWith', uri, MODEL_VIEW_TYPE, {
    viewColumn: vscode.ViewColumn.One,
  });
  return uri;
}
