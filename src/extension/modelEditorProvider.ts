import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Precision } from '../core/target/precision';
import { parseBlockShape } from '../core/blocks/blockGrid';
import { architectures, findArchitecture, readSettings } from './settings';
import type { ModelViewReport } from '../core/report/modelViewReport';
import {
  isWebviewMessage,
  type HostMessage,
  type TimeModelKind,
  type ViewTab,
} from '../shared/protocol';
import type { EstimateStatus } from './estimateStatus';
import type { LayerTree } from './layerTree';
import { exportGraphImage, exportReport } from './exportReport';
import type { ModelDocuments } from './modelDocuments';
import type { InputShapeStore } from './inputShapeStore';
import { modelViewHtml } from './webviewHtml';
import { stepDone } from './walkthroughSteps';

export const MODEL_VIEW_TYPE = 'blockSparse.modelView';

/** What one panel chose; the array follows the settings unless chosen in the panel. */
interface PanelChoice {
  block?: string;
  arch?: string;
  precision?: Precision;
  timeModel?: TimeModelKind;
}

/** One open panel of a model. */
interface Panel {
  readonly panel: vscode.WebviewPanel;
  readonly post: (m: HostMessage) => void;
  /** A layer to select once the panel shows a report. */
  pending?: string;
  ready: boolean;
  readonly isActive: () => boolean;
  /** Brings the panel to the front; resolves once it is the active editor (or after 2 s). */
  readonly reveal: () => Promise<void>;
  /** Re-asks: settings or the file changed (`arrayChanged`: the view follows the setting again). */
  readonly refresh: (arrayChanged: boolean) => void;
}

/**
 * The read-only custom editor for .onnx files: webviews over the model documents. Several
 * panels per file are allowed; each keeps its own choice and shows the newest answer to it.
 */
