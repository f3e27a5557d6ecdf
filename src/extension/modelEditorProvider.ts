import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseBlockShape } from '../core/analysis/blockGrid';
import { ARCHITECTURE_PRESETS, findPreset } from '../core/aie/presets';
import { readSettings } from './settings';
import { isWebviewMessage, type HostMessage } from '../shared/protocol';
import type { AnalysisService } from './analysisService';
import { modelViewHtml } from './webviewHtml';

export const MODEL_VIEW_TYPE = 'blockSparse.modelView';

/** The read-only custom editor for .onnx files: a webview fed with the analysis. */
export class ModelEditorProvider implements vscode.CustomReadonlyEditorProvider {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly analysis: AnalysisService,
  ) {}

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): void {
    const webview = panel.webview;
    webview.options = {
      enableScripts: true,
      localResourceRoots: [
        vscode.Uri.joinPath(this.extensionUri, 'dist'),
        vscode.Uri.joinPath(this.extensionUri, 'media'),
      ],
    };
    webview.html = modelViewHtml(webview, this.extensionUri);
    const post = (m: HostMessage) => void webview.postMessage(m);
    const file = path.basename(document.uri.fsPath);
    const run = async (block?: string, archName?: string) => {
      const shape = block ? parseBlockShape(block) : undefined;
      // only known presets: the webview is an input boundary
      const arch = archName && findPreset(archName) ? archName : readSettings(document.uri).arch;
      try {
        const outcome = await this.analysis.analyze(document.uri, shape, arch);
        if (outcome.ok === 'cancelled') {
          post({ type: 'error', file, code: 'cancelled', message: 'Analysis cancelled.' });
        } else if (outcome.ok) {
          post({
            type: 'report',
            file,
            report: outcome.report,
            archs: ARCHITECTURE_PRESETS.map((a) => a.name),
            arch,
          });
        } else {
          post({ type: 'error', file, code: outcome.error.code, message: outcome.error.message });
        }
      } catch (e) {
        post({ type: 'error', file, code: 'internal', message: (e as Error).message });
      }
    };
    webview.onDidReceiveMessage((m: unknown) => {
      if (!isWebviewMessage(m)) return; // the webview is an input boundary
      if (m.type === 'ready') void run();
      else void run(m.block, m.arch);
    });
  }
}
