import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Precision } from '../core/target/precision';
import type { BlockShape } from '../core/blocks/blockGrid';
import { runAnalysisWorker, type WorkerOutcome } from '../node/runAnalysisWorker';
import { estimateModel, findArchitecture, readSettings } from './settings';
import type { TimeModelKind } from '../shared/protocol';

/**
 * Runs analyses in a worker thread with a cancellable progress notification, and shares one
 * run between everyone asking for the same file and options at the same time.
 */
export class AnalysisService implements vscode.Disposable {
  private readonly running = new Map<string, Promise<WorkerOutcome>>();

  constructor(private readonly extensionUri: vscode.Uri) {}

  analyze(
    uri: vscode.Uri,
    block?: BlockShape,
    arch?: string,
    precision?: Precision,
    timeModel?: TimeModelKind,
  ): Promise<WorkerOutcome> {
    const settings = readSettings(uri);
    const request = {
      file: uri.fsPath,
      block: block ?? settings.block,
      inputShapes: settings.inputShapes,
      dynamicDim: settings.dynamicDim,
      arch: findArchitecture(arch ?? settings.arch, uri),
      precision: precision ?? settings.precision,
      model: estimateModel(timeModel ?? settings.timeModel, settings),
    };
    const key = JSON.stringify(request);
    const existing = this.running.get(key);
    if (existing) return existing;
    const workerScript = vscode.Uri.joinPath(this.extensionUri, 'dist', 'analysisWorker.js').fsPath;
    const run = vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Block Sparse: analysing ${path.basename(uri.fsPath)}`,
        cancellable: true,
      },
      (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        let last = 0;
        return runAnalysisWorker(
          workerScript,
          request,
          (done, total) => {
            const pct = (100 * done) / total;
            progress.report({ increment: pct - last, message: `${done}/${total} layers` });
            last = pct;
          },
          abort.signal,
        );
      },
    );
    const tracked = Promise.resolve(run).finally(() => this.running.delete(key));
    this.running.set(key, tracked);
    return tracked;
  }

  dispose(): void {
    this.running.clear();
  }
}
