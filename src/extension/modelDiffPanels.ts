import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ModelViewReport } from '../core/report/modelViewReport';
import { isWebviewMessage, type HostMessage } from '../shared/protocol';
import { exportGraphImage } from './exportReport';
import type { ModelDocuments } from './modelDocuments';
import { readSettings } from './settings';
import { modelViewHtml } from './webviewHtml';

export const MODEL_DIFF_VIEW_TYPE = 'blockSparse.modelDiff';

/** One open comparison. */
interface DiffPanel {
  readonly a: vscode.Uri;
  readonly b: vscode.Uri;
  readonly refresh: () => void;
}

/**
 * The Compare Models panels: one webview of two models (the same bundle as the model view, its
 * page marked "diff"). Both reports come from the model documents — the same cached answers the
 * model views show, on the array, precision and model the settings give for b — so a comparison
 * of a model with its Sparsify output costs nothing when both are already open.
 */
export class ModelDiffPanels implements vscode.Disposable {
  private readonly open = new Set<DiffPanel>();
  private readonly listener: vscode.Disposable;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly documents: ModelDocuments,
  ) {
    // a model file changed on disk: the comparisons that show it ask again
    this.listener = documents.onDidChangeFile((uri) => {
      for (const p of this.open)
        if (p.a.fsPath === uri.fsPath || p.b.fsPath === uri.fsPath) p.refresh();
    });
  }

  /** Open comparisons (tests). */
  count(): number {
    return this.open.size;
  }

  /** Settings changed: every comparison re-estimates. */
  refreshAll(): void {
    for (const p of this.open) p.refresh();
  }

  /** Opens one view comparing model b with model a (a: the original). */
  show(a: vscode.Uri, b: vscode.Uri, column = vscode.ViewColumn.Active): void {
    const name = (u: vscode.Uri) => path.basename(u.fsPath);
    const panel = vscode.window.createWebviewPanel(
      MODEL_DIFF_VIEW_TYPE,
      `${name(a)} ↔ ${name(b)}`,
      column,
      {
        enableScripts: true,
        retainContextWhenHidden: true,
        localResourceRoots: [
          vscode.Uri.joinPath(this.extensionUri, 'dist'),
          vscode.Uri.joinPath(this.extensionUri, 'media'),
        ],
      },
    );
    panel.webview.html = modelViewHtml(panel.webview, this.extensionUri, 'diff');
    let disposed = false;
    let pageUp = false;
    let latest: HostMessage | undefined;
    const send = (m: HostMessage) => {
      if (disposed) return;
      latest = m;
      if (!pageUp) return; // the page asks when it is up ('ready'); it gets the newest then
      try {
        panel.webview.postMessage(m).then(undefined, () => undefined);
      } catch {
        // disposed between the check and the call
      }
    };
    let request = 0;
    const run = async () => {
      const mine = ++request;
      const s = readSettings(b);
      const choice = { arch: s.arch, precision: s.precision, timeModel: s.timeModel };
      const answers = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `Comparing ${name(a)} and ${name(b)}` },
        () => Promise.all([this.documents.analyze(a, choice), this.documents.analyze(b, choice)]),
      );
      if (mine !== request) return; // a newer request answers
      const reports: ModelViewReport[] = [];
      for (const [i, { outcome }] of answers.entries()) {
        const file = name(i === 0 ? a : b);
        if (outcome.ok === 'cancelled')
          return send({ type: 'error', file, code: 'cancelled', message: 'Analysis cancelled.' });
        if (!outcome.ok)
          return send({
            type: 'error',
            file,
            code: outcome.error.code,
            message: outcome.error.message,
          });
        reports.push(outcome.report);
      }
      send({
        type: 'diff',
        a: { file: name(a), report: reports[0] },
        b: { file: name(b), report: reports[1] },
        arch: s.arch,
        precision: s.precision,
        timeModel: s.timeModel,
      });
    };
    const failed = (e: unknown) =>
      send({ type: 'error', file: name(b), code: 'internal', message: (e as Error).message });
    const entry: DiffPanel = { a, b, refresh: () => void run().catch(failed) };
    this.open.add(entry);
    const listener = panel.webview.onDidReceiveMessage((m: unknown) => {
      if (!isWebviewMessage(m)) return; // the webview is an input boundary
      if (m.type === 'ready') {
        pageUp = true;
        if (latest) send(latest);
      } else if (m.type === 'saveImage') void exportGraphImage(b, m.format, m.data);
      else if (m.type === 'goToSource')
        void vscode.commands.executeCommand('blockSparse.goToLayerDefinition', b, m.layer);
    });
    panel.onDidDispose(() => {
      disposed = true;
      listener.dispose();
      this.open.delete(entry);
    });
    entry.refresh();
  }

  dispose(): void {
    this.listener.dispose();
  }
}

/**
 * "Block Sparse: Compare Models": the two .onnx files selected in the explorer (the first is a),
 * or the one given and a second the user picks, or two picked.
 */
export async function compareModelsCommand(
  panels: ModelDiffPanels,
  arg?: unknown,
  selection?: unknown,
): Promise<void> {
  const onnx = (u: unknown): u is vscode.Uri =>
    u instanceof vscode.Uri && u.path.toLowerCase().endsWith('.onnx');
  const chosen = (Array.isArray(selection) ? selection : [arg]).filter(onnx);
  if (chosen.length > 2) {
    void vscode.window.showWarningMessage(
      'Compare Models compares two models: select two .onnx files.',
    );
    return;
  }
  while (chosen.length < 2) {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: chosen.length === 0,
      filters: { 'ONNX models': ['onnx'] },
      defaultUri: chosen[0] ? vscode.Uri.joinPath(chosen[0], '..') : undefined,
      title: chosen.length
        ? `Compare ${path.basename(chosen[0].fsPath)} with…`
        : 'Compare two ONNX models',
    });
    if (!picked?.length) return;
    chosen.push(...picked.slice(0, 2 - chosen.length));
  }
  panels.show(chosen[0], chosen[1]);
}
