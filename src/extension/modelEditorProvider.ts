import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Precision } from '../core/target/precision';
import { parseBlockShape } from '../core/blocks/blockGrid';
import { architectures, findArchitecture, readSettings } from './settings';
import type { ModelViewReport } from '../core/report/modelViewReport';
import { isWebviewMessage, type HostMessage, type TimeModelKind } from '../shared/protocol';
import type { EstimateStatus } from './estimateStatus';
import type { LayerTree } from './layerTree';
import { exportReport } from './exportReport';
import type { AnalysisService } from './analysisService';
import { modelViewHtml } from './webviewHtml';

export const MODEL_VIEW_TYPE = 'blockSparse.modelView';

/** The read-only custom editor for .onnx files: a webview fed with the analysis. */
export class ModelEditorProvider implements vscode.CustomReadonlyEditorProvider {
  /** Re-run functions of the open views, to refresh them when the array setting changes. */
  private readonly views = new Set<() => void>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly analysis: AnalysisService,
    private readonly status: EstimateStatus,
    private readonly tree: LayerTree,
  ) {}

  /** Open views by model path: how to post to them, and a layer to select once they have a report. */
  private readonly byFile = new Map<
    string,
    { post: (m: HostMessage) => void; pending?: string; ready: boolean; panel: vscode.WebviewPanel }
  >();

  /** Opens (or shows) the model view of `uri` and selects `layer` in it. */
  async reveal(uri: vscode.Uri, layer: string): Promise<void> {
    const open = this.byFile.get(uri.fsPath);
    if (open?.ready) {
      open.panel.reveal();
      open.post({ type: 'select', layer });
      return;
    }
    if (open) open.pending = layer;
    else this.pendingReveal.set(uri.fsPath, layer);
    await vscode.commands.executeCommand('vscode.openWith', uri, MODEL_VIEW_TYPE);
  }

  private readonly pendingReveal = new Map<string, string>();

  /** Re-estimates every open model view (the chosen array changed). */
  refreshAll(): void {
    for (const refresh of this.views) refresh();
  }

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
    const entry = {
      post,
      pending: this.pendingReveal.get(document.uri.fsPath),
      ready: false,
      panel,
    };
    this.pendingReveal.delete(document.uri.fsPath);
    this.byFile.set(document.uri.fsPath, entry);
    let shown: { arch: string; report: ModelViewReport | undefined } = {
      arch: readSettings(document.uri).arch,
      report: undefined,
    };
    const showStatus = () => {
      if (!panel.active) return;
      this.status.show(file, shown.arch, shown.report);
      if (shown.report) this.tree.show(document.uri, shown.arch, shown.report);
    };
    const run = async (
      block?: string,
      archName?: string,
      chosen?: Precision,
      chosenModel?: TimeModelKind,
    ) => {
      const shape = block ? parseBlockShape(block) : undefined;
      // only known presets: the webview is an input boundary
      const arch =
        archName && findArchitecture(archName, document.uri)
          ? archName
          : readSettings(document.uri).arch;
      try {
        const precision = chosen ?? readSettings(document.uri).precision;
        const timeModel = chosenModel ?? readSettings(document.uri).timeModel;
        const outcome = await this.analysis.analyze(
          document.uri,
          shape,
          arch,
          precision,
          timeModel,
        );
        if (outcome.ok === 'cancelled') {
          post({ type: 'error', file, code: 'cancelled', message: 'Analysis cancelled.' });
        } else if (outcome.ok) {
          shown = { arch, report: outcome.report };
          showStatus();
          post({
            type: 'report',
            file,
            report: outcome.report,
            archs: architectures(document.uri).archs.map((a) => a.name),
            arch,
            precision,
            timeModel,
          });
          entry.ready = true;
          if (entry.pending) post({ type: 'select', layer: entry.pending });
          entry.pending = undefined;
        } else {
          post({ type: 'error', file, code: outcome.error.code, message: outcome.error.message });
        }
      } catch (e) {
        post({ type: 'error', file, code: 'internal', message: (e as Error).message });
      }
    };
    let lastBlock: string | undefined;
    let lastPrecision: Precision | undefined;
    let lastModel: TimeModelKind | undefined;
    webview.onDidReceiveMessage((m: unknown) => {
      if (!isWebviewMessage(m)) return; // the webview is an input boundary
      if (m.type === 'ready') void run();
      else if (m.type === 'selected') void this.tree.revealLayer(m.layer);
      else if (m.type === 'export') {
        if (shown.report) void exportReport(document.uri, shown.report, m.format);
      } else if (m.type === 'goToSource') {
        void vscode.commands.executeCommand(
          'blockSparse.goToLayerDefinition',
          document.uri,
          m.layer,
        );
      } else {
        lastBlock = m.block;
        lastPrecision = m.precision;
        lastModel = m.timeModel;
        void run(m.block, m.arch, m.precision, m.timeModel);
      }
    });
    // settings changed: the array follows them; block shape, precision and model stay as chosen here
    const refresh = () => void run(lastBlock, undefined, lastPrecision, lastModel);
    this.views.add(refresh);
    panel.onDidChangeViewState(() => (panel.active ? showStatus() : this.status.hide()));
    panel.onDidDispose(() => {
      this.views.delete(refresh);
      if (this.byFile.get(document.uri.fsPath) === entry) this.byFile.delete(document.uri.fsPath);
      if (panel.active) this.status.hide();
    });
  }
}
