/**
 * The Graph tab: every node of the model laid out (by dagre, in the worker), drawn on a canvas
 * in the view's frame scheduler — only what is on screen, with less detail when zoomed out — so
 * a 10,000-node graph pans smoothly. Nodes are coloured by a chosen metric with its legend;
 * search finds nodes by name or op; If/Loop/Scan bodies expand beside their node; a click opens
 * the inspector; the selection is the view's one selection (table, timeline, sidebar, text).
 */
import { middleEllipsis } from '../src/shared/format';
import type { ModelViewReport } from '../src/shared/protocol';
import { canvasFrame, Disposables, el, searchField, toolButton, toolPicker } from './dom';
import { graphSvg, textOn } from './graphExport';
import { inspectorView } from './graphInspector';
import {
  CATEGORY_COLOURS,
  GRAPH_METRICS,
  METRIC_TITLES,
  metricColours,
  nodeFill,
  rampColour,
  type GraphMetric,
  type MetricColours,
} from './graphMetrics';
import {
  bodiesToShow,
  buildScene,
  fitTransform,
  nodeAt,
  searchNodes,
  visible,
  zoomAround,
  type Scene,
  type Transform,
} from './graphScene';
import type { PanelView, ViewContext } from './panelView';
import { firstThemeColour, onThemeChange, themeColour } from './themeColours';
import type { ViewState } from './viewStore';

/** Below this scale names are not drawn; below LOD_BOX nodes are bare boxes. */
const LOD_NAMES = 0.8;
const LOD_BOX = 0.35;

/** A metric a view adds to the picker (Compare Models: what changed), chosen first. */
export interface ExtraMetric {
  readonly title: string;
  readonly colours: MetricColours;
}

