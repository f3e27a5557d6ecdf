/**
 * The timeline: a Gantt of the simulated instruction stream, one row per lane for the dense and
 * the sparse run on one time axis. Canvas drawn in the view's frame scheduler, only the visible
 * window; wheel zooms around the pointer, drag pans, hover shows the group, click selects its
 * layer. Built once per report: a tab switch keeps its zoom, a selection redraws it in place.
 */
import { middleEllipsis } from '../src/shared/format';
import {
  LANES,
  MEMTILE_LANES,
  traceOnUnits,
  unitNames,
  type ModelViewReport,
  type SimulationReport,
  type TraceUnits,
} from '../src/shared/protocol';
import {
  canvasFrame,
  dataTable,
  Disposables,
  el,
  searchField,
  toolButton,
  toolPicker,
} from './dom';
import type { PanelView, ViewContext } from './panelView';
import { rangeSummary, type RangeRow } from './rangeSummary';
import { laneTable, timelineTable } from './timelineTable';
import { onThemeChange, themeColour } from './themeColours';
import {
  axisTicks,
  formatDuration,
  indexSpans,
  panBy,
  spanAt,
  toTime,
  toX,
  visibleRange,
  zoomAt,
  type SpanIndex,
  type Tick,
  type TimeWindow,
} from './timeScale';
import type { ViewState } from './viewStore';

const LANE_COLOURS = [
  '--vscode-charts-orange',
  '--vscode-charts-yellow',
  '--vscode-charts-blue',
  '--vscode-charts-purple',
  '--vscode-charts-green',
  '--vscode-charts-blue',
  '--vscode-charts-red',
];
const ROW = 18;
const AXIS = 22;
const LABELS = 170;

type TraceEvent = NonNullable<SimulationReport['modes']['dense']>['trace'][number];

/** A slice of a row: an instruction group of a lane, or a whole layer on the layer track. */
interface Slice {
  readonly start: number;
  readonly end: number;
  /** Index into the row's layers. */
  readonly layer: number;
}

interface Row extends RangeRow {
  readonly label: string;
  readonly mode: 'dense' | 'sparse';
  /** The lane's colour index; -1 for the layer track. */
  readonly laneIndex: number;
  readonly events: readonly Slice[];
  /** The trace events behind the slices (lane rows; absent on the layer track). */
  readonly trace?: readonly TraceEvent[];
  readonly index: SpanIndex;
  readonly layers: readonly string[];
}

/**
 * One row per (mode, unit, lane) under each mode's layer track: each memtile's lanes, then each
 * core's. Every unit of a lane runs the same schedule (the simulator copies it), so the view's
 * one-of-each trace is widened to all units by sharing the events, not by copying them.
 */
function rowsOf(sim: SimulationReport, units: TraceUnits): Row[] {
  const rows: Row[] = [];
  const names = unitNames(sim.arch, units);
  for (const mode of ['dense', 'sparse'] as const) {
    const m = sim.modes[mode];
    if (!m) continue;
    const layers = m.layers.map((l) => l.name);
    // the layer track on top of the mode's lanes: each layer from its start to its end
    const spans = m.layers.map((l, i) => ({ start: l.start, end: l.start + l.seconds, layer: i }));
    rows.push({
      label: `${mode} layers`,
      mode,
      laneIndex: -1,
      layerTrack: true,
      events: spans,
      index: indexSpans(spans),
      layers,
    });
    // one of each: the lanes of memtile 0 and of core 0,0 (a full trace: each unit's own)
    const byLane = new Map<string, TraceEvent[]>();
    for (const e of traceOnUnits(m.trace, sim.arch, 'one')) {
      const key = `${e.unit.startsWith('memtile') ? 'm' : 'c'}:${e.lane}`;
      const list = byLane.get(key);
      if (list) list.push(e);
      else byLane.set(key, [e]);
    }
    const lanes = new Map<string, { events: TraceEvent[]; index: SpanIndex }>();
    for (const [key, list] of byLane) {
      const events = list.sort((a, b) => a.start - b.start);
      lanes.set(key, { events, index: indexSpans(events) });
    }
    const sides: [readonly string[], boolean][] = [
      [names.memtiles, true],
      [names.cores, false],
    ];
    for (const [side, onMemtile] of sides) {
      for (const unit of side) {
        LANES.forEach((lane, laneIndex) => {
          if (MEMTILE_LANES.has(lane) !== onMemtile) return;
          const l = lanes.get(`${onMemtile ? 'm' : 'c'}:${lane}`) ?? {
            events: [],
            index: indexSpans([]),
          };
          rows.push({
            label: `${mode} ${unit} ${lane}`,
            mode,
            laneIndex,
            layerTrack: false,
            events: l.events,
            trace: l.events,
            index: l.index,
            layers,
          });
        });
      }
    }
  }
  return rows;
}

