/**
 * The timeline: a Gantt of the simulated instruction stream, one row per lane for the dense and
 * the sparse run on one time axis. Canvas drawn in the view's frame scheduler, only the visible
 * window; wheel zooms around the pointer, drag pans, hover shows the group, click selects its
 * layer. Built once per report: a tab switch keeps its zoom, a selection redraws it in place.
 */
import type { ModelViewReport, SimulationReport } from '../src/shared/protocol';
import { Disposables } from './dom';
import type { PanelView, ViewContext } from './panelView';
import { onThemeChange, themeColour } from './themeColours';
import {
  indexSpans,
  panBy,
  spanAt,
  toTime,
  toX,
  visibleRange,
  zoomAt,
  type SpanIndex,
  type TimeWindow,
} from './timeScale';
import type { ViewState } from './viewStore';

const LANES = ['LOAD', 'LOADW', 'LOADFM', 'LOADWM', 'COMP', 'WRITEFM', 'WRITE'] as const;
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

interface Row {
  readonly label: string;
  readonly mode: 'dense' | 'sparse';
  readonly laneIndex: number;
  readonly events: readonly TraceEvent[];
  readonly index: SpanIndex;
  readonly layers: readonly string[];
}

/** Lanes the memtiles run (the rest run on the cores), as in the simulator. */
const MEMTILE_LANES: ReadonlySet<string> = new Set(['LOAD', 'LOADW', 'LOADFM', 'WRITEFM', 'WRITE']);

/**
 * One row per (mode, unit, lane): each memtile's lanes, then each core's. A 'lanes' trace has
 * one memtile and one core, standing for all of them (in the paper's mode they run the same
 * schedule); a full trace gets a row per unit.
 */
function rowsOf(sim: SimulationReport): Row[] {
  const rows: Row[] = [];
  for (const mode of ['dense', 'sparse'] as const) {
    const m = sim.modes[mode];
    if (!m) continue;
    const units = new Map<string, TraceEvent[]>();
    for (const e of m.trace) {
      const list = units.get(e.unit);
      if (list) list.push(e);
      else units.set(e.unit, [e]);
    }
    const memtiles = [...units.keys()].filter((u) => u.startsWith('memtile')).sort(byNumber);
    const cores = [...units.keys()].filter((u) => u.startsWith('core')).sort(byNumber);
    const sides: [readonly string[], boolean][] = [
      [memtiles.length ? memtiles : ['memtile 0'], true],
      [cores.length ? cores : ['core 0,0'], false],
    ];
    for (const [side, onMemtile] of sides) {
      for (const unit of side) {
        const trace = units.get(unit) ?? [];
        LANES.forEach((lane, laneIndex) => {
          if (MEMTILE_LANES.has(lane) !== onMemtile) return;
          const events = trace.filter((e) => e.lane === lane).sort((a, b) => a.start - b.start);
          rows.push({
            label: `${mode} ${unit} ${lane}`,
            mode,
            laneIndex,
            events,
            index: indexSpans(events),
            layers: m.layers.map((l) => l.name),
          });
        });
      }
    }
  }
  return rows;
}