export function graphView(
  report: ModelViewReport,
  ctx: ViewContext,
  extra?: ExtraMetric,
): PanelView {
  const disposables = new Disposables();
  const wrap = el('section', undefined, 'graph');
  const graph = report.graph;
  const layout = report.graphLayout;
  if (!graph) {
    wrap.textContent = 'No graph in this report.';
    return { element: wrap, disposables };
  }
  if (!layout) {
    wrap.append(el('p', `Laying out ${graph.nodes.length} nodes…`, 'status pending'));
    return { element: wrap, disposables };
  }
  const ids = new Map(graph.nodes.map((n, i) => [n.id, i]));
  let metric: GraphMetric | 'extra' = extra ? 'extra' : 'op';
  const coloursOf = (m: GraphMetric | 'extra') =>
    m === 'extra' && extra ? extra.colours : metricColours(report, m as GraphMetric);
  const titleOf = (m: GraphMetric | 'extra') =>
    m === 'extra' && extra ? extra.title : METRIC_TITLES[m as GraphMetric];
  let colours: MetricColours = coloursOf(metric);
  const expanded = new Set<number>();
  let scene: Scene = buildScene(graph, layout, expanded);
  let t: Transform = { scale: 1, dx: 0, dy: 0 };
  let fitted = false;
  let selected = ids.get(ctx.state().options.selected ?? '');
  let matches: number[] = [];
  let matchIndex = -1;
  let drawnNodes = 0;

  // tools: metric, search, fit/reset, export
  const tools = el('div', undefined, 'graph-tools');
  const metricPick = toolPicker(
    'Colour nodes by',
    [
      ...(extra ? [['extra', extra.title] as const] : []),
      ...GRAPH_METRICS.map((m) => [m, METRIC_TITLES[m]] as const),
    ],
    metric,
    (value) => setMetric(value as GraphMetric | 'extra'),
  );
  metricPick.className = 'graph-metric';
  const find = searchField(
    'Find node (name or op)',
    'Find a node by name or op; Enter steps through the matches',
    'graph-search',
  );
  const found = el('span', '', 'count');
  const button = (label: string, title: string, onClick: () => void) =>
    tools.append(toolButton(label, title, onClick));

  tools.append(metricPick, find, found);
  button('Fit', 'Show the whole graph (0)', () => fitAll());
  button('Reset', 'Actual size, at the graph inputs', () => resetZoom());
  button('Export SVG', 'Save the graph as an SVG image', () => exportImage('svg'));
  button('Export PNG', 'Save the graph as a PNG image', () => exportImage('png'));

  const legend = el('div', undefined, 'graph-legend');
  legend.setAttribute('aria-label', 'Legend');
  const stage = el('div', undefined, 'graph-stage');
  const canvas = document.createElement('canvas');
  canvas.tabIndex = 0;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute(
    'aria-label',
    `Graph of ${graph.nodes.length} nodes. Wheel or W/S to zoom, drag or arrows to pan, N/P step through the nodes, Enter expands a subgraph, F fits the selection, 0 fits all`,
  );
  const tip = el('div', undefined, 'timeline-tip');
  tip.hidden = true;
  stage.append(canvas, tip, legend);
  const inspector = el('aside', undefined, 'inspector');
  inspector.setAttribute('aria-label', 'Node inspector');
  inspector.setAttribute('aria-live', 'polite');
  const body = el('div', undefined, 'graph-body');
  body.append(stage, inspector);
  const note = layout.error
    ? el(
        'p',
        `Part of the graph could not be laid out (${layout.error}); it is listed in the inspector's links only.`,
        'status warning',
      )
    : undefined;
  wrap.append(tools, ...(note ? [note] : []), body);

  const css = (name: string, fallback: string) => themeColour(name, fallback);
  const size = () => ({
    w: Math.max(200, stage.clientWidth || 800),
    h: Math.max(200, stage.clientHeight || 560),
  });

  const draw = () => {
    const { w, h } = size();
    if (!fitted) {
      t = fitTransform(scene.bounds, w, h);
      fitted = true;
    }
    const frame = canvasFrame(canvas, w, h);
    if (!frame) return;
    const { g, dpr } = frame;
    const fg = css('--vscode-foreground', '#888');
    const border = firstThemeColour(
      ['--vscode-contrastBorder', '--vscode-editorWidget-border', '--vscode-panel-border'],
      '#8886',
    );
    const neutral = css('--vscode-editorWidget-background', '#8882');
    const panelBg = css('--vscode-editor-background', '#1e1e1e');
    const focus = css('--vscode-focusBorder', '#007fd4');
    const match = css('--vscode-charts-yellow', '#cca700');
    const vis = visible(scene, t, w, h);
    g.setTransform(dpr * t.scale, 0, 0, dpr * t.scale, dpr * t.dx, dpr * t.dy);
    // expanded bodies: a frame with a title, under their nodes
    scene.panels.forEach((p, i) => {
      if (i === 0) return;
      g.fillStyle = panelBg;
      g.fillRect(p.x, p.y, p.w, p.h);
      g.strokeStyle = focus;
      g.lineWidth = 1.5 / t.scale;
      g.strokeRect(p.x, p.y, p.w, p.h);
      if (t.scale >= LOD_BOX) {
        g.fillStyle = fg;
        g.font = '600 12px var(--vscode-font-family, sans-serif)';
        g.textBaseline = 'middle';
        g.fillText(middleEllipsis(p.title, Math.floor(p.w / 7)), p.x + 8, p.y + 11);
      }
    });
    // edges in one path per panel layer (drawing order keeps panels over the main graph)
    g.strokeStyle = fg;
    g.globalAlpha = 0.45;
    g.lineWidth = Math.max(1, 1 / t.scale) * (t.scale < LOD_BOX ? 0.75 : 1);
    g.beginPath();
    for (const e of vis.edges) {
      const pts = scene.edges[e].points;
      if (pts.length < 4) continue;
      g.moveTo(pts[0], pts[1]);
      for (let k = 2; k + 1 < pts.length; k += 2) g.lineTo(pts[k], pts[k + 1]);
    }
    g.stroke();
    if (t.scale >= LOD_BOX) {
      // arrow heads, where the edge enters its consumer
      g.fillStyle = fg;
      g.beginPath();
      for (const e of vis.edges) {
        const p = scene.edges[e].points;
        const n = p.length;
        if (n < 4) continue;
        const [x0, y0, x1, y1] = [p[n - 4], p[n - 3], p[n - 2], p[n - 1]];
        const a = Math.atan2(y1 - y0, x1 - x0);
        g.moveTo(x1, y1);
        g.lineTo(x1 - 7 * Math.cos(a - 0.4), y1 - 7 * Math.sin(a - 0.4));
        g.lineTo(x1 - 7 * Math.cos(a + 0.4), y1 - 7 * Math.sin(a + 0.4));
        g.closePath();
      }
      g.fill();
    }
    g.globalAlpha = 1;
    const matched = new Set(matches);
    g.textAlign = 'center';
    g.textBaseline = 'middle';
    drawnNodes = vis.nodes.length;
    for (const i of vis.nodes) {
      const p = scene.nodes[i];
      const node = graph.nodes[p.node];
      const c = colours.colours[p.node];
      const fill = nodeFill(c, neutral);
      g.fillStyle = fill;
      const r = node.kind === 'op' ? 4 : p.h / 2;
      if (t.scale < LOD_BOX) g.fillRect(p.x, p.y, p.w, p.h);
      else {
        g.beginPath();
        g.roundRect(p.x, p.y, p.w, p.h, r);
        g.fill();
        g.strokeStyle = border;
        g.lineWidth = 1 / t.scale;
        g.stroke();
      }
      if (matched.has(p.node)) {
        g.strokeStyle = match;
        g.lineWidth = 3 / t.scale;
        g.strokeRect(p.x - 3 / t.scale, p.y - 3 / t.scale, p.w + 6 / t.scale, p.h + 6 / t.scale);
      }
      if (p.node === selected) {
        g.strokeStyle = focus;
        g.lineWidth = 3 / t.scale;
        g.strokeRect(
          p.x - 1.5 / t.scale,
          p.y - 1.5 / t.scale,
          p.w + 3 / t.scale,
          p.h + 3 / t.scale,
        );
      }
      if (t.scale < LOD_BOX) continue;
      g.fillStyle = c === null ? fg : textOn(fill);
      const cx = p.x + p.w / 2;
      if (node.kind !== 'op') {
        g.font = '11px var(--vscode-font-family, sans-serif)';
        g.fillText(middleEllipsis(node.name, 24), cx, p.y + p.h / 2);
        continue;
      }
      const two = t.scale >= LOD_NAMES && node.name !== node.op;
      g.font = '600 12px var(--vscode-font-family, sans-serif)';
      g.fillText(node.op, cx, p.y + (two ? 11 : p.h / 2));
      if (two) {
        g.font = '10px var(--vscode-font-family, sans-serif)';
        g.fillText(middleEllipsis(node.name, 24), cx, p.y + 25);
      }
      if (node.bodies.length) {
        // the expand/collapse marker at the right edge
        g.font = '600 13px var(--vscode-font-family, sans-serif)';
        g.fillText(node.bodies.some((b) => expanded.has(b)) ? '−' : '+', p.x + p.w - 8, p.y + 10);
      }
    }
    g.textAlign = 'start';
  };
  const schedule = () => ctx.frames.schedule(draw);
  disposables.add(() => ctx.frames.cancel(draw));

  const legendView = () => {
    const l = colours.legend;
    legend.replaceChildren(el('strong', titleOf(metric)));
    if (l.kind === 'ramp') {
      const bar = el('span', undefined, 'legend-ramp');
      bar.style.background = `linear-gradient(to right, ${[0, 0.2, 0.4, 0.6, 0.8, 1].map(rampColour).join(', ')})`;
      legend.append(el('span', l.low, 'legend-end'), bar, el('span', l.high, 'legend-end'));
    } else {
      const list = el('ul', undefined, 'legend-swatches');
      l.entries.forEach((label, i) => {
        const li = el('li');
        const sw = el('span', undefined, 'swatch');
        sw.style.background = CATEGORY_COLOURS[i % CATEGORY_COLOURS.length];
        li.append(sw, label);
        list.append(li);
      });
      legend.append(list);
    }
    const none = el('span', undefined, 'legend-none');
    const sw = el('span', undefined, 'swatch neutral');
    none.append(sw, l.none);
    legend.append(none);
  };
  const setMetric = (m: GraphMetric | 'extra') => {
    metric = m;
    colours = coloursOf(m);
    legendView();
    showInspector();
    schedule();
  };
  const showInspector = () => {
    inspector.replaceChildren(
      inspectorView(
        report,
        selected ?? -1,
        {
          title: titleOf(metric),
          text: selected === undefined ? '' : (colours.text[selected] ?? ''),
        },
        {
          show: (layer) => ctx.act({ type: 'show', layer }),
          goToSource: (layer) => ctx.post({ type: 'goToSource', layer }),
          select: (id) => selectNode(ids.get(id), true),
          redraw: (d) => disposables.add(onThemeChange(d)),
        },
      ),
    );
  };
  /** Selects a node (shared selection); `centre` brings it into view. */
  /** Expands the bodies that hold a node, so that it is on the plane. */
  const expandTo = (index: number) => {
    const open = bodiesToShow(graph, index).filter((b) => !expanded.has(b));
    if (open.length === 0) return;
    open.forEach((b) => expanded.add(b));
    scene = buildScene(graph, layout, expanded);
  };
  const selectNode = (index: number | undefined, centre: boolean) => {
    if (index === undefined) return;
    expandTo(index);
    selected = index;
    ctx.act({ type: 'pick', layer: graph.nodes[index].id });
    if (centre) centreOn(index);
    showInspector();
    schedule();
  };
  const centreOn = (index: number) => {
    const k = scene.placed.get(index);
    if (k === undefined) return;
    const p = scene.nodes[k];
    const { w, h } = size();
    const scale = Math.max(t.scale, 0.9);
    t = { scale, dx: w / 2 - (p.x + p.w / 2) * scale, dy: h / 2 - (p.y + p.h / 2) * scale };
    fitted = true;
  };
  const fitAll = () => {
    const { w, h } = size();
    t = fitTransform(scene.bounds, w, h);
    fitted = true;
    schedule();
  };
  const resetZoom = () => {
    const { w } = size();
    // actual size, the top of the graph (its inputs) in view
    t = { scale: 1, dx: w / 2 - (scene.bounds.x + scene.bounds.w / 2), dy: 16 - scene.bounds.y };
    fitted = true;
    schedule();
  };
  const fitSelection = () => {
    const k = selected === undefined ? undefined : scene.placed.get(selected);
    if (k === undefined) return fitAll();
    const p = scene.nodes[k];
    const { w, h } = size();
    t = fitTransform({ x: p.x - 200, y: p.y - 150, w: p.w + 400, h: p.h + 300 }, w, h);
    schedule();
  };
  const toggle = (index: number) => {
    const n = graph.nodes[index];
    if (!n.bodies.length) return false;
    const open = n.bodies.some((b) => expanded.has(b));
    for (const b of n.bodies) {
      if (open) expanded.delete(b);
      else expanded.add(b);
    }
    scene = buildScene(graph, layout, expanded);
    schedule();
    return true;
  };

  find.addEventListener('input', () => {
    matches = searchNodes(graph, find.value);
    matchIndex = -1;
    found.textContent = find.value.trim()
      ? `${matches.length} node${matches.length === 1 ? '' : 's'} match`
      : '';
    schedule();
  });
  find.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter' || matches.length === 0) return;
    matchIndex = (matchIndex + (ev.shiftKey ? matches.length - 1 : 1)) % matches.length;
    selectNode(matches[matchIndex], true);
  });

  const local = (ev: MouseEvent) => {
    const r = canvas.getBoundingClientRect();
    return { x: ev.clientX - r.left, y: ev.clientY - r.top };
  };
  canvas.addEventListener('wheel', (ev) => {
    ev.preventDefault();
    const p = local(ev);
    t = zoomAround(t, p.x, p.y, ev.deltaY < 0 ? 1.2 : 1 / 1.2);
    schedule();
  });
  let drag: { x: number; y: number; moved: boolean } | undefined;
  canvas.addEventListener('mousedown', (ev) => {
    drag = { x: ev.clientX, y: ev.clientY, moved: false };
  });
  disposables.listen('mouseup', () => setTimeout(() => (drag = undefined)));
  canvas.addEventListener('mousemove', (ev) => {
    if (drag && ev.buttons === 1) {
      const dx = ev.clientX - drag.x;
      const dy = ev.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 2) drag.moved = true;
      drag.x = ev.clientX;
      drag.y = ev.clientY;
      t = { ...t, dx: t.dx + dx, dy: t.dy + dy };
      tip.hidden = true;
      schedule();
      return;
    }
    const p = local(ev);
    const k = nodeAt(scene, t, p.x, p.y);
    tip.hidden = k === undefined;
    if (k !== undefined) {
      const n = graph.nodes[scene.nodes[k].node];
      const out = n.outputs[0];
      const value = colours.text[scene.nodes[k].node];
      tip.textContent = `${n.op} ${n.id}${out?.shape ? ` → [${out.shape.join(', ')}]` : ''}${value ? ` · ${titleOf(metric)}: ${value}` : ''}`;
      tip.style.left = `${p.x + 12}px`;
      tip.style.top = `${p.y + 12}px`;
    }
  });
  canvas.addEventListener('mouseleave', () => (tip.hidden = true));
  canvas.addEventListener('click', (ev) => {
    if (drag?.moved) return;
    const p = local(ev);
    const k = nodeAt(scene, t, p.x, p.y);
    if (k === undefined) return;
    const placedNode = scene.nodes[k];
    // the +/− marker toggles the node's bodies; anywhere else selects
    const onMarker =
      (p.x - t.dx) / t.scale > placedNode.x + placedNode.w - 16 &&
      (p.y - t.dy) / t.scale < placedNode.y + 18;
    if (onMarker && toggle(placedNode.node)) return;
    selectNode(placedNode.node, false);
  });
  canvas.addEventListener('dblclick', (ev) => {
    const p = local(ev);
    const k = nodeAt(scene, t, p.x, p.y);
    if (k !== undefined) toggle(scene.nodes[k].node);
  });
  canvas.addEventListener('keydown', (ev) => {
    const { w, h } = size();
    const key = ev.key.toLowerCase();
    const step = 60;
    if (key === '+' || key === '=' || key === 'w') t = zoomAround(t, w / 2, h / 2, 1.2);
    else if (key === '-' || key === 's') t = zoomAround(t, w / 2, h / 2, 1 / 1.2);
    else if (key === 'arrowleft' || key === 'a') t = { ...t, dx: t.dx + step };
    else if (key === 'arrowright' || key === 'd') t = { ...t, dx: t.dx - step };
    else if (key === 'arrowup') t = { ...t, dy: t.dy + step };
    else if (key === 'arrowdown') t = { ...t, dy: t.dy - step };
    else if (key === '0') return (ev.preventDefault(), fitAll());
    else if (key === 'f') return (ev.preventDefault(), fitSelection());
    else if (key === 'n' || key === 'p') {
      // keyboard selection: the next or previous node on the plane, in graph order
      ev.preventDefault();
      const order = scene.nodes.map((q) => q.node);
      const at = selected === undefined ? -1 : order.indexOf(selected);
      const next = order[(at + (key === 'n' ? 1 : order.length - 1) + order.length) % order.length];
      return selectNode(next, true);
    } else if (key === 'enter' && selected !== undefined) {
      ev.preventDefault();
      toggle(selected);
      return;
    } else return;
    ev.preventDefault();
    schedule();
  });

  const exportImage = (format: 'svg' | 'png') => {
    const svg = graphSvg(graph, scene, colours, {
      background: css('--vscode-editor-background', '#ffffff'),
      foreground: css('--vscode-foreground', '#333333'),
      border: firstThemeColour(
        ['--vscode-contrastBorder', '--vscode-editorWidget-border'],
        '#8886',
      ),
      neutral: css('--vscode-editorWidget-background', '#eeeeee'),
    });
    if (format === 'svg') return ctx.post({ type: 'saveImage', format, data: svg });
    // PNG: the SVG rasterised at up to 2x, capped at 16k pixels a side (a canvas's limit)
    const img = new Image();
    const scale = Math.min(2, 16000 / Math.max(scene.bounds.w, scene.bounds.h, 1));
    img.onload = () => {
      const c = document.createElement('canvas');
      c.width = Math.max(1, Math.round(scene.bounds.w * scale));
      c.height = Math.max(1, Math.round(scene.bounds.h * scale));
      const g = c.getContext('2d');
      if (!g) return;
      g.drawImage(img, 0, 0, c.width, c.height);
      const data = c.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
      ctx.post({ type: 'saveImage', format: 'png', data });
    };
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  };

  legendView();
  showInspector();
  disposables.observeResize(stage, schedule);
  disposables.add(onThemeChange(schedule));
  schedule();
  // exposed for tests and the benchmark
  Object.assign(canvas, {
    graphTransform: () => t,
    drawnNodes: () => drawnNodes,
    placedNodes: () => scene.nodes.length,
    panBy: (dx: number, dy: number) => {
      t = { ...t, dx: t.dx + dx, dy: t.dy + dy };
      schedule();
    },
    zoomTo: (scale: number) => {
      const { w, h } = size();
      t = zoomAround(t, w / 2, h / 2, scale / t.scale);
      schedule();
    },
    screenOf: (id: string) => {
      const k = scene.placed.get(ids.get(id) ?? -1);
      if (k === undefined) return undefined;
      const p = scene.nodes[k];
      return { x: (p.x + p.w / 2) * t.scale + t.dx, y: (p.y + p.h / 2) * t.scale + t.dy };
    },
    svg: () =>
      graphSvg(graph, scene, colours, {
        background: '#fff',
        foreground: '#333',
        border: '#888',
        neutral: '#eee',
      }),
  });
  return {
    element: wrap,
    disposables,
    update(state: ViewState, previous: ViewState) {
      if (state.options.selected === previous.options.selected) return;
      const next = ids.get(state.options.selected ?? '');
      if (next === selected) return;
      // a selection made elsewhere (the table, the timeline, the sidebar): shown here
      selected = next;
      if (next !== undefined) {
        expandTo(next);
        centreOn(next);
      }
      showInspector();
      schedule();
    },
    shown: schedule,
  };
}
