import * as vscode from 'vscode';
import type { LayerReport } from '../core/analysis/analysisReport';
import type { ModelViewReport } from '../core/report/modelViewReport';
import type { SimLayer } from '../core/estimate/simulationReport';
import { formatBytes, formatPercent } from '../core/units';
import { layerOnCpu } from '../core/report/layerEstimateLabel';

type SortBy = 'model' | 'sparseUs' | 'speedup' | 'blockSparsity' | 'macs';

const SORTS: { label: string; value: SortBy }[] = [
  { label: 'Model order', value: 'model' },
  { label: 'Sparse time (slowest first)', value: 'sparseUs' },
  { label: 'Speedup (largest first)', value: 'speedup' },
  { label: 'Block sparsity (highest first)', value: 'blockSparsity' },
  { label: 'MACs (most first)', value: 'macs' },
];

interface Row {
  readonly layer: LayerReport;
  readonly dense: SimLayer | undefined;
  readonly sparse: SimLayer | undefined;
}

const ICON_BY_BOUND: Record<string, string> = {
  compute: 'dashboard',
  ddr: 'database',
  'memtile-core': 'arrow-swap',
};
const us = (s: number | undefined) =>
  s === undefined ? '?' : (s * 1e6).toFixed(s * 1e6 < 10 ? 1 : 0);

/** The "Block Sparse" sidebar: the active model's layers with their estimates, a totals node first. */
export class LayerTree implements vscode.TreeDataProvider<Row | 'totals'> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private model: { uri: vscode.Uri; arch: string; report: ModelViewReport } | undefined;
  private sortBy: SortBy = 'model';
  private shownRows = new Map<string, Row>();
  private view: vscode.TreeView<Row | 'totals'> | undefined;

  /** The tree view this provider feeds (for reveal). */
  attach(view: vscode.TreeView<Row | 'totals'>): void {
    this.view = view;
  }

  /** Selects a layer in the sidebar (the model view selected it). */
  async revealLayer(name: string): Promise<void> {
    const row = this.shownRows.get(name);
    if (row && this.view?.visible) await this.view.reveal(row, { select: true, focus: false });
  }

  getParent(): undefined {
    return undefined;
  }
  private filter = '';

  /** Shows the layers of the model whose view (or text) became active. */
  show(uri: vscode.Uri, arch: string, report: ModelViewReport): void {
    this.model = { uri, arch, report };
    this.changed.fire();
  }

  /** The model the sidebar shows (the Python code lenses follow it too). */
  current(): { uri: vscode.Uri; arch: string; report: ModelViewReport } | undefined {
    return this.model;
  }

  async pickSort(): Promise<void> {
    const p = await vscode.window.showQuickPick(SORTS, { title: 'Sort layers by' });
    if (p) {
      this.sortBy = p.value;
      this.changed.fire();
    }
  }

  async pickFilter(): Promise<void> {
    const f = await vscode.window.showInputBox({
      title: 'Filter layers (name, op or bound)',
      value: this.filter,
    });
    if (f !== undefined) {
      this.filter = f;
      this.changed.fire();
    }
  }

  getChildren(element?: Row | 'totals'): (Row | 'totals')[] {
    if (element || !this.model) return [];
    const sim = this.model.report.simulation?.modes;
    const dense = new Map((sim?.dense?.layers ?? []).map((l) => [l.name, l]));
    const sparse = new Map((sim?.sparse?.layers ?? []).map((l) => [l.name, l]));
    let rows: Row[] = this.model.report.analysis.layers.map((layer) => ({
      layer,
      dense: dense.get(layer.name),
      sparse: sparse.get(layer.name),
    }));
    const words = this.filter.toLowerCase().split(/\s+/).filter(Boolean);
    rows = rows.filter((r) =>
      words.every((w) =>
        `${r.layer.name} ${r.layer.op} ${r.sparse?.bound ?? ''}`.toLowerCase().includes(w),
      ),
    );
    const key = (r: Row): number => {
      switch (this.sortBy) {
        case 'sparseUs':
          return r.sparse?.seconds ?? -1;
        case 'speedup':
          return r.dense && r.sparse ? r.dense.seconds / r.sparse.seconds : -1;
        case 'blockSparsity':
          return r.layer.blockSparsity;
        case 'macs':
          return r.layer.macs ?? -1;
        default:
          return 0;
      }
    };
    if (this.sortBy !== 'model') rows = [...rows].sort((a, b) => key(b) - key(a));
    this.shownRows = new Map(rows.map((r) => [r.layer.name, r]));
    return ['totals', ...rows];
  }

  getTreeItem(element: Row | 'totals'): vscode.TreeItem {
    const m = this.model;
    if (!m) return new vscode.TreeItem('');
    if (element === 'totals') {
      const t = m.report.analysis.totals;
      const sim = m.report.simulation?.modes;
      const item = new vscode.TreeItem(`${t.layers} layers`);
      item.description =
        `${formatPercent(t.blocks ? t.zeroBlocks / t.blocks : 0)} · ${formatBytes(t.denseBytesInt8)} → ${formatBytes(t.compressedBytesInt8)}` +
        (sim?.dense && sim.sparse
          ? ` · ${(sim.dense.seconds * 1e3).toFixed(2)} → ${(sim.sparse.seconds * 1e3).toFixed(2)} ms on ${m.arch}`
          : '');
      item.iconPath = new vscode.ThemeIcon('symbol-namespace');
      item.tooltip = `${m.uri.fsPath}\n${item.description}`;
      return item;
    }
    const { layer, dense, sparse } = element;
    const item = new vscode.TreeItem(layer.name);
    item.id = `layer:${layer.name}`;
    const onCpu = dense ? null : layerOnCpu(m.report.simulation, layer.name);
    const time = onCpu ?? `${us(dense?.seconds)}→${us(sparse?.seconds)} µs`;
    item.description = `${formatPercent(layer.blockSparsity)} · ${formatBytes(layer.denseBytesInt8)}→${formatBytes(layer.compressedBytesInt8)} · ${time}`;
    item.tooltip = `${layer.op} ${layer.weightShape.join('×')}\n${item.description}${sparse ? `\nbound: ${sparse.bound}` : ''}`;
    item.iconPath = new vscode.ThemeIcon(ICON_BY_BOUND[sparse?.bound ?? ''] ?? 'symbol-method');
    item.command = {
      command: 'blockSparse.revealLayer',
      title: 'Reveal layer',
      arguments: [m.uri, layer.name],
    };
    item.contextValue = 'layer';
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
