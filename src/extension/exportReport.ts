import * as path from 'node:path';
import * as vscode from 'vscode';
import { toChromeTrace } from '../core/estimate/chromeTrace';
import type { TraceUnits } from '../core/estimate/traceUnits';
import type { ModelViewReport } from '../core/report/modelViewReport';
import { layersCsv, reportJson } from '../core/report/reportExports';
import { writeFileAtomic } from '../node/atomicWrite';
import { refuseWriteIfRestricted } from './workspaceTrust';

const FORMATS: Record<
  'csv' | 'json' | 'trace',
  { suffix: string; filter: Record<string, string[]> }
> = {
  csv: { suffix: '.layers.csv', filter: { CSV: ['csv'] } },
  json: { suffix: '.report.json', filter: { JSON: ['json'] } },
  trace: { suffix: '.trace.json', filter: { 'Chrome trace (Perfetto)': ['json'] } },
};

/** Saves the model view's report as CSV, JSON or a Chrome trace, where the user says. */
export async function exportReport(
  model: vscode.Uri,
  report: ModelViewReport,
  format: keyof typeof FORMATS,
  units: TraceUnits = 'all',
): Promise<void> {
  if (refuseWriteIfRestricted('Exporting the report')) return;
  const f = FORMATS[format];
  if (format === 'trace' && !report.simulation) {
    void vscode.window.showWarningMessage('No estimate to export: choose an array first.');
    return;
  }
  const base = model.fsPath.replace(/\.onnx$/i, '');
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(base + f.suffix),
    filters: f.filter,
  });
  if (!target) return;
  const text =
    format === 'csv'
      ? layersCsv(report)
      : format === 'json'
        ? reportJson(path.basename(model.fsPath), report)
        : JSON.stringify(
            toChromeTrace(report.simulation as NonNullable<typeof report.simulation>, units),
          );
  try {
    writeFileAtomic(target.fsPath, text);
    void vscode.window.showInformationMessage(`Saved ${vscode.workspace.asRelativePath(target)}`);
  } catch (e) {
    void vscode.window.showErrorMessage(`Could not save ${target.fsPath}: ${(e as Error).message}`);
  }
}

/** Saves the graph picture the view drew (SVG text or base64 PNG) where the user says. */
export async function exportGraphImage(
  model: vscode.Uri,
  format: 'svg' | 'png',
  data: string,
): Promise<void> {
  if (refuseWriteIfRestricted('Exporting the graph')) return;
  const base = model.fsPath.replace(/\.onnx$/i, '');
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(`${base}.graph.${format}`),
    filters: format === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
  });
  if (!target) return;
  try {
    writeFileAtomic(target.fsPath, format === 'svg' ? data : Buffer.from(data, 'base64'));
    void vscode.window.showInformationMessage(`Saved ${vscode.workspace.asRelativePath(target)}`);
  } catch (e) {
    void vscode.window.showErrorMessage(`Could not save ${target.fsPath}: ${(e as Error).message}`);
  }
}
