import * as vscode from 'vscode';
import { modelViewPage } from './modelViewPage';

/** The model view's HTML for a webview, with the URIs VS Code gives our bundled files. */
export function modelViewHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const uri = (...p: string[]) =>
    webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p)).toString();
  return modelViewPage({
    cspSource: webview.cspSource,
    scriptUri: uri('dist', 'webview.js'),
    styleUri: uri('media', 'modelView.css'),
  });
}
