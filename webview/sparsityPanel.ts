/** The Sparsity tab: one bar per layer (click to show its block mask) and the block heat-map. */
import { formatPercent, middleEllipsis } from '../src/shared/format';
import type { LayerReport, ModelViewReport } from '../src/shared/protocol';
import { Disposables, el } from './dom';
import { maskTable } from './maskTable';
import type { PanelView, ViewContext } from './panelView';
import { firstThemeColour, onThemeChange, themeColour } from './themeColours';
import type { ViewState } from './viewStore';

function bar(fraction: number): HTMLElement {
  const b = el('span', undefined, 'bar wide');
  const f = el('span', undefined, 'bar-fill');
  f.style.width = `${Math.max(0, Math.min(100, fraction * 100))}%`;
  b.append(f);
  return b;
}

/** Draws the mask in the theme's colours (again after a theme change). */
function drawMask(canvas: HTMLCanvasElement, layer: LayerReport, cell: number): void {
  const g = canvas.getContext('2d');
  if (!g) return;
  const d = layer.detail;
  const rows = d.blockRows * layer.group;
  const cols = d.blockCols;
  const on = themeColour('--vscode-charts-blue', '#3794ff');
  const off = themeColour('--vscode-editorWidget-background', '#8882');
  const edge = firstThemeColour(
    ['--vscode-contrastBorder', '--vscode-editorWidget-border'],
    '#8886',
  );
  const shade = d.blockShade;
  const gap = cell > 3 ? 1 : 0;
  g.clearRect(0, 0, canvas.width, canvas.height);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      g.globalAlpha = 1;
      g.fillStyle = off;
      g.fillRect(c * cell, r * cell, cell - gap, cell - gap);
      if (!d.blockMask[i]) {
        // zero blocks: an outline, so they read as empty on light, dark and high-contrast alike
        if (cell > 5) {
          g.strokeStyle = edge;
          g.strokeRect(c * cell + 0.5, r * cell + 0.5, cell - gap - 1, cell - gap - 1);
        }
        continue;
      }
      // block norms as shades: the weakest blocks (the next to prune) are the palest; the ramp
      // starts at 35% so that the palest still stands out from the background
      g.fillStyle = on;
      g.globalAlpha = shade ? 0.35 + (0.65 * shade[i]) / 255 : 1;
      g.fillRect(c * cell, r * cell, cell - gap, cell - gap);
    }
  }
  g.globalAlpha = 1;
}

/**
 * The block mask of one layer: rows = Cout/8 (per group), columns = Cin/8; zero blocks empty.
 * `redraw` is called with the drawing to repeat when the theme changes.
 */
export function heatMap(layer: LayerReport, redraw: (draw: () => void) => void): HTMLElement {
  const d = layer.detail;
  const rows = d.blockRows * layer.group;
  const cols = d.blockCols;
  const cell = Math.max(2, Math.min(14, Math.floor(560 / Math.max(cols, 1))));
  const canvas = el('canvas', undefined, 'heatmap');
  canvas.width = cols * cell;
  canvas.height = rows * cell;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute(
    'aria-label',
    `${layer.name}: ${layer.zeroBlocks} of ${layer.blocks} blocks zero`,
  );
  canvas.dataset.rows = String(rows);
  canvas.dataset.cols = String(cols);
  const draw = () => drawMask(canvas, layer, cell);
  draw();
  redraw(draw);
  // hover: which block, which channels, how strong
  canvas.addEventListener('mousemove', (e) => {
    const box = canvas.getBoundingClientRect();
    const scale = canvas.width / Math.max(1, box.width);
    const c = Math.floor(((e.clientX - box.left) * scale) / cell);
    const r = Math.floor(((e.clientY - box.top) * scale) / cell);
    if (r < 0 || c < 0 || r >= rows || c >= cols) return;
    const i = r * cols + c;
    const rowInGroup = r % d.blockRows;
    const group = Math.floor(r / d.blockRows);
    const where =
      `block ${i} (row ${r}, column ${c}${layer.group > 1 ? `, group ${group}` : ''}): ` +
      `output channels ${rowInGroup * 8}–${rowInGroup * 8 + 7}, input channels ${c * 8}–${c * 8 + 7}`;
    canvas.title = !d.blockMask[i]
      ? `${where}: zero`
      : d.blockShade
        ? `${where}: RMS ${formatPercent(d.blockShade[i] / 255)} of the layer's largest block`
        : `${where}: non-zero`;
  });
  canvas.dataset.shaded = String(d.blockShade !== undefined);
  const box = el('figure', undefined, 'heatmap-box');
  // the caption first (a figcaption is the figure's first or last child), the table after the map
  box.append(
    el(
      'figcaption',
      `${layer.name}: ${rows} × ${cols} blocks of 8×8 (output × input channels), ${layer.zeroBlocks} zero (${formatPercent(layer.blockSparsity)}); filled = non-zero${d.blockShade ? ', darker = larger RMS weight' : ''}`,
    ),
    canvas,
    maskTable(layer),
  );
  return box;
}