export class ModelEditorProvider implements vscode.CustomReadonlyEditorProvider {
  private readonly byFile = new Map<string, Set<Panel>>();
  private readonly pendingReveal = new Map<string, string>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly documents: ModelDocuments,
    private readonly status: EstimateStatus,
    private readonly tree: LayerTree,
    private readonly shapes: InputShapeStore,
  ) {
    documents.onDidChangeFile((uri) => this.refreshFile(uri));
    shapes.onDidChange((uri) => this.refreshFile(uri));
  }

  /** Opens (or shows) the model view of `uri` and selects `layer` in it. */
  async reveal(uri: vscode.Uri, layer: string): Promise<void> {
    const panels = [...(this.byFile.get(uri.fsPath) ?? [])];
    const open = panels.find((p) => p.isActive()) ?? panels[0];
    if (open?.ready) {
      await open.reveal();
      open.post({ type: 'select', layer });
      return;
    }
    if (open) open.pending = layer;
    else this.pendingReveal.set(uri.fsPath, layer);
    await vscode.commands.executeCommand('vscode.openWith', uri, MODEL_VIEW_TYPE);
  }

  /** Shows a tab in the active model view (else the newest); false when none is open. */
  async showTab(tab: ViewTab): Promise<boolean> {
    const all = [...this.byFile.values()].flatMap((panels) => [...panels]);
    const panel = all.find((p) => p.isActive()) ?? all.at(-1);
    if (!panel) return false;
    await panel.reveal();
    // queued until the page is up; the store keeps the tab for the report to come
    panel.post({ type: 'showTab', tab });
    return true;
  }

  /** Re-estimates every open model view (settings changed; `arrayChanged`: the array one). */
  refreshAll(arrayChanged: boolean): void {
    for (const panels of this.byFile.values()) for (const p of panels) p.refresh(arrayChanged);
  }

  private refreshFile(uri: vscode.Uri): void {
    for (const p of this.byFile.get(uri.fsPath) ?? []) p.refresh(false);
  }

  /** Panels open per model file (tests and the integration API). */
  panelCount(uri: vscode.Uri): number {
    return this.byFile.get(uri.fsPath)?.size ?? 0;
  }

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): void {
    const uri = document.uri;
    const webview = panel.webview;
    webview.options = {
      enableScripts: true,
      localResourceRoots: [
        vscode.Uri.joinPath(this.extensionUri, 'dist'),
        vscode.Uri.joinPath(this.extensionUri, 'media'),
      ],
    };
    webview.html = modelViewHtml(webview, this.extensionUri);
    stepDone('modelOpened');
    let disposed = false;
    // a closed panel is never touched again: its getters and postMessage throw "Webview is
    // disposed", so its active state is tracked here and every post is guarded
    let active = panel.active;
    // the analysis starts with the panel, while the page loads; what is ready before the page
    // says so waits here (a message posted to a page still loading may be lost)
    let pageUp = false;
    const queued: HostMessage[] = [];
    const send = (m: HostMessage) => {
      try {
        webview.postMessage(m).then(undefined, () => undefined);
      } catch {
        // disposed between the check and the call
      }
    };
    const post = (m: HostMessage) => {
      if (disposed) return;
      if (!pageUp) {
        // only the newest report matters; selections and errors keep their order
        if (m.type === 'report') {
          const i = queued.findIndex((q) => q.type === 'report');
          if (i >= 0) queued.splice(i, 1);
        }
        queued.push(m);
        return;
      }
      send(m);
    };
    const pageIsUp = () => {
      if (pageUp) return;
      pageUp = true;
      for (const m of queued.splice(0)) send(m);
    };
    const file = path.basename(uri.fsPath);
    const choice: PanelChoice = {};
    let shown: { arch: string; report: ModelViewReport | undefined } = {
      arch: readSettings(uri).arch,
      report: undefined,
    };
    const showStatus = () => {
      if (!active || disposed) return;
      this.status.show(panel, file, shown.arch, shown.report);
      if (shown.report) this.tree.show(uri, shown.arch, shown.report);
    };
    let latestRequest = 0;
    const run = async () => {
      const request = ++latestRequest;
      const settings = readSettings(uri);
      // only known arrays: the webview is an input boundary
      const arch = choice.arch && findArchitecture(choice.arch, uri) ? choice.arch : settings.arch;
      const precision = choice.precision ?? settings.precision;
      const timeModel = choice.timeModel ?? settings.timeModel;
      try {
        const message = (report: ModelViewReport, partial: boolean): HostMessage => ({
          type: 'report',
          file,
          report,
          archs: architectures(uri).archs.map((a) => a.name),
          arch,
          precision,
          timeModel,
          inputShapes: this.shapes.get(uri).map(([n, s]) => [n, [...s]]),
          ...(partial ? { partial: true } : {}),
        });
        const answer = await this.documents.analyze(
          uri,
          {
            block: choice.block ? parseBlockShape(choice.block) : undefined,
            arch,
            precision,
            timeModel,
          },
          // each part as soon as it is done: the view fills in while the estimate and the
          // graph layout run
          (soFar) => {
            if (request === latestRequest && !disposed && !entry.ready) post(message(soFar, true));
          },
        );
        // a newer request of this panel was answered first: this one is stale
        if (request !== latestRequest || disposed) return;
        const outcome = answer.outcome;
        if (outcome.ok === 'cancelled') {
          post({ type: 'error', file, code: 'cancelled', message: 'Analysis cancelled.' });
        } else if (outcome.ok) {
          shown = { arch, report: outcome.report };
          showStatus();
          post(message(outcome.report, false));
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
    const entry: Panel = {
      panel,
      post,
      pending: this.pendingReveal.get(uri.fsPath),
      ready: false,
      isActive: () => active && !disposed,
      reveal: () => {
        if (disposed) return Promise.resolve();
        const shown = new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            done.dispose();
            resolve();
          }, 2000);
          const done = panel.onDidChangeViewState((e) => {
            if (!e.webviewPanel.active) return;
            clearTimeout(timer);
            done.dispose();
            resolve();
          });
        });
        panel.reveal();
        return active ? Promise.resolve() : shown;
      },
      refresh: (arrayChanged) => {
        // the array setting changed: the view follows it; its other picks stay
        if (arrayChanged) choice.arch = undefined;
        void run();
      },
    };
    this.pendingReveal.delete(uri.fsPath);
    const panels = this.byFile.get(uri.fsPath) ?? new Set<Panel>();
    panels.add(entry);
    this.byFile.set(uri.fsPath, panels);
    const listeners = [
      webview.onDidReceiveMessage((m: unknown) => {
        if (!isWebviewMessage(m)) return; // the webview is an input boundary
        if (m.type === 'ready') {
          // a fresh page: the run started with the panel answers it
          pageIsUp();
          return;
        }
        if (m.type === 'reanalyze') pageIsUp();
        if (m.type === 'selected') void this.tree.revealLayer(m.layer);
        else if (m.type === 'saveImage') void exportGraphImage(uri, m.format, m.data);
        else if (m.type === 'export') {
          if (shown.report) void exportReport(uri, shown.report, m.format, m.units);
        } else if (m.type === 'goToSource') {
          void vscode.commands.executeCommand('blockSparse.goToLayerDefinition', uri, m.layer);
        } else if (m.type === 'setInputShapes') {
          void this.shapes.set(uri, m.shapes);
        } else {
          if (m.arch !== choice.arch && m.arch !== readSettings(uri).arch) stepDone('arrayChosen');
          choice.block = m.block;
          choice.arch = m.arch;
          choice.precision = m.precision;
          choice.timeModel = m.timeModel;
          void run();
        }
      }),
      panel.onDidChangeViewState((e) => {
        active = e.webviewPanel.active;
        if (active) showStatus();
        else this.status.hide(panel);
      }),
    ];
    // the first estimate starts now, in parallel with the page loading
    void run();
    panel.onDidDispose(() => {
      disposed = true;
      for (const l of listeners) l.dispose();
      panels.delete(entry);
      if (panels.size === 0) this.byFile.delete(uri.fsPath);
      this.status.hide(panel);
    });
  }
}
