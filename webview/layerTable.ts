/**
 * The Layers tab: a virtualised table (only the rows in view exist), the Layer column frozen,
 * less important columns collapsing first in a narrow view. Built once per report; sorting,
 * filtering and selection update it in place.
 */
import { formatBytes, formatCount, formatPercent, middleEllipsis } from '../src/shared/format';
import type { ModelViewReport } from '../src/shared/protocol';
import { Disposables, el } from './dom';
import {
  filterRows,
  layerRows,
  sortRows,
  speedupText,
  type LayerRow,
  type SortKey,
  type SortState,
} from './layerRows';
import type { PanelView, ViewContext } from './panelView';
import { diagnosticsList } from './summaryView';
import type { ViewState } from './viewStore';

/** Fixed row height of the layer table (px), so only the rows in view need to exist. */
const ROW_HEIGHT = 22;
const OVERSCAN = 20;

const shape = (s: readonly number[] | null) => (s ? s.join('×') : '?');
const micros = (s: number | undefined) => (s === undefined ? '' : (s * 1e6).toFixed(1));

function sparsityBar(fraction: number): HTMLElement {
  const bar = el('span', undefined, 'bar');
  const fill = el('span', undefined, 'bar-fill');
  fill.style.width = `${Math.round(fraction * 100)}%`;
  bar.append(fill);
  return bar;
}

/** Longest layer name the frozen Layer column shows whole (the rest: middle ellipsis, full on hover). */
const NAME_CHARS = 40;

/**
 * The columns: title, sort key, cell, right-aligned, and how soon it collapses in a narrow view
 * (1: never; 2 and 3: below the widths in modelView.css, the least important first — their values
 * stay in the row's tooltip).
 */
const COLUMNS: [
  string,
  SortKey | null,
  (r: LayerRow) => string | HTMLElement,
  boolean,
  1 | 2 | 3,
][] = [
  ['Layer', 'name', (r) => middleEllipsis(r.layer.name, NAME_CHARS), false, 1],
  ['Op', 'op', (r) => r.layer.op, false, 2],
  ['Weight', null, (r) => shape(r.layer.weightShape), false, 3],
  ['Output', null, (r) => shape(r.layer.outputShape), false, 3],
  ['MACs', 'macs', (r) => (r.layer.macs === null ? '?' : formatCount(r.layer.macs)), true, 1],
  ['Block sparsity', 'blockSparsity', (r) => sparsityBar(r.layer.blockSparsity), false, 3],
  ['%', 'blockSparsity', (r) => formatPercent(r.layer.blockSparsity), true, 1],
  ['Dense int8', 'denseBytes', (r) => formatBytes(r.layer.denseBytesInt8), true, 2],
  ['Compressed', 'compressedBytes', (r) => formatBytes(r.layer.compressedBytesInt8), true, 2],
  ['Dense µs', 'denseUs', (r) => micros(r.dense?.seconds), true, 1],
  ['Sparse µs', 'sparseUs', (r) => micros(r.sparse?.seconds), true, 1],
  ['Speedup', 'speedup', speedupText, true, 1],
  ['Bound', 'bound', (r) => r.sparse?.bound ?? r.dense?.bound ?? r.cpu ?? '', false, 1],
];

const priorityClass = (p: 1 | 2 | 3, right: boolean) =>
  [right ? 'num' : '', p > 1 ? `p${p}` : ''].filter(Boolean).join(' ') || undefined;

const mark = (tr: HTMLElement, on: boolean) => {
  tr.classList.toggle('selected', on);
  if (on) tr.setAttribute('aria-selected', 'true');
  else tr.removeAttribute('aria-selected');
};

