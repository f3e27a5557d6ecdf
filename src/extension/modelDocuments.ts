import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Diagnostic } from '../core/diagnostics';
import type { ModelViewReport } from '../core/report/modelViewReport';
import type { AnalysisService, EstimateChoice } from './analysisService';
import { ModelDocumentState, type Answer } from './modelDocumentState';

type DocState = ModelDocumentState<ModelViewReport, Diagnostic>;

/** Size and modification time of a file ('' when it is gone). */
function fingerprint(file: string): string {
  try {
    const s = fs.statSync(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return '';
  }
}

/**
 * One document per model file (the vscode-hexeditor pattern): every view of a model — its
 * panels, the sidebar, the status bar, code lenses, Go to Layer Definition — asks here, so a
 * result is computed once per (file, array, precision, model, block shape, input shapes) and a
 * change of the file on disk re-analyses once.
 */
export class ModelDocuments implements vscode.Disposable {
  private readonly docs = new Map<string, { state: DocState; watcher: vscode.Disposable }>();
  private readonly fileChanged = new vscode.EventEmitter<vscode.Uri>();
  /** A model file changed on disk: its views should ask again. */
  readonly onDidChangeFile = this.fileChanged.event;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Who waits for a run's first part (the analysis before the estimate), by file and key. */
  private readonly partials = new Map<string, Set<(r: ModelViewReport) => void>>();

  constructor(private readonly service: AnalysisService) {}

  private doc(uri: vscode.Uri): DocState {
    const key = uri.fsPath;
    let d = this.docs.get(key);
    if (!d) {
      const state: DocState = new ModelDocumentState((json) =>
        this.service.run(JSON.parse(json), state.current === undefined, (partial) => {
          for (const f of this.partials.get(`${key}\n${json}`) ?? []) f(partial);
        }),
      );
      const watcher = vscode.workspace.createFileSystemWatcher(
        new vscode.RelativePattern(vscode.Uri.file(path.dirname(key)), path.basename(key)),
      );
      // a save fires several events: one re-analysis after they settle; an event that finds the
      // file as it was (a late event of its own creation) changes nothing
      let seen = fingerprint(key);
      const changed = () => {
        clearTimeout(this.timers.get(key));
        this.timers.set(
          key,
          setTimeout(() => {
            this.timers.delete(key);
            const now = fingerprint(key);
            if (now === seen) return;
            seen = now;
            state.invalidate();
            this.fileChanged.fire(uri);
          }, 300),
        );
      };
      watcher.onDidChange(changed);
      watcher.onDidCreate(changed);
      d = { state, watcher };
      this.docs.set(key, d);
    }
    return d.state;
  }

  /** The estimate of a model for a choice (the settings fill in the rest): cached, shared, ordered. */
  async analyze(
    uri: vscode.Uri,
    choice: EstimateChoice = {},
    onPartial?: (analysisOnly: ModelViewReport) => void,
  ): Promise<Answer<ModelViewReport, Diagnostic>> {
    const json = JSON.stringify(this.service.requestFor(uri, choice));
    const key = `${uri.fsPath}\n${json}`;
    const waiting = this.partials.get(key) ?? new Set();
    if (onPartial) waiting.add(onPartial);
    this.partials.set(key, waiting);
    try {
      return await this.doc(uri).request(json);
    } finally {
      if (onPartial) waiting.delete(onPartial);
      if (waiting.size === 0) this.partials.delete(key);
    }
  }

  /** The newest result any view of the model has, without running anything. */
  latest(uri: vscode.Uri): ModelViewReport | undefined {
    return this.docs.get(uri.fsPath)?.state.current?.report;
  }

  /** Worker runs over all documents, or for one model file (tests count them). */
  runs(uri?: vscode.Uri): number {
    return uri ? (this.docs.get(uri.fsPath)?.state.runs ?? 0) : this.service.runs;
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.docs.values()) d.watcher.dispose();
    this.docs.clear();
    this.fileChanged.dispose();
  }
}
