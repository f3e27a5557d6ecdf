import {
  formatBytes,
  formatCount,
  formatInteger,
  formatPercent,
  formatShare,
  middleEllipsis,
  weightBytesAt,
} from '../src/shared/format';
import {
  PRECISIONS,
  TIME_MODELS,
  MAX_INPUT_DIM,
  type InputShape,
  type ModelViewReport,
  type Precision,
  type TimeModelKind,
} from '../src/shared/protocol';
import {
  filterRows,
  layerRows,
  sortRows,
  type LayerRow,
  type SortKey,
  type SortState,
} from './layerRows';
import { ledgerPanel, memoryPanel, sparsityPanel, whyPanel } from './panels';
import { timelineView } from './timelineView';
import { el, newDrawing, observeResize } from './dom';

/** Fixed row height of the layer table (px), so only the rows in view need to exist. */
const ROW_HEIGHT = 22;
const OVERSCAN = 20;

/** The tabs of the model view. */
export const TABS = ['layers', 'sparsity', 'memory', 'timeline', 'why', 'ledger'] as const;
export type Tab = (typeof TABS)[number];
const TAB_TITLES: Record<Tab, string> = {
  layers: 'Layers',
  sparsity: 'Sparsity',
  memory: 'Memory',
  timeline: 'Timeline',
  why: "Why isn't it faster?",
  ledger: 'Paper → refined',
};

const shape = (s: readonly number[] | null) => (s ? s.join('×') : '?');
const micros = (s: number | undefined) => (s === undefined ? '' : (s * 1e6).toFixed(1));
const millis = (s: number) => `${(s * 1e3).toFixed(3)} ms`;

/** The view's state, persisted with setState. */
export interface ViewOptions {
  readonly block: string;
  readonly arch: string;
  /** Absent until the first report says which precision the setting chose. */
  readonly precision?: Precision;
  /** Absent until the first report says which model the setting chose. */
  readonly timeModel?: TimeModelKind;
  /** The Layers table's scroll position. */
  readonly tableScroll?: number;
  /** The timeline's zoom: the visible window in seconds. */
  readonly timelineWindow?: { readonly start: number; readonly end: number };
  readonly sort: SortState;
  readonly filter: string;
  /** The layer selected from outside the view (code lens, tree, "Go to Layer"). */
  readonly selected?: string;
  readonly tab?: Tab;
}

/** What the controls do; main.ts wires these to the host and to re-rendering. */
export interface ViewActions {
  setBlock(block: string): void;
  setArch(arch: string): void;
  setPrecision(precision: Precision): void;
  setTimeModel(model: TimeModelKind): void;
  /** Keep input shapes for this model file (empty: back to the settings). */
  setInputShapes(shapes: readonly InputShape[]): void;
  /** Keeps view state (scroll positions) without drawing anew. */
  remember(state: Partial<ViewOptions>): void;
  setSort(sort: SortState): void;
  setFilter(filter: string): void;
  /** Open the Python line that defines a layer. */
  goToSource(layer: string): void;
  /**
   * Selects a layer; `fromView` when the user picked it here (the host's sidebar follows);
   * `inPlace` when the caller updated its own rows (nothing is drawn anew).
   */
  select(layer: string, fromView?: boolean, inPlace?: boolean): void;
  setTab(tab: Tab): void;
  exportAs(format: 'csv' | 'json' | 'trace'): void;
}

function tabBar(current: Tab, a: ViewActions): HTMLElement {
  const bar = el('div', undefined, 'tabs');
  bar.setAttribute('role', 'tablist');
  for (const t of TABS) {
    const b = el('button', TAB_TITLES[t], t === current ? 'tab active' : 'tab');
    b.setAttribute('role', 'tab');
    b.setAttribute('aria-selected', String(t === current));
    b.dataset.tab = t;
    b.addEventListener('click', () => a.setTab(t));
    bar.append(b);
  }
  return bar;
}

/** Parses '1x3x640x640' (or with ×); undefined when it is not 1 to 8 positive sizes. */
export function parseInputShape(text: string): number[] | undefined {
  const parts = text.trim().split(/\s*[x×,]\s*/i);
  if (parts.length < 1 || parts.length > 8) return undefined;
  const dims = parts.map(Number);
  return dims.every((d) => Number.isInteger(d) && d >= 1 && d <= MAX_INPUT_DIM) ? dims : undefined;
}

