/**
 * The Graph tab's inspector: everything about one node — op, domain, attributes, inputs and
 * outputs with shapes and dtypes, each stored weight (shape, dtype, element and block sparsity,
 * a value histogram, the block mask) and the estimate's lanes for it in both runs.
 */
import { formatCount, formatMicros, formatPercent } from '../src/shared/format';
import {
  LANES,
  type GraphValue,
  type ModelViewReport,
  type SimLayer,
  type WeightSummary,
} from '../src/shared/protocol';
import { dataTable, el, layerLink } from './dom';
import { heatMap } from './sparsityPanel';
import { themeColour } from './themeColours';

export interface InspectorHooks {
  /** Show the layer in the Layers tab. */
  readonly show: (layer: string) => void;
  readonly goToSource: (layer: string) => void;
  /** Select another node (an input's producer, an output's consumer). */
  readonly select: (id: string) => void;
  readonly redraw: (draw: () => void) => void;
}

const shapeText = (v: GraphValue) => (v.shape ? `[${v.shape.join(', ')}]` : '?');

/** The inspector's content for node `index` of the report's graph, with the metric's value. */
export function inspectorView(
  report: ModelViewReport,
  index: number,
  metric: { readonly title: string; readonly text: string },
  hooks: InspectorHooks,
): HTMLElement {
  const box = el('div', undefined, 'inspector-body');
  const graph = report.graph;
  const n = graph?.nodes[index];
  if (!graph || !n) {
    box.append(el('p', 'Click a node to inspect it.', 'count'));
    return box;
  }
  const heading = el('h3', `${n.op}`);
  heading.append(el('span', ` ${n.name}`, 'inspector-name'));
  box.append(heading);
  const layer = n.layer >= 0 ? report.analysis.layers[n.layer] : undefined;
  const facts: [string, string][] = [
    ['Op', n.op],
    ['Domain', n.domain || 'ai.onnx'],
    ['Graph', graph.bodies[n.body].path || 'main graph'],
  ];
  if (metric.text) facts.push([metric.title, metric.text]);
  const dl = el('dl', undefined, 'inspector-facts');
  for (const [k, v] of facts) dl.append(el('dt', k), el('dd', v));
  box.append(dl);
  if (layer) {
    const links = el('p', undefined, 'inspector-links');
    const show = layerLink('Show in Layers', () => hooks.show(layer.name));
    const source = layerLink('Go to source', () => hooks.goToSource(layer.name));
    links.append(show, ' · ', source);
    box.append(links);
  }
  if (n.attributes.length)
    box.append(
      dataTable(
        'inspector-table attributes',
        `Attributes (${n.attributes.length})`,
        ['Name', 'Type', 'Value'],
        n.attributes.map((a) => [a.name, a.type, a.value]),
        [],
      ),
    );
  // values link to their producer or consumers: the inspector walks the graph
  const producers = new Map<string, string>();
  const consumers = new Map<string, string[]>();
  for (const m of graph.nodes) {
    if (m.body !== n.body) continue;
    for (const o of m.outputs) producers.set(o.name, m.id);
    for (const i of m.inputs) consumers.set(i.name, [...(consumers.get(i.name) ?? []), m.id]);
  }
  const valueTable = (
    title: string,
    values: readonly GraphValue[],
    other: (v: GraphValue) => string[],
  ) => {
    const links = (v: GraphValue) => {
      const cell = el('span');
      for (const id of other(v).slice(0, 4)) {
        if (cell.childNodes.length) cell.append(', ');
        cell.append(layerLink(id, () => hooks.select(id)));
      }
      return cell;
    };
    return dataTable(
      'inspector-table values',
      title,
      ['Name', 'Shape', 'Type', 'Kind', 'Connects'],
      values.map((v) => [
        v.name,
        shapeText(v),
        v.dtype ?? '?',
        v.constant ? 'weight' : 'activation',
        links(v),
      ]),
      [],
    );
  };
  if (n.inputs.length)
    box.append(
      valueTable(`Inputs (${n.inputs.length})`, n.inputs, (v) =>
        producers.has(v.name) ? [producers.get(v.name) as string] : [],
      ),
    );
  if (n.outputs.length)
    box.append(
      valueTable(`Outputs (${n.outputs.length})`, n.outputs, (v) =>
        (consumers.get(v.name) ?? []).filter((c) => c !== n.id),
      ),
    );
  for (const w of n.weights)
    box.append(weightView(w, layer && layer.weight === w.name ? layer : undefined, hooks));
  if (layer && layer.blocks > 0 && layer.detail.blockMask.length > 0) {
    const mask = el('section', undefined, 'inspector-mask');
    mask.append(
      el(
        'h4',
        `Block mask · ${formatPercent(layer.blockSparsity)} of ${formatCount(layer.blocks)} blocks zero`,
      ),
    );
    mask.append(heatMap(layer, hooks.redraw));
    box.append(mask);
  }
  const dense = report.simulation?.modes.dense?.layers.find((l) => l.name === n.id);
  const sparse = report.simulation?.modes.sparse?.layers.find((l) => l.name === n.id);
  if (dense || sparse) box.append(lanesTable(dense, sparse));
  else if (report.simulation && n.kind === 'op') {
    const off = report.simulation.coverage.offArray.find((o) => o.name === n.id);
    box.append(
      el(
        'p',
        off
          ? `Runs on the CPU: ${off.reason}.`
          : 'Not timed on its own by the estimate (fused into the op before it, or no work).',
        'count',
      ),
    );
  }
  return box;
}

