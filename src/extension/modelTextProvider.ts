import * as vscode from 'vscode';
import type { Diagnostic } from '../core/diagnostics';
import type { ModelText } from '../core/report/modelText';
import { tensorAt } from '../core/report/modelText';
import { modulePathOf } from '../core/sourceMap/torchSource';
import { layerEstimateLabel } from '../core/report/layerEstimateLabel';
import { formatBytes, formatPercent } from '../core/units';
import { runWorker } from '../node/runWorker';
import type { ModelDocuments } from './modelDocuments';

export const MODEL_TEXT_SCHEME = 'blocksparse-model';
const LAYER_OPS = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul']);

/** The read-only text view of a model: `blocksparse-model:<model path>.txt`. */
export function textUriFor(model: vscode.Uri): vscode.Uri {
  return vscode.Uri.from({ scheme: MODEL_TEXT_SCHEME, path: `${model.fsPath}.txt` });
}

/** The model file a text view shows. */
export function modelUriOf(text: vscode.Uri): vscode.Uri {
  return vscode.Uri.file(text.path.replace(/\.txt$/, ''));
}

/**
 * Content, outline, definitions, references and code lenses for the text view. The model is
 * printed in a worker (dist/modelTextWorker.js); positions come with the text.
 */
export class ModelTextProvider
  implements
    vscode.TextDocumentContentProvider,
    vscode.DocumentSymbolProvider,
    vscode.DefinitionProvider,
    vscode.ReferenceProvider,
    vscode.CodeLensProvider
{
  private readonly texts = new Map<string, Promise<ModelText | Diagnostic>>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly documents: ModelDocuments,
  ) {}

  private textOf(uri: vscode.Uri): Promise<ModelText | Diagnostic> {
    const key = uri.toString();
    let t = this.texts.get(key);
    if (!t) {
      const script = vscode.Uri.joinPath(this.extensionUri, 'dist', 'modelTextWorker.js').fsPath;
      t = runWorker<{ file: string }, ModelText, Diagnostic>(
        script,
        { file: modelUriOf(uri).fsPath },
        () => undefined,
      ).then((o) =>
        o.ok === true
          ? o.result
          : o.ok === false
            ? o.error
            : { code: 'BS1000', severity: 'error', message: 'cancelled', node: null },
      );
      this.texts.set(key, t);
    }
    return t;
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const t = await this.textOf(uri);
    return 'text' in t ? t.text : `# ${modelUriOf(uri).fsPath}: ${t.message} [${t.code}]\n`;
  }

  async provideDocumentSymbols(doc: vscode.TextDocument): Promise<vscode.DocumentSymbol[]> {
    const t = await this.textOf(doc.uri);
    if (!('text' in t)) return [];
    const line = (n: number) => doc.lineAt(Math.min(n, doc.lineCount - 1)).range;
    const graphs = new Map(
      t.graphs.map((g) => {
        const range = new vscode.Range(line(g.start).start, line(g.end).end);
        return [
          g.path,
          new vscode.DocumentSymbol(
            g.name,
            g.path || 'main graph',
            vscode.SymbolKind.Module,
            range,
            line(g.start),
          ),
        ];
      }),
    );
    for (const n of t.nodes) {
      const kind = LAYER_OPS.has(n.opType)
        ? vscode.SymbolKind.Function
        : vscode.SymbolKind.Operator;
      graphs
        .get(n.graph)
        ?.children.push(
          new vscode.DocumentSymbol(n.name, n.opType, kind, line(n.line), line(n.line)),
        );
    }
    return [...graphs.values()]
      .filter((g) => g.detail === 'main graph')
      .concat([...graphs.values()].filter((g) => g.detail !== 'main graph'));
  }

  async provideDefinition(
    doc: vscode.TextDocument,
    pos: vscode.Position,
  ): Promise<vscode.Location | undefined> {
    const t = await this.textOf(doc.uri);
    if (!('text' in t)) return undefined;
    const at = tensorAt(t, { line: pos.line, col: pos.character });
    const def = at && t.definitions.find((d) => d.name === at.name);
    return def
      ? new vscode.Location(
          doc.uri,
          new vscode.Range(def.line, def.col, def.line, def.col + def.length),
        )
      : undefined;
  }

  async provideReferences(
    doc: vscode.TextDocument,
    pos: vscode.Position,
    ctx: vscode.ReferenceContext,
  ): Promise<vscode.Location[]> {
    const t = await this.textOf(doc.uri);
    if (!('text' in t)) return [];
    const at = tensorAt(t, { line: pos.line, col: pos.character });
    if (!at) return [];
    const spans = [...(ctx.includeDeclaration ? t.definitions : []), ...t.references].filter(
      (s) => s.name === at.name,
    );
    return spans.map(
      (s) =>
        new vscode.Location(doc.uri, new vscode.Range(s.line, s.col, s.line, s.col + s.length)),
    );
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const t = await this.textOf(doc.uri);
    if (!('text' in t)) return [];
    const model = modelUriOf(doc.uri);
    const { outcome } = await this.documents.analyze(model);
    if (outcome.ok !== true) return [];
    const layers = new Map(outcome.report.analysis.layers.map((l) => [l.name, l]));
    const lenses: vscode.CodeLens[] = [];
    for (const n of t.nodes) {
      const l = layers.get(n.name);
      if (!l) continue;
      const time = layerEstimateLabel(outcome.report.simulation, [n.name]);
      const title = `block sparsity ${formatPercent(l.blockSparsity)} · ${formatBytes(l.denseBytesInt8)} → ${formatBytes(l.compressedBytesInt8)}${time}`;
      lenses.push(
        new vscode.CodeLens(new vscode.Range(n.line, 0, n.line, 0), {
          title,
          command: 'blockSparse.revealLayer',
          arguments: [model, n.name],
        }),
      );
      // PyTorch exports name their nodes after the module: offer its Python definition
      if (
        modulePathOf(n.name) ||
        l.detail.nodeMetadata.some((m) => m.key === 'pkg.torch.onnx.stack_trace')
      ) {
        lenses.push(
          new vscode.CodeLens(new vscode.Range(n.line, 0, n.line, 0), {
            title: 'Go to Layer Definition',
            command: 'blockSparse.goToLayerDefinition',
            arguments: [model, n.name],
          }),
        );
      }
    }
    return lenses;
  }
}
