import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_PREPROCESS, parsePreprocess } from '../core/accuracy/preprocess';
import type { Diagnostic } from '../core/diagnostics';
import type { EvaluateJobRequest } from '../node/evaluateWorker';
import type { Evaluation } from '../node/evaluateModels';
import { writeFinetuneKit } from '../node/finetuneKit';
import { writeMasksFile } from '../node/masksFile';
import { runWorker } from '../node/runWorker';
import { targetModel } from './analyzeModelCommand';

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(2)}%`);

/** The evaluation as report lines (the output channel). */
export function evaluationLines(e: Evaluation): string[] {
  return [
    `Accuracy on ${e.samples} samples (${e.runtime}):`,
    ...e.models.map(
      (m) => `  ${path.basename(m.model)}: top-1 ${pct(m.top1)}, top-5 ${pct(m.top5)}`,
    ),
    ...e.agreement.map(
      (a) => `  same top-1 as ${path.basename(a.a)}: ${pct(a.top1)} (${path.basename(a.b)})`,
    ),
  ];
}

/** Runs an evaluation in a worker with a cancellable progress notification. */
export async function runEvaluation(
  extensionUri: vscode.Uri,
  models: readonly string[],
  data: string,
  labels: string | undefined,
): Promise<Evaluation | Diagnostic | undefined> {
  const script = vscode.Uri.joinPath(extensionUri, 'dist', 'evaluateWorker.js').fsPath;
  const spec = vscode.workspace
    .getConfiguration('blockSparse')
    .get<string>('evaluation.preprocess', '');
  const preprocess = spec ? parsePreprocess(spec) : DEFAULT_PREPROCESS;
  if (typeof preprocess === 'string') {
    void vscode.window.showErrorMessage(`blockSparse.evaluation.preprocess: ${preprocess}`);
    return undefined;
  }
  const request: EvaluateJobRequest = { models, options: { data, labels, preprocess } };
  const outcome = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: 'Evaluating accuracy',
      cancellable: true,
    },
    (p, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      let last = 0;
      return runWorker<EvaluateJobRequest, Evaluation, Diagnostic>(
        script,
        request,
        (done, total) => {
          const now = (100 * done) / Math.max(1, total);
          p.report({ increment: now - last, message: `${done}/${total}` });
          last = now;
        },
        abort.signal,
      );
    },
  );
  if (outcome.ok === 'cancelled') return undefined;
  return outcome.ok ? outcome.result : outcome.error;
}

/** "Block Sparse: Evaluate Accuracy…": pick the data (and the models to compare), report top-1/top-5. */
export async function evaluateAccuracyCommand(
  arg: unknown,
  extensionUri: vscode.Uri,
  output: vscode.OutputChannel,
  /** From other commands and tests: the models to compare with, without asking. */
  given?: { readonly compare?: readonly string[] },
): Promise<Evaluation | undefined> {
  const uri = await targetModel(arg);
  if (!uri || uri.scheme !== 'file') return undefined;
  const config = vscode.workspace.getConfiguration('blockSparse');
  let data = config.get<string>('evaluation.data', '') || undefined;
  let labels = config.get<string>('evaluation.labels', '') || undefined;
  if (!data) {
    const picked = await vscode.window.showOpenDialog({
      title: 'Evaluation data: an image folder (one subfolder per class) or inputs .npy',
      canSelectFiles: true,
      canSelectFolders: true,
      filters: { 'NumPy arrays': ['npy'] },
    });
    if (!picked?.[0]) return undefined;
    data = picked[0].fsPath;
    if (data.endsWith('.npy')) {
      const l = await vscode.window.showOpenDialog({
        title: 'Labels .npy (class indices)',
        filters: { 'NumPy arrays': ['npy'] },
      });
      labels = l?.[0]?.fsPath;
    }
  }
  const others = given?.compare
    ? given.compare.map((f) => vscode.Uri.file(f))
    : await vscode.window.showOpenDialog({
        title: 'Models to compare with (optional: Cancel to evaluate this one alone)',
        canSelectMany: true,
        defaultUri: vscode.Uri.file(path.dirname(uri.fsPath)),
        filters: { 'ONNX models': ['onnx'] },
      });
  const models = [
    uri.fsPath,
    ...(others ?? []).map((o) => o.fsPath).filter((f) => f !== uri.fsPath),
  ];
  const r = await runEvaluation(extensionUri, models, data, labels);
  if (!r) return undefined;
  if ('code' in r) {
    void vscode.window.showErrorMessage(`Evaluation failed: ${r.message} [${r.code}]`);
    return undefined;
  }
  for (const line of evaluationLines(r)) output.appendLine(line);
  output.appendLine('');
  const first = r.models[0];
  void vscode.window
    .showInformationMessage(
      `${path.basename(first.model)}: top-1 ${pct(first.top1)} on ${r.samples} samples`,
      'Show Report',
    )
    .then((a) => a === 'Show Report' && output.show(true));
  return r;
}

/** "Block Sparse: Export Fine-Tuning Kit…": the Python kit and the model's masks into a folder. */
export async function exportFinetuneKitCommand(
  arg: unknown,
  output: vscode.OutputChannel,
): Promise<string | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(
      'Exporting the fine-tuning kit writes files: trust the workspace first.',
    );
    return undefined;
  }
  const uri = await targetModel(arg);
  if (!uri || uri.scheme !== 'file') return undefined;
  const picked = await vscode.window.showOpenDialog({
    title: 'Folder for the fine-tuning kit',
    canSelectFiles: false,
    canSelectFolders: true,
    defaultUri: vscode.Uri.file(path.dirname(uri.fsPath)),
  });
  const dir = picked?.[0]?.fsPath;
  if (!dir) return undefined;
  const masksOut = path.join(dir, 'masks.safetensors');
  const there = [path.join(dir, 'blocksparse_finetune.py'), masksOut].some((f) => fs.existsSync(f));
  const replace = 'Replace';
  if (
    there &&
    (await vscode.window.showWarningMessage(
      'The kit is already there. Replace it?',
      { modal: true },
      replace,
    )) !== replace
  )
    return undefined;
  const kit = writeFinetuneKit(dir, true);
  if (!kit.ok) {
    void vscode.window.showErrorMessage(`${kit.error.message} [${kit.error.code}]`);
    return undefined;
  }
  const masks = writeMasksFile(uri.fsPath, { out: masksOut, force: true });
  if (!masks.ok) {
    void vscode.window.showErrorMessage(`${masks.error.message} [${masks.error.code}]`);
    return undefined;
  }
  output.appendLine(
    `Fine-tuning kit in ${dir}: ${kit.files.map((f) => path.basename(f)).join(', ')}, masks.safetensors (${masks.masks.entries.length} masks)`,
  );
  void vscode.window
    .showInformationMessage(
      `Fine-tuning kit and ${masks.masks.entries.length} masks written to ${dir}`,
      'Open README',
    )
    .then((a) => {
      if (a === 'Open README')
        void vscode.commands.executeCommand(
          'markdown.showPreview',
          vscode.Uri.file(path.join(dir, 'README.md')),
        );
    });
  return dir;
}
