import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { MODEL_VIEW_TYPE } from './modelEditorProvider';

/** The walkthrough's id in package.json (contributes.walkthroughs). */
export const WALKTHROUGH_ID = 'blockSparse.gettingStarted';

/**
 * `npm start` names the model to show (code-server opens folders, not files): the extension
 * opens it in the model view when the window starts.
 */
export const OPEN_ON_START = 'BLOCK_SPARSE_OPEN_ON_START';

const SHOWN = 'blockSparse.walkthroughShown';

/**
 * On the first activation in a profile the walkthrough opens (beside the model `npm start`
 * asked for), unless the user turned off VS Code's own "open walkthroughs on install". The
 * walkthrough comes first: VS Code ticks a step when its context key changes after the steps
 * registered, so the model opened after it ticks "Open the sample model".
 */
export async function firstRun(context: vscode.ExtensionContext): Promise<void> {
  const open = process.env[OPEN_ON_START];
  const model = open && fs.existsSync(open) ? vscode.Uri.file(open) : undefined;
  const allowed = vscode.workspace
    .getConfiguration('workbench.welcomePage')
    .get<boolean>('walkthroughs.openOnInstall', true);
  if (!context.globalState.get<boolean>(SHOWN) && allowed) {
    await context.globalState.update(SHOWN, true);
    await vscode.commands.executeCommand(
      'workbench.action.openWalkthrough',
      `${context.extension.id}#${WALKTHROUGH_ID}`,
      model !== undefined,
    );
  }
  if (model)
    await vscode.commands.executeCommand('vscode.openWith', model, MODEL_VIEW_TYPE, {
      viewColumn: vscode.ViewColumn.One,
    });
}
