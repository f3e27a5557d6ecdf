/**
 * The Compare Models view: two models side by side on one array — the totals, a per-layer table
 * of block sparsity, compressed weight bytes, dense/sparse µs and speedup with the differences
 * (core's modelDiff and diffCells: the numbers `blocksparse diff` prints), and the graph of the
 * second model with its changed layers marked. The selection is the store's one selection:
 * a row picked in the table is the node selected in the graph, and back.
 */
import {
  changeOf,
  DIFF_HEADS,
  diffCells,
  modelDiff,
  type DiffRow,
  type ModelDiff,
} from '../src/shared/protocol';
import { middleEllipsis } from '../src/shared/format';
import { dataTable, Disposables, el, tabBar, tabPanel, toolButton } from './dom';
import { changeColours } from './graphMetrics';
import { graphView } from './graphView';
import type { PanelView, ViewContext } from './panelView';
import type { ShownDiff, ViewState, ViewStore } from './viewStore';

const NUMERIC = [3, 4, 5, 6, 7];

function rowCells(r: DiffRow): string[] {
  const op = (r.b ?? r.a)?.op ?? '';
  // the Change column says why a row is marked (words, not only a colour)
  return [r.name, op, changeOf(r), ...diffCells(r.a, r.b)];
}

/** The per-layer table: every layer or the changed ones; rows select, arrows move. */
function diffTable(d: ModelDiff, ctx: ViewContext): PanelView {
  const wrap = el('section', undefined, 'diff-layers');
  let changedOnly = d.changed > 0;
  const tools = el('div', undefined, 'graph-tools');
  const count = el('span', '', 'count');
  const toggle = toolButton(
    'Changed only',
    'Show only the layers that differ, or every layer',
    () => {
      changedOnly = !changedOnly;
      build();
    },
  );
  tools.append(toggle, count);
  const holder = el('div', undefined, 'table-wrap diff-table-wrap');
  wrap.append(tools, holder);
  let rowsByName = new Map<string, HTMLTableRowElement>();
  let shown: DiffRow[] = [];
  const select = (name?: string) => {
    for (const [n, tr] of rowsByName) {
      const on = n === name;
      tr.classList.toggle('selected', on);
      tr.setAttribute('aria-selected', String(on));
      if (on) tr.scrollIntoView({ block: 'nearest' });
    }
  };
  const build = () => {
    shown = changedOnly ? d.rows.filter((r) => r.changed) : [...d.rows];
    toggle.textContent = changedOnly ? 'Show all layers' : 'Changed only';
    toggle.dataset.action = 'changed-only';
    toggle.setAttribute('aria-pressed', String(changedOnly));
    count.textContent = `${d.changed} of ${d.rows.length} layers differ${changedOnly ? ' (shown)' : ''}`;
    const table = dataTable(
      'diff-table',
      'Per-layer differences: a → b (Δ)',
      ['Layer', 'Op', 'Change', ...DIFF_HEADS],
      shown.map(rowCells),
      NUMERIC,
    );
    table.tabIndex = 0;
    table.setAttribute('role', 'grid');
    table.setAttribute(
      'aria-label',
      'Per-layer differences. Arrow keys move the selection; the graph follows',
    );
    rowsByName = new Map();
    const trs = [...table.tBodies[0].rows];
    trs.forEach((tr, i) => {
      const r = shown[i];
      tr.dataset.layer = r.name;
      tr.title = r.name;
      tr.cells[0].textContent = middleEllipsis(r.name, 48);
      if (r.changed) tr.classList.add('changed');
      tr.setAttribute('aria-selected', 'false');
      tr.addEventListener('click', () => ctx.act({ type: 'pick', layer: r.name }));
      rowsByName.set(r.name, tr);
    });
    table.addEventListener('keydown', (ev) => {
      if (ev.key !== 'ArrowDown' && ev.key !== 'ArrowUp') return;
      ev.preventDefault();
      const at = shown.findIndex((r) => r.name === ctx.state().options.selected);
      const next = Math.max(0, Math.min(shown.length - 1, at + (ev.key === 'ArrowDown' ? 1 : -1)));
      if (shown[next]) ctx.act({ type: 'pick', layer: shown[next].name });
    });
    holder.replaceChildren(table);
    select(ctx.state().options.selected);
  };
  build();
  return {
    element: wrap,
    disposables: new Disposables(),
    update: (s, p) => {
      if (s.options.selected !== p.options.selected) select(s.options.selected);
    },
  };
}

