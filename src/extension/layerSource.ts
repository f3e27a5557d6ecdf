import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { LayerReport } from '../core/analysis/analysisReport';
import {
  classHierarchy,
  findModuleDefinitions,
  modulePathOf,
  stackTraceLocation,
  type SourceLocation,
} from '../core/sourceMap/torchSource';
import type { ModelDocuments } from './modelDocuments';

const EXCLUDE = '{**/node_modules/**,**/.venv/**,**/venv/**,**/site-packages/**,**/.git/**}';
const MAX_FILES = 2000;

/**
 * The workspace's Python files with their text (open documents win over the disk), read
 * asynchronously: thousands of files must not block the extension host.
 */
async function pythonFiles(): Promise<{ file: string; text: string }[]> {
  const uris = await vscode.workspace.findFiles('**/*.py', EXCLUDE, MAX_FILES);
  const decoder = new TextDecoder();
  const read = async (u: vscode.Uri) => {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === u.fsPath);
    if (open) return { file: u.fsPath, text: open.getText() };
    try {
      return { file: u.fsPath, text: decoder.decode(await vscode.workspace.fs.readFile(u)) };
    } catch {
      return undefined; // deleted or unreadable since the search: not a candidate
    }
  };
  const files = await Promise.all(uris.map(read));
  return files.filter((f): f is { file: string; text: string } => f !== undefined);
}

/** Where a layer may be defined: the exporter's stack trace, then `self.<attr> = ...` lines. */
export async function layerDefinitions(layer: LayerReport): Promise<SourceLocation[]> {
  const out: SourceLocation[] = [];
  const meta = layer.detail.nodeMetadata;
  const frame = stackTraceLocation(meta);
  if (frame && fs.existsSync(frame.file)) {
    const text = fs.readFileSync(frame.file, 'utf8').split(/\r?\n/)[frame.line] ?? '';
    out.push({
      file: frame.file,
      line: frame.line,
      text: text.trim(),
      reason: 'where the exporter saw it called (stack trace)',
    });
  }
  const path = modulePathOf(layer.name);
  if (path) {
    const classes = classHierarchy(meta);
    const files = await pythonFiles();
    const enclosing = classes.length >= 2 ? classes[classes.length - 2] : undefined;
    let found = findModuleDefinitions(files, path, enclosing);
    if (found.length === 0 && enclosing) found = findModuleDefinitions(files, path);
    out.push(...found);
  }
  return out;
}

/** Opens a Python line. */
async function open(loc: SourceLocation): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(loc.file));
  const pos = new vscode.Position(loc.line, 0);
  await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos) });
}

/**
 * "Go to Layer Definition": opens the Python line that defines a layer. Several candidates give a
 * quick pick — never a guess.
 */
export async function goToLayerDefinition(
  documents: ModelDocuments,
  model: vscode.Uri,
  layerName: string,
): Promise<SourceLocation | undefined> {
  // the model's views have analysed it already: no second run
  let report = documents.latest(model);
  if (!report) {
    const { outcome } = await documents.analyze(model);
    if (outcome.ok !== true) return undefined;
    report = outcome.report;
  }
  const layer = report.analysis.layers.find((l) => l.name === layerName);
  if (!layer) return undefined;
  const found = await layerDefinitions(layer);
  if (found.length === 0) {
    void vscode.window.showInformationMessage(
      `No Python definition of ${layerName} was found in this workspace (it needs torch.onnx node names or stack traces).`,
    );
    return undefined;
  }
  let pick = found[0];
  if (found.length > 1) {
    const item = await vscode.window.showQuickPick(
      found.map((f) => ({
        label: `${vscode.workspace.asRelativePath(f.file)}:${f.line + 1}`,
        description: f.reason,
        detail: f.text,
        f,
      })),
      { title: `${layerName} may be defined in ${found.length} places` },
    );
    if (!item) return undefined;
    pick = item.f;
  }
  await open(pick);
  return pick;
}