const isDynamic = (declared: readonly (number | string | null)[] | null) =>
  declared === null || declared.some((d) => typeof d !== 'number');

/**
 * The model's inputs: each with its shape as analysed; a dynamic one says so (which dims) and
 * gets an editor, whose shapes are kept for this model file only.
 */
function inputsEditor(
  report: ModelViewReport,
  own: readonly InputShape[],
  a: ViewActions,
): HTMLElement {
  const box = el('div', undefined, 'inputs');
  for (const i of report.analysis.model.inputs) {
    const line = el('div', undefined, 'input');
    const dynamic = isDynamic(i.declared);
    const chosen = own.find(([n]) => n === i.name);
    line.append(el('span', `${i.name} ${shape(i.shape)}`, 'input-shape'));
    if (!dynamic) {
      box.append(line);
      continue;
    }
    const dims = i.declared
      ? i.declared.map((d, k) => (typeof d === 'number' ? null : (d ?? `dim ${k}`))).filter(Boolean)
      : ['rank and sizes'];
    line.append(
      el(
        'span',
        chosen
          ? ` (dynamic ${dims.join(', ')}: set here)`
          : ` (dynamic ${dims.join(', ')}: assumed)`,
        'dynamic',
      ),
    );
    const field = document.createElement('vscode-textfield') as HTMLElement & { value: string };
    field.value = (chosen?.[1] ?? i.shape ?? []).join('x');
    field.setAttribute('aria-label', `Shape of input ${i.name}`);
    field.dataset.input = i.name;
    field.className = 'shape-field';
    const apply = document.createElement('vscode-button');
    apply.textContent = 'Apply';
    apply.setAttribute('secondary', '');
    apply.dataset.applyInput = i.name;
    const problem = el('span', '', 'problem');
    const commit = () => {
      const parsed = parseInputShape(field.value);
      if (!parsed) {
        problem.textContent = ` expected sizes like 1x3x640x640 (1 to ${MAX_INPUT_DIM} each)`;
        return;
      }
      a.setInputShapes([...own.filter(([n]) => n !== i.name), [i.name, parsed]]);
    };
    apply.addEventListener('click', commit);
    field.addEventListener('keydown', (e) => e.key === 'Enter' && commit());
    line.append(field, apply);
    if (chosen) {
      const reset = document.createElement('vscode-button');
      reset.textContent = 'Reset';
      reset.setAttribute('secondary', '');
      reset.addEventListener('click', () => a.setInputShapes(own.filter(([n]) => n !== i.name)));
      line.append(reset);
    }
    line.append(problem);
    box.append(line);
  }
  return box;
}

function summary(
  file: string,
  report: ModelViewReport,
  o: ViewOptions,
  own: readonly InputShape[],
  a: ViewActions,
): HTMLElement {
  const r = report.analysis;
  const t = r.totals;
  const precision = report.simulation?.precision ?? o.precision ?? 'int8';
  const box = el('section', undefined, 'summary');
  box.append(el('h1', file));
  const facts: [string, string | HTMLElement][] = [
    ['Producer', r.model.producer || 'unknown'],
    ['Opset', String(r.model.opset)],
    ['Inputs', inputsEditor(report, own, a)],
    ['Layers', String(t.layers)],
    ['Parameters', formatInteger(t.params)],
    ['MACs', `${formatInteger(t.macs)} (${formatCount(t.macs)})`],
    [
      'Block sparsity',
      `${t.zeroBlocks} / ${t.blocks} blocks (${formatPercent(t.blocks ? t.zeroBlocks / t.blocks : 0)}), block ${r.block.out}×${r.block.in}`,
    ],
    (() => {
      const w = weightBytesAt(r.layers, precision);
      return [
        `${precision} weights`,
        `${formatBytes(w.dense)} dense → ${formatBytes(w.compressed)} compressed`,
      ] as [string, string];
    })(),
  ];
  const sim = report.simulation;
  const { dense, sparse } = sim?.modes ?? {};
  if (sim && dense && sparse) {
    // the array the estimate was made for, not the picker's: a re-estimate may be on its way
    facts.push([
      `Estimate on ${sim.arch.name} (${sim.precision}, ${sim.model.kind})`,
      `${millis(dense.seconds)} dense → ${millis(sparse.seconds)} sparse (${(sim.speedup ?? 1).toFixed(2)}× faster)`,
    ]);
    facts.push([
      `Compiled weights (${sim.precision})`,
      `${formatBytes(dense.compiledWeightBytes)} dense → ${formatBytes(sparse.compiledWeightBytes)} sparse, as stored per core`,
    ]);
  }
  if (sim?.cpu.cutAt) {
    const nodes = sim.cpu.cutOps + sim.cpu.cpuOps;
    facts.push([
      'Left to the CPU',
      `the graph is cut at ${sim.cpu.cutAt}: ${nodes} node${nodes === 1 ? '' : 's'}, ${formatCount(sim.cpu.cutMacs)} MACs (not in the estimate)`,
    ]);
  }
  const coverage = sim?.coverage;
  if (coverage) {
    facts.push([
      'MACs on the array',
      `${formatShare(coverage.macsAccelerated, coverage.macs)} of ${formatCount(coverage.macs)}; nodes: ${coverage.accelerated} on the array, ` +
        `${coverage.fused} fused, ${coverage.removed} removed, ${coverage.cpu} on the CPU, ${coverage.unplaced} not placeable`,
    ]);
  }
  const dl = el('dl');
  for (const [k, v] of facts) {
    const dd = el('dd', typeof v === 'string' ? v : undefined);
    if (typeof v !== 'string') dd.append(v);
    dl.append(el('dt', k), dd);
  }
  box.append(dl);
  if (coverage && coverage.offArray.length > 0) box.append(offArrayList(coverage.offArray));
  return box;
}

