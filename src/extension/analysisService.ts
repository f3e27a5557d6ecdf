import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Precision } from '../core/target/precision';
import type { BlockShape } from '../core/blocks/blockGrid';
import { runAnalysisWorker, type WorkerOutcome } from '../node/runAnalysisWorker';
import type { AnalysisRequest } from '../node/workerProtocol';
import type { ModelViewReport } from '../core/report/modelViewReport';
import type { TimeModelKind } from '../shared/protocol';
import type { InputShapeStore } from './inputShapeStore';
import { estimateModel, findArchitecture, readSettings } from './settings';

/** What a view may choose for its estimate; anything not chosen comes from the settings. */
export interface EstimateChoice {
  readonly block?: BlockShape;
  readonly arch?: string;
  readonly precision?: Precision;
  readonly timeModel?: TimeModelKind;
}

/** Runs analyses in a worker thread, with progress and cancel. */
export class AnalysisService implements vscode.Disposable {
  /** Worker runs started (the integration tests count them: a tab switch must start none). */
  runs = 0;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly shapes: InputShapeStore,
  ) {}

  /**
   * The worker request for a model and a choice: the settings fill in what is not chosen; the
   * model's own input shapes (set in its view, kept per file) win over blockSparse.inputShapes.
   */
  requestFor(uri: vscode.Uri, choice: EstimateChoice = {}): AnalysisRequest {
    const settings = readSettings(uri);
    const own = this.shapes.get(uri);
    const inputShapes = [
      ...settings.inputShapes.filter(([name]) => !own.some(([n]) => n === name)),
      ...own,
    ];
    return {
      file: uri.fsPath,
      block: choice.block ?? settings.block,
      inputShapes,
      dynamicDim: settings.dynamicDim,
      arch: findArchitecture(choice.arch ?? settings.arch, uri),
      precision: choice.precision ?? settings.precision,
      model: estimateModel(choice.timeModel ?? settings.timeModel, settings),
    };
  }

  /**
   * Runs one request. A model's first analysis shows a cancellable notification; re-estimates
   * of a model already on screen show progress in the status bar only (no pop-up).
   */
  run(
    request: AnalysisRequest,
    firstOfModel: boolean,
    onPartial?: (analysisOnly: ModelViewReport) => void,
  ): Promise<WorkerOutcome> {
    this.runs++;
    const workerScript = vscode.Uri.joinPath(this.extensionUri, 'dist', 'analysisWorker.js').fsPath;
    return Promise.resolve(
      vscode.window.withProgress(
        {
          location: firstOfModel
            ? vscode.ProgressLocation.Notification
            : vscode.ProgressLocation.Window,
          title: `Block Sparse: analysing ${path.basename(request.file)}`,
          cancellable: firstOfModel,
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
            onPartial,
          );
        },
      ),
    );
  }

  dispose(): void {
    // workers end with their runs
  }
}
