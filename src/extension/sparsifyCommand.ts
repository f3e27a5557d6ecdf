import * as vscode from 'vscode';
import type { Diagnostic } from '../core/diagnostics';
import { CRITERIA, type Criterion } from '../core/blocks/blockScores';
import { DEFAULT_MAX_LAYER_RATIO, type Scope } from '../core/sparsify/sparsifyOptions';
import { runWorker } from '../node/runWorker';
import type { SparsifyJobRequest, SparsifyJobResult } from '../node/sparsifyJob';
import { targetModel } from './analyzeModelCommand';
import { MODEL_VIEW_TYPE } from './modelEditorProvider';
import { findArchitecture, readSettings } from './settings';
import { sparsifyFlow, type SparsifyDefaults, type SparsifyUi } from './sparsifyFlow';
import { evaluationLines, runEvaluation } from './trainingCommands';

function defaultsFor(uri: vscode.Uri): SparsifyDefaults {
  const c = vscode.workspace.getConfiguration('blockSparse', uri);
  const s = readSettings(uri);
  const criterion = c.get<string>('sparsify.criterion', 'l2');
  const scope = c.get<string>('sparsify.scope', 'layer');
  const target = c.get<number>('sparsify.target', 0.5);
  return {
    target: target >= 0 && target <= 0.95 ? target : 0.5,
    block: c.get<string>('blockShape', '8x8'),
    criterion: CRITERIA.includes(criterion as Criterion) ? (criterion as Criterion) : 'l2',
    scope: scope === 'global' ? 'global' : ('layer' as Scope),
    keepRowsCols: c.get<boolean>('sparsify.keepRowsCols', false),
    maxLayerRatio: validRatio(c.get<number>('sparsify.maxLayerRatio', DEFAULT_MAX_LAYER_RATIO)),
    verify: c.get<boolean>('sparsify.verify', true),
    inputShapes: s.inputShapes,
    dynamicDim: s.dynamicDim,
    arch: findArchitecture(s.arch, uri),
    precision: s.precision,
  };
}

/** The real VS Code implementation of the flow's UI. */
function vscodeUi(output: vscode.OutputChannel, extensionUri: vscode.Uri): SparsifyUi {
  return {
    async accuracy(original, sparse) {
      const c = vscode.workspace.getConfiguration('blockSparse');
      const data = c.get<string>('evaluation.data', '');
      if (!data) return undefined;
      const r = await runEvaluation(
        extensionUri,
        [original, sparse],
        data,
        c.get<string>('evaluation.labels', '') || undefined,
      );
      if (!r) return ['Accuracy: cancelled'];
      return 'code' in r ? [`Accuracy: ${r.message} [${r.code}]`] : evaluationLines(r);
    },
    exportKit: async (sparse) => {
      await vscode.commands.executeCommand(
        'blockSparse.exportFinetuneKit',
        vscode.Uri.file(sparse),
      );
    },
    trusted: vscode.workspace.isTrusted,
    async pick(title, choices, current) {
      const items = choices.map((c) => ({
        label: c.label,
        description: c.description,
        value: c.value,
        picked: c.value === current,
      }));
      const sorted = [...items.filter((i) => i.picked), ...items.filter((i) => !i.picked)];
      return (await vscode.window.showQuickPick(sorted, { title, ignoreFocusOut: true }))?.value;
    },
    input: (title, value, validate) =>
      Promise.resolve(
        vscode.window.showInputBox({ title, value, validateInput: validate, ignoreFocusOut: true }),
      ),
    async confirm(message, action) {
      return (await vscode.window.showWarningMessage(message, { modal: true }, action)) === action;
    },
    progress: (title, task) =>
      Promise.resolve(
        vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title, cancellable: true },
          (p, token) => {
            const abort = new AbortController();
            token.onCancellationRequested(() => abort.abort());
            let last = 0;
            return task((done, total) => {
              const pct = (100 * done) / Math.max(1, total);
              p.report({ increment: pct - last, message: `${done}/${total}` });
              last = pct;
            }, abort.signal);
          },
        ),
      ),
    async done(summary, details, actions) {
      output.appendLine(details);
      output.appendLine('');
      return vscode.window.showInformationMessage(summary, ...actions, 'Show Report').then((a) => {
        if (a === 'Show Report') output.show(true);
        return a;
      });
    },
    error: (message) => void vscode.window.showErrorMessage(message),
    openModel: async (file) => {
      await vscode.commands.executeCommand(
        'vscode.openWith',
        vscode.Uri.file(file),
        MODEL_VIEW_TYPE,
      );
    },
    // one view of both models, with the differences (Compare Models, a: the original)
    compare: async (original, sparse) => {
      const a = vscode.Uri.file(original);
      await vscode.commands.executeCommand('blockSparse.compareModels', a, [
        a,
        vscode.Uri.file(sparse),
      ]);
    },
  };
}

/** "Block Sparse: Sparsify…" from the explorer, the model view's title bar or the palette. */
export async function sparsifyCommand(
  arg: unknown,
  extensionUri: vscode.Uri,
  output: vscode.OutputChannel,
): Promise<string | undefined> {
  const uri = await targetModel(arg);
  if (!uri) return undefined;
  if (uri.scheme !== 'file') {
    void vscode.window.showErrorMessage('Sparsify works on models stored as local files.');
    return undefined;
  }
  const script = vscode.Uri.joinPath(extensionUri, 'dist', 'sparsifyWorker.js').fsPath;
  return sparsifyFlow(
    uri.fsPath,
    defaultsFor(uri),
    vscodeUi(output, extensionUri),
    (request, onProgress, signal) =>
      runWorker<SparsifyJobRequest, SparsifyJobResult, Diagnostic>(
        script,
        request,
        onProgress,
        signal,
      ),
  );
}

/** A ceiling from the settings: a fraction above 0 and at most 1, else the default. */
function validRatio(v: number): number {
  return typeof v === 'number' && v > 0 && v <= 1 ? v : DEFAULT_MAX_LAYER_RATIO;
}
