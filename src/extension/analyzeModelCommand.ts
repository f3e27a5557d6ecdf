import * as vscode from 'vscode';
import { analysisTable } from '../core/report/analysisTable';
import { simulationTable } from '../core/report/simulationTable';
import type { ModelDocuments } from './modelDocuments';
import { MODEL_VIEW_TYPE } from './modelEditorProvider';

/** The .onnx file the command should act on: its argument, the active model view, or a pick. */
export async function targetModel(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
  if (tab?.input instanceof vscode.TabInputCustom && tab.input.viewType === MODEL_VIEW_TYPE)
    return tab.input.uri;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.path.endsWith('.onnx')) return active;
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    filters: { 'ONNX models': ['onnx'] },
    title: 'Analyze ONNX model',
  });
  return picked?.[0];
}

/**
 * "Block Sparse: Analyze Model": opens the model view and writes the per-layer table to the
 * Block Sparse output channel. The analysis runs in a worker (shared with the view).
 */
export async function analyzeModelCommand(
  arg: unknown,
  documents: ModelDocuments,
  output: vscode.OutputChannel,
): Promise<void> {
  const uri = await targetModel(arg);
  if (!uri) return;
  await vscode.commands.executeCommand('vscode.openWith', uri, MODEL_VIEW_TYPE);
  const { outcome } = await documents.analyze(uri);
  if (outcome.ok === 'cancelled') return;
  const name = vscode.workspace.asRelativePath(uri);
  if (!outcome.ok) {
    void vscode.window.showErrorMessage(
      `${name}: ${outcome.error.message} [${outcome.error.code}]`,
    );
    return;
  }
  output.appendLine(analysisTable(name, outcome.report.analysis));
  const sim = outcome.report.simulation;
  if (sim) output.appendLine(`\n${simulationTable(name, sim)}`);
  for (const d of outcome.report.analysis.diagnostics) {
    output.appendLine(`${d.severity} ${d.code}${d.node ? ` (${d.node})` : ''}: ${d.message}`);
  }
  output.appendLine('');
  output.show(true);
}