/** Most rows of the off-array list drawn; the rest are counted. */
const OFF_ARRAY_ROWS = 12;

/** What the array does not run, most MACs first, each with its reason (collapsed by default). */
function offArrayList(nodes: NonNullable<ModelViewReport['simulation']>['coverage']['offArray']) {
  const details = el('details', undefined, 'off-array');
  const macs = nodes.reduce((a, n) => a + n.macs, 0);
  details.append(
    el(
      'summary',
      `Not on the array: ${nodes.length} node${nodes.length === 1 ? '' : 's'}, ${formatCount(macs)} MACs`,
    ),
  );
  const list = el('ol');
  for (const n of nodes.slice(0, OFF_ARRAY_ROWS)) {
    const item = el('li');
    item.append(
      el('code', n.name),
      ` ${n.opType}${n.macs > 0 ? `, ${formatCount(n.macs)} MACs` : ''}${n.class === 'unplaced' ? ' (not placeable)' : ''}: ${n.reason}`,
    );
    list.append(item);
  }
  details.append(list);
  if (nodes.length > OFF_ARRAY_ROWS)
    details.append(el('p', `and ${nodes.length - OFF_ARRAY_ROWS} more`));
  return details;
}

/** A labelled @vscode-elements single select (VS Code's own look, keyboard and screen readers). */
function select(
  label: string,
  values: readonly string[],
  current: string,
  onChange: (v: string) => void,
): HTMLElement {
  const wrap = el('label', `${label} `, 'control');
  const s = document.createElement('vscode-single-select') as HTMLElement & { value: string };
  s.setAttribute('aria-label', label);
  s.dataset.control = label;
  for (const v of values) {
    const o = document.createElement('vscode-option') as HTMLElement & {
      value: string;
      selected: boolean;
    };
    o.textContent = v;
    o.value = v;
    o.selected = v === current;
    s.append(o);
  }
  s.addEventListener('change', () => onChange(s.value));
  wrap.append(s);
  return wrap;
}

function controls(archs: readonly string[], o: ViewOptions, a: ViewActions): HTMLElement {
  const bar = el('div', undefined, 'controls');
  bar.append(
    select('Block shape (out × in)', ['8x8', '4x4', '16x16', '8x4', '4x8'], o.block, a.setBlock),
  );
  bar.append(select('Array', archs, o.arch, a.setArch));
  bar.append(
    select('Precision', PRECISIONS, o.precision ?? 'int8', (p) => a.setPrecision(p as Precision)),
  );
  bar.append(
    select('Estimate', TIME_MODELS, o.timeModel ?? 'paper', (m) =>
      a.setTimeModel(m as TimeModelKind),
    ),
  );
  const filter = document.createElement('vscode-textfield') as HTMLElement & {
    value: string;
    type: string;
    placeholder: string;
  };
  filter.type = 'search';
  filter.placeholder = 'Filter layers (name, op, bound)';
  filter.value = o.filter;
  filter.className = 'filter';
  filter.setAttribute('aria-label', 'Filter layers');
  filter.addEventListener('input', () => a.setFilter(filter.value));
  bar.append(filter);
  for (const [format, label] of [
    ['csv', 'Export CSV'],
    ['json', 'Export JSON'],
    ['trace', 'Export trace (Perfetto)'],
  ] as const) {
    const b = document.createElement('vscode-button');
    b.textContent = label;
    b.className = 'export';
    b.setAttribute('secondary', '');
    b.dataset.export = format;
    b.addEventListener('click', () => a.exportAs(format));
    bar.append(b);
  }
  return bar;
}

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
 * The Layers tab's columns: title, sort key, cell, right-aligned, and how soon it collapses in a
 * narrow view (1: never; 2 and 3: below the widths in modelView.css, the least important first —
 * their values stay in the row's tooltip).
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
  [
    'Speedup',
    'speedup',
    (r) =>
      r.dense && r.sparse && r.sparse.seconds > 0
        ? `${(r.dense.seconds / r.sparse.seconds).toFixed(2)}×`
        : '',
    true,
    1,
  ],
  ['Bound', 'bound', (r) => r.sparse?.bound ?? r.dense?.bound ?? r.cpu ?? '', false, 1],
];