const css = themeColour;

function describe(row: Row, i: number): string {
  const slice = row.events[i];
  const layer = row.layers[slice.layer] ?? '';
  const e = row.trace?.[i];
  if (!e) return `${layer}\n${row.mode} · ${formatDuration(slice.end - slice.start)}`;
  const parts = [
    `${layer}`,
    `${e.lane} · ${e.phase}${e.pass ? ` · pass ${e.pass}` : ''} · ${e.iterations} iteration${e.iterations === 1 ? '' : 's'}`,
    formatDuration(e.end - e.start),
  ];
  if (e.bytes) parts.push(`${e.bytes.toLocaleString()} B`);
  if (e.macs) parts.push(`${Math.round(e.macs).toLocaleString()} MACs`);
  return parts.join('\n');
}

/** Builds the timeline for a report; a click on a group picks its layer. */
export function timelineView(report: ModelViewReport, ctx: ViewContext): PanelView {
  const disposables = new Disposables();
  const wrap = document.createElement('section');
  wrap.className = 'timeline';
  const sim = report.simulation;
  if (!sim || (!sim.modes.dense && !sim.modes.sparse)) {
    wrap.textContent = 'No estimate: choose an array to see the timeline.';
    return { element: wrap, disposables };
  }
  let selected = ctx.state().options.selected;
  /** The layer under the pointer: highlighted in both runs. */
  let hovered: string | undefined;
  /** Layers whose name matches the slice search (lower case), none when it is empty. */
  let matches: ReadonlySet<string> = new Set();
  /** Slices of the hovered layer drawn in the last frame, per run (tests read it). */
  let highlighted = { dense: 0, sparse: 0 };
  let units: TraceUnits = ctx.state().options.timelineUnits ?? 'one';
  let rows = rowsOf(sim, units);
  const total = Math.max(sim.modes.dense?.seconds ?? 0, sim.modes.sparse?.seconds ?? 0) || 1e-6;
  const canvas = document.createElement('canvas');
  canvas.tabIndex = 0;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute(
    'aria-label',
    `Timeline of ${rows.length} lanes. W/S zoom, A/D pan, N/P select the next or previous layer, F fits it, 0 resets, R sums the visible range, Escape clears it; the same data is in "Timeline as a table" below`,
  );
  const tip = document.createElement('div');
  tip.className = 'timeline-tip';
  tip.hidden = true;
  const hint = document.createElement('p');
  hint.className = 'count';
  const memtiles = sim.arch.columns;
  const cores = sim.arch.rows * sim.arch.columns;
  const noteText = () =>
    `Wheel, W/S or +/− to zoom around the pointer, drag, A/D or ←/→ to pan, click a block to select its layer; N/P step through the layers, F fits the selected layer, 0 resets; Shift+drag (or R: what is on screen) selects a range and sums it (Esc clears). ` +
    (units === 'one'
      ? `One memtile and one core shown: all ${memtiles} memtiles and ${cores} cores run the same schedule (in both estimate modes), so one of each stands for all. The trace export has the units shown; choose "All units" for every one.`
      : `All ${memtiles} memtiles and ${cores} cores shown (each unit of a lane runs the same schedule); the trace export has every unit.`);
  hint.textContent = noteText();
  const tools = document.createElement('div');
  tools.className = 'timeline-tools';
  const button = (label: string, title: string, onClick: () => void) =>
    tools.append(toolButton(label, title, onClick));

  // the unit picker: one memtile and one core, or every unit (the export follows it)
  const unitPick = toolPicker(
    'Units shown',
    [
      ['one', 'One memtile, one core'],
      ['all', `All units (${memtiles} memtiles, ${cores} cores)`],
    ],
    units,
    (value) => setUnits(value === 'all' ? 'all' : 'one'),
  );
  unitPick.dataset.control = 'units';
  const setUnits = (next: TraceUnits) => {
    if (next === units) return;
    units = next;
    rows = rowsOf(sim, units);
    height = AXIS + rows.length * ROW;
    hint.textContent = noteText();
    ctx.act({ type: 'remember', state: { timelineUnits: units } });
    if (range) showRange(range.start, range.end, false);
    schedule();
  };
  tools.append(unitPick);
  button('Fit selection', 'Zoom to the selected layer (F)', () => fit());
  button('Reset zoom', 'Show the whole run (0)', () => reset());
  // slice search: matching layers outlined in every lane; Enter steps through them
  const find = searchField('Find slices (layer name)', 'Find slices by layer name', 'slice-search');
  const found = el('span', '', 'count');
  const layerNames = [
    ...new Set(
      (['dense', 'sparse'] as const).flatMap((m) => sim.modes[m]?.layers.map((l) => l.name) ?? []),
    ),
  ];
  let matchIndex = -1;
  find.addEventListener('input', () => {
    const q = find.value.trim().toLowerCase();
    matches = new Set(q ? layerNames.filter((n) => n.toLowerCase().includes(q)) : []);
    found.textContent = q ? `${matches.size} layer${matches.size === 1 ? '' : 's'} match` : '';
    matchIndex = -1;
    schedule();
  });
  find.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter' || matches.size === 0) return;
    const list = [...matches];
    matchIndex = (matchIndex + (ev.shiftKey ? list.length - 1 : 1)) % list.length;
    ctx.act({ type: 'pick', layer: list[matchIndex] });
    fit();
  });
  tools.append(find, found);
  const summary = el('div', undefined, 'range-summary');
  summary.setAttribute('aria-live', 'polite');
  wrap.append(
    hint,
    tools,
    canvas,
    tip,
    summary,
    timelineTable(
      () => rows,
      total,
      (layer) => ctx.act({ type: 'pick', layer }),
    ),
  );
  let range: { start: number; end: number } | undefined;
  /** The range's duration, each lane's busy time in it and the layers it holds (largest first). */
  const showRange = (a: number, b: number, persist = true) => {
    const r = rangeSummary(rows, a, b);
    range = { start: r.start, end: r.end };
    schedule();
    if (r.end - r.start <= 0) {
      range = undefined;
      summary.replaceChildren();
      if (persist) ctx.act({ type: 'remember', state: { timelineRange: undefined } });
      return;
    }
    // kept across tab switches and reloads, like the zoom
    if (persist) ctx.act({ type: 'remember', state: { timelineRange: range } });
    const span = r.end - r.start;
    const lanes = laneTable('Busy time per lane in the range', r.lanes, span, 'Share of the range');
    const layers = dataTable(
      'why-layers range-layers',
      'Layers in the range, longest first',
      ['Run', 'Layer', 'In range'],
      r.layers.slice(0, 20).map((l) => [l.mode, l.name, formatDuration(l.seconds)]),
      [2],
    );
    const clear = document.createElement('vscode-button');
    clear.textContent = 'Clear range';
    clear.setAttribute('secondary', '');
    clear.addEventListener('click', () => showRange(0, 0));
    summary.replaceChildren(
      el(
        'p',
        `Range ${formatDuration(r.start)} – ${formatDuration(r.end)}: ${formatDuration(span)}` +
          (r.layers.length > 20 ? ` (${r.layers.length} layer slices, the 20 longest shown)` : ''),
        'count',
      ),
      clear,
      lanes,
      layers,
    );
  };

  const saved = ctx.state().options.timelineWindow;
  // a saved zoom is kept when it still lies inside this estimate's timeline
  let view: TimeWindow =
    saved && saved.start >= 0 && saved.end <= total && saved.end > saved.start
      ? { start: saved.start, end: saved.end, width: 800 }
      : { start: 0, end: total, width: 800 };
  let drawn = 0;
  let ticks: readonly Tick[] = [];
  let height = AXIS + rows.length * ROW;

  const draw = () => {
    const width = Math.max(200, wrap.clientWidth || 900);
    view = { ...view, width: width - LABELS };
    const frame = canvasFrame(canvas, width, height);
    if (!frame) return;
    const { g } = frame;
    drawn = 0;
    highlighted = { dense: 0, sparse: 0 };
    const fg = css('--vscode-foreground', '#888');
    const border = css('--vscode-panel-border', '#8884');
    g.font = `11px ${css('--vscode-font-family', 'sans-serif')}`;
    g.fillStyle = fg;
    // axis: round values in the unit that reads best at this zoom (ns, µs, ms, s)
    ticks = axisTicks(view.start, view.end, Math.max(2, Math.floor(view.width / 90)));
    for (const tick of ticks) {
      const x = LABELS + toX(view, tick.t);
      g.fillRect(x, AXIS - 6, 1, 6);
      g.fillText(tick.label, x + 2, AXIS - 8);
    }
    // slice names where they fit: an average glyph width, measured once per frame
    const glyph = g.measureText('abcdefghijklmnopqrstuvwxyz/0123456789').width / 37;
    const textColour = css('--vscode-editor-background', '#fff');
    rows.forEach((row, r) => {
      const y = AXIS + r * ROW;
      g.fillStyle = fg;
      g.fillText(row.label, 4, y + ROW - 5);
      g.fillStyle = border;
      g.fillRect(LABELS, y + ROW - 1, view.width, 1);
      const [first, last] = visibleRange(row.index, view.start, view.end);
      const colour =
        row.laneIndex < 0
          ? css('--vscode-charts-foreground', fg)
          : css(LANE_COLOURS[row.laneIndex], '#4af');
      const plainAlpha = row.laneIndex < 0 ? 0.45 : matches.size ? 0.3 : 0.75;
      // zoomed out, thousands of slices share a pixel: plain sub-pixel slices that touch are
      // drawn as one run (a million events cost a fill per pixel column, not one per event)
      let runX0 = 0;
      let runX1 = -Infinity;
      const flush = () => {
        if (runX1 < runX0) return;
        g.globalAlpha = plainAlpha;
        g.fillStyle = colour;
        g.fillRect(runX0, y + 2, Math.max(1, runX1 - runX0), ROW - 5);
        drawn++;
        runX1 = -Infinity;
      };
      for (let i = first; i < last; i++) {
        const e = row.events[i];
        if (e.end < view.start) continue;
        const x0 = LABELS + Math.max(0, toX(view, e.start));
        const x1 = LABELS + Math.min(view.width, toX(view, e.end));
        const name = row.layers[e.layer];
        const isSelected = name === selected;
        const isHovered = name === hovered && hovered !== undefined;
        const isMatch = matches.has(name);
        if (isHovered) highlighted[row.mode]++;
        const marked = isSelected || isHovered || isMatch;
        // under two pixels: a slice no one can tell from its neighbours (wider ones keep edges)
        const narrow = x1 - x0 < 2;
        if (!marked && narrow) {
          // extends the run when it touches it (within a pixel), else starts a new one
          if (x0 <= runX1 + 1) runX1 = Math.max(runX1, Math.max(x1, x0 + 1));
          else {
            flush();
            runX0 = x0;
            runX1 = Math.max(x1, x0 + 1);
          }
          continue;
        }
        flush();
        g.fillStyle = colour;
        g.globalAlpha = marked ? 1 : plainAlpha;
        g.fillRect(x0, y + 2, Math.max(1, x1 - x0), ROW - 5);
        drawn++;
        const chars = Math.floor((x1 - x0 - 6) / glyph);
        if (chars >= 8) {
          g.globalAlpha = 1;
          g.fillStyle = row.laneIndex < 0 ? fg : textColour;
          g.fillText(middleEllipsis(row.layers[e.layer] ?? '', chars), x0 + 3, y + ROW - 6);
        }
        if (isSelected || isHovered || isMatch) {
          g.globalAlpha = 1;
          g.strokeStyle = isSelected
            ? css('--vscode-focusBorder', fg)
            : isHovered
              ? fg
              : css('--vscode-editor-findMatchBorder', css('--vscode-charts-orange', fg));
          g.strokeRect(x0 + 0.5, y + 1.5, Math.max(1, x1 - x0) - 1, ROW - 4);
        }
      }
      flush();
      g.globalAlpha = 1;
    });
    drawRange(g);
  };
  /** The selected range over every row, its edges marked. */
  const drawRange = (g: CanvasRenderingContext2D) => {
    if (!range) return;
    const x0 = LABELS + Math.max(0, toX(view, range.start));
    const x1 = LABELS + Math.min(view.width, toX(view, range.end));
    if (x1 < LABELS || x0 > LABELS + view.width) return;
    g.globalAlpha = 0.18;
    g.fillStyle = css('--vscode-focusBorder', '#08f');
    g.fillRect(x0, AXIS, Math.max(1, x1 - x0), height - AXIS);
    g.globalAlpha = 1;
    g.fillRect(x0, AXIS, 1, height - AXIS);
    g.fillRect(x1, AXIS, 1, height - AXIS);
  };
  const schedule = () => ctx.frames.schedule(draw);
  /** The selected layer's span in either run, with a margin; the whole run when none is. */
  const fit = () => {
    const spans = (['dense', 'sparse'] as const).flatMap((mode) =>
      (sim.modes[mode]?.layers ?? [])
        .filter((l) => l.name === selected)
        .map((l) => [l.start, l.start + l.seconds]),
    );
    if (spans.length === 0) return reset();
    const t0 = Math.min(...spans.map((x) => x[0]));
    const t1 = Math.max(...spans.map((x) => x[1]));
    const margin = Math.max((t1 - t0) * 0.05, 1e-9);
    const start = Math.max(0, t0 - margin);
    view = { start, end: Math.min(total, Math.max(t1 + margin, start + 1e-9)), width: view.width };
    moved();
  };
  const reset = () => {
    view = { start: 0, end: total, width: view.width };
    moved();
  };
  disposables.add(() => ctx.frames.cancel(draw));
  /** A new zoom or pan: drawn, and kept in the view's state. */
  const moved = () => {
    ctx.act({ type: 'remember', state: { timelineWindow: { start: view.start, end: view.end } } });
    schedule();
  };

  const hit = (ev: MouseEvent) => {
    const rect = canvas.getBoundingClientRect();
    const x = ev.clientX - rect.left - LABELS;
    const r = Math.floor((ev.clientY - rect.top - AXIS) / ROW);
    if (x < 0 || r < 0 || r >= rows.length) return undefined;
    const row = rows[r];
    const i = spanAt(row.index, toTime(view, x));
    return i < 0 ? undefined : { row, i, event: row.events[i] };
  };
  canvas.addEventListener('wheel', (ev) => {
    ev.preventDefault();
    const x = ev.clientX - canvas.getBoundingClientRect().left - LABELS;
    view = zoomAt(view, Math.max(0, x), ev.deltaY < 0 ? 1.25 : 0.8, total);
    moved();
  });
  let drag: { x: number; moved: boolean } | undefined;
  // Shift+drag selects a range (Perfetto's area selection); a plain drag pans
  let selecting: number | undefined;
  const timeAt = (ev: MouseEvent) =>
    Math.max(
      0,
      Math.min(total, toTime(view, ev.clientX - canvas.getBoundingClientRect().left - LABELS)),
    );
  canvas.addEventListener('mousedown', (ev) => {
    if (ev.shiftKey) {
      selecting = timeAt(ev);
      range = { start: selecting, end: selecting };
    } else drag = { x: ev.clientX, moved: false };
  });
  disposables.listen('mouseup', () => {
    if (selecting !== undefined && range) showRange(range.start, range.end);
    selecting = undefined;
    setTimeout(() => (drag = undefined));
  });
  canvas.addEventListener('mousemove', (ev) => {
    if (selecting !== undefined && ev.buttons === 1) {
      const t = timeAt(ev);
      range = { start: Math.min(selecting, t), end: Math.max(selecting, t) };
      schedule();
      return;
    }
    if (drag && ev.buttons === 1) {
      const dx = drag.x - ev.clientX;
      if (Math.abs(dx) > 2) drag.moved = true;
      drag.x = ev.clientX;
      view = panBy(view, dx, total);
      moved();
      return;
    }
    const h = hit(ev);
    tip.hidden = !h;
    const over = h ? h.row.layers[h.event.layer] : undefined;
    if (over !== hovered) {
      hovered = over;
      schedule();
    }
    if (h) {
      tip.textContent = describe(h.row, h.i);
      tip.style.left = `${ev.offsetX + 12}px`;
      tip.style.top = `${ev.offsetY + 12}px`;
    }
  });
  canvas.addEventListener('mouseleave', () => {
    tip.hidden = true;
    if (hovered !== undefined) {
      hovered = undefined;
      schedule();
    }
  });
  canvas.addEventListener('click', (ev) => {
    if (drag?.moved || ev.shiftKey) return;
    const h = hit(ev);
    const layer = h && h.row.layers[h.event.layer];
    if (layer) ctx.act({ type: 'pick', layer });
  });
  canvas.addEventListener('keydown', (ev) => {
    const mid = view.width / 2;
    const key = ev.key.toLowerCase();
    if (key === 'escape' && range) {
      ev.preventDefault();
      return showRange(0, 0);
    }
    if (key === 'f' || key === '0') {
      ev.preventDefault();
      return key === 'f' ? fit() : reset();
    }
    // the keyboard's range select: what is on screen; N/P step through the layers in time order
    if (key === 'r') {
      ev.preventDefault();
      return showRange(view.start, view.end);
    }
    if (key === 'n' || key === 'p') {
      ev.preventDefault();
      const order = layerNames;
      const at = selected === undefined ? -1 : order.indexOf(selected);
      const next = order[(at + (key === 'n' ? 1 : order.length - 1) + order.length) % order.length];
      if (next) ctx.act({ type: 'pick', layer: next });
      return fit();
    }
    // W/S zoom and A/D pan, as in Perfetto; +/− and the arrows as well
    if (key === '+' || key === '=' || key === 'w') view = zoomAt(view, mid, 1.25, total);
    else if (key === '-' || key === 's') view = zoomAt(view, mid, 0.8, total);
    else if (key === 'arrowright' || key === 'd') view = panBy(view, view.width / 10, total);
    else if (key === 'arrowleft' || key === 'a') view = panBy(view, -view.width / 10, total);
    else return;
    ev.preventDefault();
    moved();
  });
  disposables.observeResize(wrap, schedule);
  disposables.add(onThemeChange(schedule));
  const savedRange = ctx.state().options.timelineRange;
  if (savedRange && savedRange.end <= total && savedRange.end > savedRange.start)
    showRange(savedRange.start, savedRange.end, false);
  schedule();
  // exposed for tests: the visible window in seconds and how many blocks the last frame drew
  Object.assign(canvas, {
    timeWindow: () => view,
    drawnBlocks: () => drawn,
    highlighted: () => highlighted,
    /** Selects a range as Shift+drag does (seconds). */
    selectRange: (a: number, b: number) => showRange(a, b),
    rowLabels: () => rows.map((r) => r.label),
    axisLabels: () => ticks.map((t) => t.label),
  });
  return {
    element: wrap,
    disposables,
    update(state: ViewState, previous: ViewState) {
      if (state.options.selected === previous.options.selected) return;
      selected = state.options.selected;
      schedule();
    },
    shown: schedule,
  };
}