/** The bars and the heat-map of the selected layer (the first when none is). */
export function sparsityPanel(report: ModelViewReport, ctx: ViewContext): PanelView {
  const disposables = new Disposables();
  const layers = report.analysis.layers;
  const list = el('ul', undefined, 'bars');
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', 'Block sparsity per layer; Enter shows its block mask');
  const items = new Map<string, HTMLElement>();
  for (const l of layers) {
    const li = el('li');
    li.tabIndex = 0;
    li.setAttribute('role', 'option');
    li.setAttribute('aria-selected', 'false');
    li.setAttribute('aria-label', `${l.name}: ${formatPercent(l.blockSparsity)} block sparsity`);
    const label = el('span', middleEllipsis(l.name, 44), 'bar-label');
    label.title = l.name;
    li.append(label, bar(l.blockSparsity), el('span', formatPercent(l.blockSparsity), 'num'));
    const pick = () => ctx.act({ type: 'pick', layer: l.name });
    li.addEventListener('click', pick);
    li.addEventListener('keydown', (e) => e.key === 'Enter' && pick());
    items.set(l.name, li);
    list.append(li);
  }
  const element = el('section', undefined, 'split');
  element.append(list);
  // the mask follows the theme: one redraw per theme change, in the next frame
  let drawMaskAgain: (() => void) | undefined;
  const redraw = () => drawMaskAgain && ctx.frames.schedule(drawMaskAgain);
  disposables.add(onThemeChange(redraw));
  disposables.add(() => drawMaskAgain && ctx.frames.cancel(drawMaskAgain));
  let shown: LayerReport | undefined;
  let figure: HTMLElement | undefined;
  const show = (selected: string | undefined) => {
    const current = layers.find((l) => l.name === selected) ?? layers[0];
    if (current === shown) return;
    if (shown) {
      items.get(shown.name)?.classList.remove('selected');
      items.get(shown.name)?.setAttribute('aria-selected', 'false');
    }
    shown = current;
    if (!current) return;
    items.get(current.name)?.classList.add('selected');
    items.get(current.name)?.setAttribute('aria-selected', 'true');
    if (drawMaskAgain) ctx.frames.cancel(drawMaskAgain);
    const next = heatMap(current, (draw) => (drawMaskAgain = draw));
    if (figure) figure.replaceWith(next);
    else element.append(next);
    figure = next;
  };
  show(ctx.state().options.selected);
  return {
    element,
    disposables,
    update(state: ViewState, previous: ViewState) {
      if (state.options.selected !== previous.options.selected) show(state.options.selected);
      if (state.reveal !== previous.reveal && state.options.tab === 'sparsity' && shown)
        items.get(shown.name)?.scrollIntoView({ block: 'nearest' });
    },
  };
}