function weightView(
  w: WeightSummary,
  layer: ModelViewReport['analysis']['layers'][number] | undefined,
  hooks: InspectorHooks,
): HTMLElement {
  const s = el('section', undefined, 'inspector-weight');
  s.append(el('h4', `Weight ${w.name}`));
  const dl = el('dl', undefined, 'inspector-facts');
  const facts: [string, string][] = [
    ['Shape', `[${w.dims.join(', ')}]`],
    ['Type', w.dtype],
    ['Elements', formatCount(w.elements)],
  ];
  // the layer's element sparsity is exact (the analysis scanned every value); a sample's is not
  if (layer) facts.push(['Element sparsity', formatPercent(layer.elementSparsity)]);
  else if (w.zeros !== null && w.sampled > 0)
    facts.push([
      'Zero values',
      `${formatPercent(w.zeros / w.sampled)}${w.sampled < w.elements ? ` (in a sample of ${formatCount(w.sampled)})` : ''}`,
    ]);
  if (layer && layer.blocks > 0)
    facts.push([
      'Block sparsity',
      `${formatPercent(layer.blockSparsity)} (${formatCount(layer.zeroBlocks)} of ${formatCount(layer.blocks)})`,
    ]);
  for (const [k, v] of facts) dl.append(el('dt', k), el('dd', v));
  s.append(dl);
  const h = w.histogram;
  if (h) {
    const canvas = document.createElement('canvas');
    canvas.className = 'histogram';
    canvas.width = 256;
    canvas.height = 72;
    canvas.setAttribute('role', 'img');
    canvas.setAttribute(
      'aria-label',
      `Histogram of ${formatCount(w.sampled)} values from ${h.min.toPrecision(3)} to ${h.max.toPrecision(3)}`,
    );
    const draw = () => {
      const g = canvas.getContext('2d');
      if (!g) return;
      g.clearRect(0, 0, canvas.width, canvas.height);
      const peak = Math.max(1, ...h.bins);
      const bw = canvas.width / h.bins.length;
      g.fillStyle = themeColour('--vscode-charts-blue', '#3794ff');
      h.bins.forEach((c, i) => {
        // square root: a spike at zero must not flatten the rest
        const bh = Math.sqrt(c / peak) * (canvas.height - 2);
        g.fillRect(i * bw + 0.5, canvas.height - bh, Math.max(1, bw - 1), bh);
      });
    };
    draw();
    hooks.redraw(draw);
    const axis = el('div', undefined, 'histogram-axis');
    axis.append(el('span', h.min.toPrecision(3)), el('span', h.max.toPrecision(3)));
    s.append(canvas, axis);
  }
  return s;
}

function lanesTable(dense: SimLayer | undefined, sparse: SimLayer | undefined): HTMLElement {
  const us = (l: SimLayer | undefined, f: (l: SimLayer) => number) =>
    l ? formatMicros(f(l)) : '—';
  return dataTable(
    'inspector-table lanes',
    'Estimate: busy time per lane',
    ['Lane', 'Dense µs', 'Sparse µs'],
    [
      ['Total', us(dense, (l) => l.seconds), us(sparse, (l) => l.seconds)],
      ...LANES.map((lane) => [
        lane,
        us(dense, (l) => l.lanes[lane]),
        us(sparse, (l) => l.lanes[lane]),
      ]),
      ['Bound', dense?.bound ?? '—', sparse?.bound ?? '—'],
    ],
    [1, 2],
  );
}