const priorityClass = (p: 1 | 2 | 3, right: boolean) =>
  [right ? 'num' : '', p > 1 ? `p${p}` : ''].filter(Boolean).join(' ') || undefined;

function layerTable(report: ModelViewReport, o: ViewOptions, a: ViewActions): HTMLElement {
  const rows = sortRows(filterRows(layerRows(report), o.filter), o.sort);
  const table = el('table', undefined, 'layers');
  const head = el('tr');
  for (const [name, key, , right, priority] of COLUMNS) {
    const th = el('th', name, priorityClass(priority, right));
    if (key) {
      const active = o.sort.key === key;
      th.tabIndex = 0;
      th.setAttribute(
        'aria-sort',
        active ? (o.sort.descending ? 'descending' : 'ascending') : 'none',
      );
      if (active) th.textContent = `${name} ${o.sort.descending ? '▼' : '▲'}`;
      const toggle = () =>
        a.setSort({
          key,
          descending: active ? !o.sort.descending : key !== 'name' && key !== 'op',
        });
      th.addEventListener('click', toggle);
      th.addEventListener('keydown', (e) => (e.key === 'Enter' || e.key === ' ') && toggle());
    }
    head.append(th);
  }
  const thead = el('thead');
  thead.append(head);
  const body = el('tbody');
  // the selection changes in place: clicks and keys restyle two rows, nothing is drawn anew
  let selected = o.selected;
  let index = rows.findIndex((r) => r.layer.name === selected);
  const mark = (tr: HTMLElement, on: boolean) => {
    tr.classList.toggle('selected', on);
    if (on) tr.setAttribute('aria-selected', 'true');
    else tr.removeAttribute('aria-selected');
  };
  const choose = (i: number) => {
    if (i < 0 || i >= rows.length) return;
    index = i;
    selected = rows[i].layer.name;
    for (const tr of body.querySelectorAll<HTMLElement>('tr[data-layer]'))
      mark(tr, tr.dataset.layer === selected);
    a.select(selected, true, true);
  };
  const rowElement = (r: LayerRow) => {
    const tr = el('tr');
    tr.dataset.layer = r.layer.name;
    tr.tabIndex = -1;
    tr.title =
      `${r.layer.name}\n${r.layer.op}, weight ${shape(r.layer.weightShape)}, output ${shape(r.layer.outputShape)}` +
      '\nDouble-click or Enter: Go to Layer Definition (PyTorch source); arrow keys: next layer';
    tr.addEventListener('click', () => {
      choose(rows.indexOf(r));
      scroller.focus({ preventScroll: true });
    });
    tr.addEventListener('dblclick', () => a.goToSource(r.layer.name));
    if (r.layer.name === selected) mark(tr, true);
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
  let pending = false;
  scroller.addEventListener('scroll', () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      paint();
    });
  });
  paint();
  observeResize(scroller, paint);
  // the scroll position is part of the view's state (restored by renderReport once attached)
  scroller.addEventListener('scroll', () => a.remember({ tableScroll: scroller.scrollTop }));
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
      a.goToSource(rows[index].layer.name);
      return;
    }
    const step = moves[e.key];
    if (step === undefined || rows.length === 0) return;
    e.preventDefault();
    const next = Math.max(0, Math.min(rows.length - 1, (index < 0 ? -1 : index) + step));
    choose(next);
    // keep the row in view: scroll by as little as it takes
    const top = next * ROW_HEIGHT;
    const view = scroller.clientHeight || 600;
    const header = scroller.querySelector('thead')?.getBoundingClientRect().height ?? 0;
    if (top < scroller.scrollTop) scroller.scrollTop = top;
    else if (top + ROW_HEIGHT > scroller.scrollTop + view - header)
      scroller.scrollTop = top + ROW_HEIGHT - view + header;
    paint();
  });
  Object.assign(scroller, {
    /** Scrolls the selected layer into the middle of the view. */
    revealSelected: () => {
      if (index < 0) return;
      scroller.scrollTop = Math.max(0, index * ROW_HEIGHT - scroller.clientHeight / 2);
      paint();
    },
  });
  const wrap = el('section', undefined, 'table');
  wrap.append(
    el('p', `${rows.length} of ${report.analysis.layers.length} layers`, 'count'),
    scroller,
  );
  return wrap;
}

