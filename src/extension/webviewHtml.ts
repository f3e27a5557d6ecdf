import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { modelViewPage } from './modelViewPage';

/** The bundle and stylesheet, read once per session (they do not change while it runs). */
let bundle: { script: string; style: string } | undefined;

/**
 * The model view's HTML for a webview: the bundle embedded (see PageResources.inline), or linked
 * by the URIs VS Code gives our files when they cannot be read here.
 */
export function modelViewHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  view: 'model' | 'diff' = 'model',
): string {
  const file = (...p: string[]) => vscode.Uri.joinPath(extensionUri, ...p);
  const uri = (...p: string[]) => webview.asWebviewUri(file(...p)).toString();
  try {
    bundle ??= {
      script: fs.readFileSync(file('dist', 'webview.js').fsPath, 'utf8'),
      style: fs.readFileSync(file('media', 'modelView.css').fsPath, 'utf8'),
    };
  } catch {
    bundle = undefined;
  }
  return modelViewPage(
    {
      cspSource: webview.cspSource,
      scriptUri: uri('dist', 'webview.js'),
      styleUri: uri('media', 'modelView.css'),
      inline: bundle,
    },
    undefined,
    view,
  );
}
