import { formatBytes, formatCount, formatInteger, formatPercent } from '../src/shared/format';
import type { AnalysisReport, LayerReport } from '../src/shared/protocol';

/** Creates an element with text content (never HTML: model strings are untrusted). */
function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  cls?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

const shape = (s: readonly number[] | null) => (s ? s.join('×') : '?');

function summary(file: string, r: AnalysisReport): HTMLElement {
  const t = r.totals;
  const box = el('section', undefined, 'summary');
  box.append(el('h1', file));
  const facts: [string, string][] = [
    ['Producer', r.model.producer || 'unknown'],
    ['Opset', String(r.model.opset)],
    ['Inputs', r.model.inputs.map((i) => `${i.name} ${shape(i.shape)}`).join(', ')],
    ['Layers', String(t.layers)],
    ['Parameters', formatInteger(t.params)],
    ['MACs', `${formatInteger(t.macs)} (${formatCount(t.macs)})`],
    [
      'Block sparsity',
      `${t.zeroBlocks} / ${t.blocks} blocks (${formatPercent(t.blocks ? t.zeroBlocks / t.blocks : 0)}), block ${r.block.out}×${r.block.in}`,
    ],
    [
      'int8 weights',
      `${formatBytes(t.denseBytesInt8)} dense → ${formatBytes(t.compressedBytesInt8)} compressed`,
    ],
  ];
  const dl = el('dl');
  for (const [k, v] of facts) dl.append(el('dt', k), el('dd', v));
  box.append(dl);
  return box;
}

function sparsityBar(fraction: number): HTMLElement {
  const bar = el('span', undefined, 'bar');
  const fill = el('span', undefined, 'bar-fill');
  fill.style.width = `${Math.round(fraction * 100)}%`;
  bar.append(fill);
  return bar;
}

const COLUMNS: [string, (l: LayerReport) => string | HTMLElement, boolean][] = [
  ['Layer', (l) => l.name, false],
  ['Op', (l) => l.op, false],
  ['Weight', (l) => shape(l.weightShape), false],
  ['Output', (l) => shape(l.outputShape), false],
  ['MACs', (l) => (l.macs === null ? '?' : formatCount(l.macs)), true],
  ['Blocks', (l) => String(l.blocks), true],
  ['Zero', (l) => String(l.zeroBlocks), true],
  ['Block sparsity', (l) => sparsityBar(l.blockSparsity), false],
  ['', (l) => formatPercent(l.blockSparsity), true],
  ['Dense int8', (l) => formatBytes(l.denseBytesInt8), true],
  ['Compressed', (l) => formatBytes(l.compressedBytesInt8), true],
  ['Sparsifiable', (l) => (l.sparsifiable ? 'yes' : 'no'), false],
];

function layerTable(r: AnalysisReport): HTMLElement {
  const table = el('table', undefined, 'layers');
  const head = el('tr');
  for (const [name, , right] of COLUMNS) head.append(el('th', name, right ? 'num' : undefined));
  table.append(el('thead'));
  table.tHead?.append(head);
  const body = el('tbody');
  for (const layer of r.layers) {
    const row = el('tr');
    row.dataset.layer = layer.name;
    for (const [, cell, right] of COLUMNS) {
      const v = cell(layer);
      const td = el('td', typeof v === 'string' ? v : undefined, right ? 'num' : undefined);
      if (typeof v !== 'string') td.append(v);
      row.append(td);
    }
    body.append(row);
  }
  table.append(body);
  return table;
}

function diagnosticsList(r: AnalysisReport): HTMLElement | undefined {
  if (r.diagnostics.length === 0) return undefined;
  const box = el('section', undefined, 'diagnostics');
  box.append(el('h2', 'Diagnostics'));
  const ul = el('ul');
  for (const d of r.diagnostics) {
    ul.append(
      el('li', `${d.severity} ${d.code}${d.node ? ` (${d.node})` : ''}: ${d.message}`, d.severity),
    );
  }
  box.append(ul);
  return box;
}

/** Renders the whole report into `root`. */
export function renderReport(
  root: HTMLElement,
  file: string,
  r: AnalysisReport,
  controls: HTMLElement,
): void {
  root.replaceChildren(summary(file, r), controls, layerTable(r));
  const diags = diagnosticsList(r);
  if (diags) root.append(diags);
}

/** Renders an error in place of the report. */
export function renderError(root: HTMLElement, file: string, code: string, message: string): void {
  const box = el('section', undefined, 'error');
  box.append(el('h1', file), el('p', `${message} [${code}]`));
  root.replaceChildren(box);
}