/** 'core 1,10' after 'core 1,2': numeric parts compared as numbers. */
function byNumber(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

const css = themeColour;

function describe(e: TraceEvent, layer: string): string {
  const us = ((e.end - e.start) * 1e6).toFixed(3);
  const parts = [
    `${layer}`,
    `${e.lane} · ${e.phase}${e.pass ? ` · pass ${e.pass}` : ''} · ${e.iterations} iteration${e.iterations === 1 ? '' : 's'}`,
    `${us} µs`,
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
  const rows = rowsOf(sim);
  const total = Math.max(sim.modes.dense?.seconds ?? 0, sim.modes.sparse?.seconds ?? 0) || 1e-6;
  const canvas = document.createElement('canvas');
  canvas.tabIndex = 0;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute(
    'aria-label',
    `Timeline of ${rows.length} lanes; wheel to zoom, drag to pan, click a block to select its layer`,
  );
  const tip = document.createElement('div');
  tip.className = 'timeline-tip';
  tip.hidden = true;
  const hint = document.createElement('p');
  hint.className = 'count';
  hint.textContent =
    `Wheel or +/− to zoom around the pointer, drag or ←/→ to pan, click a block to select its layer. ` +
    `Rows per memtile and core; in the paper's mode all ${sim.arch.columns} memtiles and ${sim.arch.rows * sim.arch.columns} cores run the same schedule, so one of each stands for all (the Chrome trace export has every unit).`;
  wrap.append(hint, canvas, tip);

  const saved = ctx.state().options.timelineWindow;
  // a saved zoom is kept when it still lies inside this estimate's timeline
  let view: TimeWindow =
    saved && saved.start >= 0 && saved.end <= total && saved.end > saved.start
      ? { start: saved.start, end: saved.end, width: 800 }
      : { start: 0, end: total, width: 800 };
  let drawn = 0;
  const height = AXIS + rows.length * ROW;

  const draw = () => {
    const dpr = window.devicePixelRatio || 1;
    const width = Math.max(200, wrap.clientWidth || 900);
    view = { ...view, width: width - LABELS };
    canvas.width = width * dpr;
    canvas.height = height * dpr;
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    const g = canvas.getContext('2d');
    if (!g) return;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, width, height);
    drawn = 0;
    const fg = css('--vscode-foreground', '#888');
    const border = css('--vscode-panel-border', '#8884');
    g.font = `11px ${css('--vscode-font-family', 'sans-serif')}`;
    g.fillStyle = fg;
    // axis: about 8 ticks at round microsecond values
    const span = (view.end - view.start) * 1e6;
    const step = 10 ** Math.floor(Math.log10(span / 8));
    const tick = [1, 2, 5, 10].map((m) => m * step).find((s) => span / s <= 10) ?? step * 10;
    for (let t = Math.ceil((view.start * 1e6) / tick) * tick; t <= view.end * 1e6; t += tick) {
      const x = LABELS + toX(view, t / 1e6);
      g.fillRect(x, AXIS - 6, 1, 6);
      g.fillText(`${Number(t.toPrecision(6))} µs`, x + 2, AXIS - 8);
    }
    rows.forEach((row, r) => {
      const y = AXIS + r * ROW;
      g.fillStyle = fg;
      g.fillText(row.label, 4, y + ROW - 5);
      g.fillStyle = border;
      g.fillRect(LABELS, y + ROW - 1, view.width, 1);
      const [first, last] = visibleRange(row.index, view.start, view.end);
      const colour = css(LANE_COLOURS[row.laneIndex], '#4af');
      for (let i = first; i < last; i++) {
        const e = row.events[i];
        if (e.end < view.start) continue;
        const x0 = LABELS + Math.max(0, toX(view, e.start));
        const x1 = LABELS + Math.min(view.width, toX(view, e.end));
        const isSelected = row.layers[e.layer] === selected;
        g.fillStyle = colour;
        g.globalAlpha = isSelected ? 1 : 0.75;
        g.fillRect(x0, y + 2, Math.max(1, x1 - x0), ROW - 5);
        drawn++;
        if (isSelected) {
          g.globalAlpha = 1;
          g.strokeStyle = css('--vscode-focusBorder', fg);
          g.strokeRect(x0 + 0.5, y + 1.5, Math.max(1, x1 - x0) - 1, ROW - 4);
        }
      }
      g.globalAlpha = 1;
    });
  };
  const schedule = () => ctx.frames.schedule(draw);
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
    return i < 0 ? undefined : { row, event: row.events[i] };
  };
  canvas.addEventListener('wheel', (ev) => {
    ev.preventDefault();
    const x = ev.clientX - canvas.getBoundingClientRect().left - LABELS;
    view = zoomAt(view, Math.max(0, x), ev.deltaY < 0 ? 1.25 : 0.8, total);
    moved();
  });
  let drag: { x: number; moved: boolean } | undefined;
  canvas.addEventListener('mousedown', (ev) => (drag = { x: ev.clientX, moved: false }));
  disposables.listen('mouseup', () => setTimeout(() => (drag = undefined)));
  canvas.addEventListener('mousemove', (ev) => {
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
    if (h) {
      tip.textContent = describe(h.event, h.row.layers[h.event.layer] ?? '');
      tip.style.left = `${ev.offsetX + 12}px`;
      tip.style.top = `${ev.offsetY + 12}px`;
    }
  });
  canvas.addEventListener('mouseleave', () => (tip.hidden = true));
  canvas.addEventListener('click', (ev) => {
    if (drag?.moved) return;
    const h = hit(ev);
    const layer = h && h.row.layers[h.event.layer];
    if (layer) ctx.act({ type: 'pick', layer });
  });
  canvas.addEventListener('keydown', (ev) => {
    const mid = view.width / 2;
    if (ev.key === '+' || ev.key === '=') view = zoomAt(view, mid, 1.25, total);
    else if (ev.key === '-') view = zoomAt(view, mid, 0.8, total);
    else if (ev.key === 'ArrowRight') view = panBy(view, view.width / 10, total);
    else if (ev.key === 'ArrowLeft') view = panBy(view, -view.width / 10, total);
    else return;
    ev.preventDefault();
    moved();
  });
  disposables.observeResize(wrap, schedule);
  disposables.add(onThemeChange(schedule));
  schedule();
  // exposed for tests: the visible window in seconds and how many blocks the last frame drew
  Object.assign(canvas, {
    timeWindow: () => view,
    drawnBlocks: () => drawn,
    rowLabels: () => rows.map((r) => r.label),
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