function totalsTable(d: ModelDiff): HTMLElement {
  const { a, b } = d.totals;
  return dataTable(
    'diff-totals',
    'Network totals: a → b (Δ)',
    ['', 'Layers', ...DIFF_HEADS],
    [
      [
        'network',
        a.layers === b.layers ? String(a.layers) : `${a.layers} → ${b.layers}`,
        ...diffCells(a, b),
      ],
    ],
    [1, 2, 3, 4, 5, 6],
  );
}

type DiffTab = 'layers' | 'graph';
const DIFF_TABS: readonly [DiffTab, string][] = [
  ['layers', 'Layers'],
  ['graph', 'Graph of b'],
];

/** Mounts the Compare Models view into `root` and keeps it in step with the store. */
export function mountDiffView(root: HTMLElement, store: ViewStore, ctx: ViewContext): void {
  let shownOf: ShownDiff | undefined;
  let panels: { layers: PanelView; graph?: PanelView } | undefined;
  let diff: ModelDiff | undefined;
  let bar: ReturnType<typeof tabBar<DiffTab>> | undefined;
  let box: HTMLElement | undefined;

  const tabOf = (s: ViewState): DiffTab => (s.options.tab === 'graph' ? 'graph' : 'layers');

  const build = (s: ShownDiff) => {
    panels?.layers.disposables.dispose();
    panels?.graph?.disposables.dispose();
    diff = modelDiff(s.a.report, s.b.report);
    const header = el('div', undefined, 'header diff-header');
    const title = el('h1', 'Compare Models');
    const files = el('p', undefined, 'diff-files');
    files.append(
      el('span', 'a ', 'diff-side'),
      el('strong', s.a.file),
      el('span', '  →  b ', 'diff-side'),
      el('strong', s.b.file),
    );
    const on = el(
      'p',
      `${s.arch} · ${s.precision} · ${s.timeModel === 'refined' ? 'refined' : 'paper'} estimate`,
      'status',
    );
    header.append(title, files, on, totalsTable(diff));
    bar = tabBar(DIFF_TABS, 'Compare Models', (tab) => ctx.act({ type: 'tab', tab }));
    box = el('div', undefined, 'panels');
    panels = { layers: diffTable(diff, ctx) };
    tabPanel(panels.layers.element, 'layers');
    box.append(panels.layers.element);
    const view = el('div', undefined, 'report diff');
    view.append(header, bar.element, box);
    root.replaceChildren(view);
  };

  const showTab = (s: ViewState) => {
    if (!panels || !bar || !box || !diff || !s.diff) return;
    const tab = tabOf(s);
    bar.setActive(tab);
    if (tab === 'graph' && !panels.graph) {
      const b = s.diff.b.report;
      panels.graph = graphView(b, ctx, {
        title: 'Changed in b',
        colours: changeColours(b, diff),
      });
      tabPanel(panels.graph.element, 'graph');
      box.append(panels.graph.element);
    }
    panels.layers.element.hidden = tab !== 'layers';
    if (panels.graph) panels.graph.element.hidden = tab !== 'graph';
    if (tab === 'graph') panels.graph?.shown?.(s);
  };

  const update = (s: ViewState, previous: ViewState) => {
    root.setAttribute('aria-busy', String(s.diff === undefined && !s.error));
    if (s.error) {
      const error = el('section', undefined, 'error');
      error.append(el('h1', s.error.file), el('p', `${s.error.message} [${s.error.code}]`));
      root.replaceChildren(error);
      shownOf = undefined;
      return;
    }
    if (!s.diff) return;
    if (s.diff !== shownOf) {
      shownOf = s.diff;
      build(s.diff);
      showTab(s);
      return;
    }
    panels?.layers.update?.(s, previous);
    panels?.graph?.update?.(s, previous);
    if (tabOf(s) !== tabOf(previous)) showTab(s);
  };
  store.subscribe(update);
  update(store.state, store.state);
}