function diagnosticsList(report: ModelViewReport): HTMLElement | undefined {
  const all = [...report.analysis.diagnostics, ...(report.simulation?.diagnostics ?? [])];
  const unique = all.filter(
    (d, i) => all.findIndex((x) => x.code === d.code && x.message === d.message) === i,
  );
  if (unique.length === 0) return undefined;
  const box = el('section', undefined, 'diagnostics');
  box.append(el('h2', 'Diagnostics'));
  const ul = el('ul');
  for (const d of unique)
    ul.append(
      el('li', `${d.severity} ${d.code}${d.node ? ` (${d.node})` : ''}: ${d.message}`, d.severity),
    );
  box.append(ul);
  return box;
}

/** Renders the whole report into `root`, keeping focus on the filter box while typing. */
export function renderReport(
  root: HTMLElement,
  file: string,
  report: ModelViewReport,
  archs: readonly string[],
  o: ViewOptions,
  a: ViewActions,
  extra: { readonly inputShapes: readonly InputShape[]; readonly partial: boolean } = {
    inputShapes: [],
    partial: false,
  },
): void {
  const inputShapes = extra.inputShapes;
  newDrawing();
  const tab = o.tab ?? 'layers';
  let body: HTMLElement;
  if (tab === 'sparsity') body = sparsityPanel(report, o.selected, (l) => a.select(l, true));
  else if (tab === 'memory') body = memoryPanel(report);
  else if (tab === 'timeline')
    body = timelineView(report, o.selected, (l) => a.select(l, true), {
      initial: o.timelineWindow,
      keep: (w) => a.remember({ timelineWindow: w }),
    });
  else if (tab === 'why') body = whyPanel(report, (layer) => (a.setTab('layers'), a.select(layer)));
  else if (tab === 'ledger')
    body = ledgerPanel(report, (layer) => (a.setTab('layers'), a.select(layer)));
  else body = layerTable(report, o, a);
  body.setAttribute('role', 'tabpanel');
  // keep the controls while their choices are unchanged: typing in the filter keeps its focus
  const key = JSON.stringify([archs, o.block, o.arch, o.precision ?? '', o.timeModel ?? '']);
  const old = root.querySelector<HTMLElement>(':scope > .controls');
  const bar = old?.dataset.key === key ? old : controls(archs, o, a);
  bar.dataset.key = key;
  const field = bar.querySelector<HTMLElement & { value: string }>('.filter');
  if (field && field.value !== o.filter) field.value = o.filter;
  const head = summary(file, report, o, inputShapes, a);
  if (extra.partial) {
    // the analysis is here; the estimate is on its way
    head.append(el('p', `Estimating on ${o.arch || 'the chosen array'}…`, 'status pending'));
    root.setAttribute('aria-busy', 'true');
  } else root.removeAttribute('aria-busy');
  root.replaceChildren(head, bar, tabBar(tab, a), body);
  // a re-drawn or restored table keeps its scroll position (only an attached element scrolls)
  const table = root.querySelector<HTMLElement>('.table-scroll');
  if (table && o.tableScroll) table.scrollTop = o.tableScroll;
  if (tab === 'layers') {
    const diags = diagnosticsList(report);
    if (diags) root.append(diags);
  }
}

/** Renders an error in place of the report. */
export function renderError(root: HTMLElement, file: string, code: string, message: string): void {
  const box = el('section', undefined, 'error');
  box.append(el('h1', file), el('p', `${message} [${code}]`));
  root.replaceChildren(box);
}
