import * as vscode from 'vscode';
import { findModuleDefinitions, modulePathOf } from '../core/sourceMap/torchSource';
import { layerEstimateLabel } from '../core/report/layerEstimateLabel';
import { formatBytes, formatPercent } from '../core/units';
import type { LayerTree } from './layerTree';

/**
 * Code lenses in Python files above `self.<attr> = nn.Conv2d(...)` lines that define layers of
 * the active model, with the same estimates as the model view; clicking reveals the layer.
 */
export class PythonLayerLenses implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly tree: LayerTree) {
    this.onDidChangeCodeLenses = tree.onDidChangeTreeData as vscode.Event<void>;
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const model = this.tree.current();
    if (!model) return [];
    const files = [{ file: doc.uri.fsPath, text: doc.getText() }];
    const byLine = new Map<number, string[]>();
    for (const layer of model.report.analysis.layers) {
      const path = modulePathOf(layer.name);
      if (!path) continue;
      for (const loc of findModuleDefinitions(files, path))
        byLine.set(loc.line, [...(byLine.get(loc.line) ?? []), layer.name]);
    }
    const layers = new Map(model.report.analysis.layers.map((l) => [l.name, l]));
    return [...byLine].map(([line, names]) => {
      const ls = names.map((n) => layers.get(n)).filter((l) => l !== undefined);
      const blocks = ls.reduce((a, l) => a + l.blocks, 0);
      const zero = ls.reduce((a, l) => a + l.zeroBlocks, 0);
      const bytes = `${formatBytes(ls.reduce((a, l) => a + l.denseBytesInt8, 0))} → ${formatBytes(ls.reduce((a, l) => a + l.compressedBytesInt8, 0))}`;
      const time = layerEstimateLabel(model.report.simulation, names);
      const title = `${names.length > 1 ? `${names.length} layers · ` : ''}block sparsity ${formatPercent(blocks ? zero / blocks : 0)} · ${bytes}${time}`;
      const command =
        names.length === 1
          ? { title, command: 'blockSparse.revealLayer', arguments: [model.uri, names[0]] }
          : { title, command: 'blockSparse.pickLayer', arguments: [model.uri, names] };
      return new vscode.CodeLens(new vscode.Range(line, 0, line, 0), command);
    });
  }
}