export function layerTable(report: ModelViewReport, ctx: ViewContext): PanelView {
  const disposables = new Disposables();
  const all = layerRows(report);
  let o = ctx.state().options;
  let rows: LayerRow[] = [];
  let index = -1;
  const table = el('table', undefined, 'layers');
  const head = el('tr');
  const heads: { th: HTMLElement; name: string; key: SortKey }[] = [];
  for (const [name, key, , right, priority] of COLUMNS) {
    const th = el('th', name, priorityClass(priority, right));
    if (key) {
      th.tabIndex = 0;
      const toggle = () => {
        const active = o.sort.key === key;
        ctx.act({
          type: 'sort',
          sort: { key, descending: active ? !o.sort.descending : key !== 'name' && key !== 'op' },
        });
      };
      th.addEventListener('click', toggle);
      th.addEventListener('keydown', (e) => (e.key === 'Enter' || e.key === ' ') && toggle());
      heads.push({ th, name, key });
    }
    head.append(th);
  }
  const thead = el('thead');
  thead.append(head);
  const body = el('tbody');
  const pick = (i: number) => {
    if (i < 0 || i >= rows.length) return;
    ctx.act({ type: 'pick', layer: rows[i].layer.name });
  };
  const rowElement = (r: LayerRow) => {
    const tr = el('tr');
    tr.dataset.layer = r.layer.name;
    tr.tabIndex = -1;
    tr.title =
      `${r.layer.name}\n${r.layer.op}, weight ${shape(r.layer.weightShape)}, output ${shape(r.layer.outputShape)}` +
      '\nDouble-click or Enter: Go to Layer Definition (PyTorch source); arrow keys: next layer';
    tr.addEventListener('click', () => {
      pick(rows.indexOf(r));
      scroller.focus({ preventScroll: true });
    });
    tr.addEventListener('dblclick', () => ctx.post({ type: 'goToSource', layer: r.layer.name }));
    if (r.layer.name === o.selected) mark(tr, true);
    for (const [, , cell, right, priority] of COLUMNS) {
      const v = cell(r);
      const td = el('td', typeof v === 'string' ? v : undefined, priorityClass(priority, right));
      if (typeof v !== 'string') td.append(v);
      tr.append(td);
    }
    return tr;
  };
  table.append(thead, body);
  const scroller = el('div', undefined, 'table-scroll');
  scroller.append(table);
  // virtualised: only the rows in view (and a margin) exist; spacer rows keep the scroll height
  const spacer = (height: number) => {
    const tr = el('tr', undefined, 'spacer');
    tr.style.height = `${height}px`;
    return tr;
  };
  let drawn = [-1, -1];
  const paint = () => {
    const view = scroller.clientHeight || 600;
    const first = Math.max(0, Math.floor(scroller.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(
      rows.length,
      Math.ceil((scroller.scrollTop + view) / ROW_HEIGHT) + OVERSCAN,
    );
    if (first === drawn[0] && last === drawn[1]) return;
    drawn = [first, last];
    const parts: HTMLElement[] = [];
    if (first > 0) parts.push(spacer(first * ROW_HEIGHT));
    for (let i = first; i < last; i++) parts.push(rowElement(rows[i]));
    if (last < rows.length) parts.push(spacer((rows.length - last) * ROW_HEIGHT));
    body.replaceChildren(...parts);
  };
  disposables.add(() => ctx.frames.cancel(paint));
  scroller.addEventListener('scroll', () => {
    ctx.frames.schedule(paint);
    // the scroll position is part of the view's state (restored when the tab is shown again);
    // a hidden table (no height) has lost its position and has none to keep
    if (scroller.clientHeight > 0)
      ctx.act({ type: 'remember', state: { tableScroll: scroller.scrollTop } });
  });
  disposables.observeResize(scroller, () => ctx.frames.schedule(paint));
  // the keyboard: arrows, Page Up/Down, Home/End move the selection; Enter opens the source
  scroller.tabIndex = 0;
  scroller.setAttribute('role', 'grid');
  scroller.setAttribute('aria-label', 'Layers');
  scroller.addEventListener('keydown', (e) => {
    const page = Math.max(1, Math.floor((scroller.clientHeight || 600) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: 1,
      ArrowUp: -1,
      PageDown: page,
      PageUp: -page,
      Home: -rows.length,
      End: rows.length,
    };
    if (e.key === 'Enter' && index >= 0) {
      e.preventDefault();
      ctx.post({ type: 'goToSource', layer: rows[index].layer.name });
      return;
    }
    const step = moves[e.key];
    if (step === undefined || rows.length === 0) return;
    e.preventDefault();
    const next = Math.max(0, Math.min(rows.length - 1, (index < 0 ? -1 : index) + step));
    pick(next);
    // keep the row in view: scroll by as little as it takes
    const top = next * ROW_HEIGHT;
    const view = scroller.clientHeight || 600;
    const header = thead.getBoundingClientRect().height;
    if (top < scroller.scrollTop) scroller.scrollTop = top;
    else if (top + ROW_HEIGHT > scroller.scrollTop + view - header)
      scroller.scrollTop = top + ROW_HEIGHT - view + header;
    paint();
  });
  const count = el('p', '', 'count');
  const element = el('section', undefined, 'table');
  element.append(count, scroller);
  const diagnostics = diagnosticsList(report);
  if (diagnostics) element.append(diagnostics);

  /** Rows for the sort and the filter: the table body drawn anew, the rest kept. */
  const arrange = (sort: SortState, filter: string) => {
    rows = sortRows(filterRows(all, filter), sort);
    index = rows.findIndex((r) => r.layer.name === o.selected);
    for (const { th, name, key } of heads) {
      const active = sort.key === key;
      th.setAttribute(
        'aria-sort',
        active ? (sort.descending ? 'descending' : 'ascending') : 'none',
      );
      th.textContent = active ? `${name} ${sort.descending ? '▼' : '▲'}` : name;
    }
    count.textContent = `${rows.length} of ${report.analysis.layers.length} layers`;
    drawn = [-1, -1];
    paint();
  };
  /** Scrolls the selected layer into the middle of the view and focuses its row. */
  const reveal = () => {
    if (index < 0) return;
    scroller.scrollTop = Math.max(0, index * ROW_HEIGHT - scroller.clientHeight / 2);
    paint();
    [...body.querySelectorAll<HTMLElement>('tr[data-layer]')]
      .find((r) => r.dataset.layer === o.selected)
      ?.focus();
  };
  arrange(o.sort, o.filter);
  return {
    element,
    disposables,
    update(state: ViewState, previous: ViewState) {
      o = state.options;
      const p = previous.options;
      if (o.sort !== p.sort || o.filter !== p.filter) arrange(o.sort, o.filter);
      if (o.selected !== p.selected) {
        // the selection changes in place: two rows restyled, nothing drawn anew
        index = rows.findIndex((r) => r.layer.name === o.selected);
        for (const tr of body.querySelectorAll<HTMLElement>('tr[data-layer]'))
          mark(tr, tr.dataset.layer === o.selected);
      }
      if (state.reveal !== previous.reveal && o.tab === 'layers') reveal();
    },
    shown(state: ViewState) {
      // hiding a scroller loses its position: the kept one comes back
      scroller.scrollTop = state.options.tableScroll ?? 0;
      paint();
    },
  };
}
