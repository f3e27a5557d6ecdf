/**
 * What the Graph tab colours nodes by: a value per node from the analysis and the estimate, and
 * the legend that reads it (a ramp for numbers, swatches for categories). Pure: colours are
 * indices into a palette the view resolves against the theme.
 */
import { formatMicros, formatPercent } from '../src/shared/format';
import { layerOnCpu } from '../src/shared/placement';
import type { ModelDiff, ModelViewReport, SimLayer } from '../src/shared/protocol';

export const GRAPH_METRICS = [
  'op',
  'blockSparsity',
  'denseUs',
  'sparseUs',
  'speedup',
  'bound',
  'placement',
] as const;
export type GraphMetric = (typeof GRAPH_METRICS)[number];

export const METRIC_TITLES: Record<GraphMetric, string> = {
  op: 'Operator kind',
  blockSparsity: 'Block sparsity',
  denseUs: 'Dense µs',
  sparseUs: 'Sparse µs',
  speedup: 'Speedup (dense / sparse)',
  bound: 'Bound (sparse run)',
  placement: 'On the array or the CPU',
};

/** A node's colour: a ramp position 0..1, a category index, or none (drawn neutral). */
export type NodeColour = { readonly ramp: number } | { readonly category: number } | null;

export type Legend =
  | {
      readonly kind: 'ramp';
      readonly low: string;
      readonly high: string;
      /** Nodes with no value (not a layer, not estimated), said under the ramp. */
      readonly none: string;
    }
  | { readonly kind: 'categories'; readonly entries: readonly string[]; readonly none: string };

export interface MetricColours {
  readonly colours: readonly NodeColour[];
  readonly legend: Legend;
  /** A node's value as text for the tooltip and the inspector ('' when it has none). */
  readonly text: readonly string[];
}

const OP_GROUPS: readonly [string, readonly string[]][] = [
  [
    'Conv / Gemm / MatMul',
    [
      'Conv',
      'ConvTranspose',
      'Gemm',
      'MatMul',
      'QLinearConv',
      'ConvInteger',
      'MatMulInteger',
      'QLinearMatMul',
    ],
  ],
  [
    'Normalization',
    [
      'BatchNormalization',
      'LayerNormalization',
      'InstanceNormalization',
      'GroupNormalization',
      'LRN',
    ],
  ],
  [
    'Activation',
    [
      'Relu',
      'Clip',
      'Sigmoid',
      'Tanh',
      'LeakyRelu',
      'HardSigmoid',
      'HardSwish',
      'Gelu',
      'Softmax',
      'Elu',
      'Selu',
      'PRelu',
      'Mish',
    ],
  ],
  ['Pooling', ['MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool']],
  ['Elementwise', ['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Sqrt', 'Exp', 'Neg', 'Abs']],
  [
    'Shape / layout',
    [
      'Reshape',
      'Flatten',
      'Transpose',
      'Concat',
      'Split',
      'Slice',
      'Squeeze',
      'Unsqueeze',
      'Gather',
      'Shape',
      'Pad',
      'Resize',
      'Expand',
    ],
  ],
  ['Quantization', ['QuantizeLinear', 'DequantizeLinear']],
  ['Control flow', ['If', 'Loop', 'Scan']],
  ['Constant', ['Constant', 'ConstantOfShape', 'Identity', 'Cast']],
];
const OP_GROUP = new Map(OP_GROUPS.flatMap(([, ops], g) => ops.map((op) => [op, g] as const)));
const BOUNDS = ['compute', 'ddr', 'memtile-core'] as const;

/** Colours, legend and value text of every node for one metric. */
export function metricColours(report: ModelViewReport, metric: GraphMetric): MetricColours {
  const graph = report.graph;
  const nodes = graph?.nodes ?? [];
  const byName = (layers: readonly SimLayer[] | undefined) =>
    new Map((layers ?? []).map((l) => [l.name, l]));
  const dense = byName(report.simulation?.modes.dense?.layers);
  const sparse = byName(report.simulation?.modes.sparse?.layers);
  const layers = report.analysis.layers;
  const text: string[] = [];
  if (metric === 'op' || metric === 'bound' || metric === 'placement') {
    const entries =
      metric === 'op'
        ? [...OP_GROUPS.map(([g]) => g), 'Other']
        : metric === 'bound'
          ? ['compute', 'DDR', 'memtile → core']
          : ['on the array', 'on the CPU'];
    const colours = nodes.map((n, i): NodeColour => {
      if (n.kind !== 'op') return ((text[i] = ''), null);
      let c: number | undefined;
      if (metric === 'op') c = OP_GROUP.get(n.op) ?? entries.length - 1;
      else if (metric === 'bound') {
        const b = (sparse.get(n.id) ?? dense.get(n.id))?.bound;
        c = b === undefined ? undefined : BOUNDS.indexOf(b as (typeof BOUNDS)[number]);
        if (c === -1) c = undefined;
      } else if (report.simulation) {
        const off = report.simulation.coverage.offArray.some((o) => o.name === n.id);
        const cpu =
          off || (n.layer >= 0 && !dense.has(n.id) && layerOnCpu(report.simulation, n.id) !== null);
        c = cpu ? 1 : 0;
      }
      text[i] = c === undefined ? '' : entries[c];
      return c === undefined ? null : { category: c };
    });
    const none =
      metric === 'op'
        ? 'inputs and outputs'
        : report.simulation
          ? 'not timed by the estimate'
          : 'no estimate: choose an array';
    return { colours, legend: { kind: 'categories', entries, none }, text };
  }
  const value = (i: number): number | undefined => {
    const n = nodes[i];
    if (metric === 'blockSparsity')
      return n.layer >= 0 && layers[n.layer].blocks > 0 ? layers[n.layer].blockSparsity : undefined;
    const d = dense.get(n.id);
    const s = sparse.get(n.id);
    if (metric === 'denseUs') return d?.seconds;
    if (metric === 'sparseUs') return s?.seconds;
    return d && s && s.seconds > 0 ? d.seconds / s.seconds : undefined;
  };
  const values = nodes.map((_, i) => value(i));
  const present = values.filter((v): v is number => v !== undefined);
  // times span orders of magnitude: a log ramp; sparsity and speedup are linear
  const log = metric === 'denseUs' || metric === 'sparseUs';
  const f = (v: number) => (log ? Math.log10(Math.max(v, 1e-9)) : v);
  let lo = present.length ? Math.min(...present.map(f)) : 0;
  let hi = present.length ? Math.max(...present.map(f)) : 1;
  if (metric === 'blockSparsity') [lo, hi] = [0, 1];
  if (metric === 'speedup') [lo, hi] = [Math.min(lo, 1), Math.max(hi, 1)];
  const fmt = (v: number) =>
    metric === 'blockSparsity'
      ? formatPercent(v)
      : metric === 'speedup'
        ? `${v.toFixed(2)}×`
        : formatMicros(v);
  const colours = values.map((v, i): NodeColour => {
    text[i] = v === undefined ? '' : fmt(v);
    return v === undefined ? null : { ramp: hi > lo ? (f(v) - lo) / (hi - lo) : 0.5 };
  });
  const unf = (x: number) => (log ? 10 ** x : x);
  const none =
    metric === 'blockSparsity'
      ? 'no weight blocks'
      : report.simulation
        ? 'not timed by the estimate'
        : 'no estimate: choose an array';
  return { colours, legend: { kind: 'ramp', low: fmt(unf(lo)), high: fmt(unf(hi)), none }, text };
}

/**
 * Compare Models: each node of model b by how its layer differs from model a (block sparsity or
 * weight bytes changed, or a layer a lacks); unchanged layers and other nodes are neutral.
 */
export function changeColours(report: ModelViewReport, diff: ModelDiff): MetricColours {
  const rows = new Map(diff.rows.map((r) => [r.name, r]));
  const entries = ['changed', 'only in this model'];
  const text: string[] = [];
  const colours = (report.graph?.nodes ?? []).map((n, i): NodeColour => {
    const r = n.layer >= 0 ? rows.get(n.id) : undefined;
    const c = !r || !r.b ? undefined : !r.a ? 1 : r.changed ? 0 : undefined;
    text[i] = r ? (c === undefined ? 'unchanged' : entries[c]) : '';
    return c === undefined ? null : { category: c };
  });
  return {
    colours,
    legend: { kind: 'categories', entries, none: 'unchanged, or not a layer' },
    text,
  };
}

/** Viridis at six stops: ordered in lightness, legible on light and dark backgrounds alike. */
export const RAMP = ['#440154', '#414487', '#2a788e', '#22a884', '#7ad151', '#fde725'];

/** The ramp's colour at t in 0..1, interpolated between its stops. */
export function rampColour(t: number): string {
  const x = Math.max(0, Math.min(1, t)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const u = x - i;
  const a = parseInt(RAMP[i].slice(1), 16);
  const b = parseInt(RAMP[i + 1].slice(1), 16);
  const mix = (shift: number) =>
    Math.round(((a >> shift) & 255) * (1 - u) + ((b >> shift) & 255) * u);
  return `rgb(${mix(16)}, ${mix(8)}, ${mix(0)})`;
}

/** Tableau 10: distinct on light, dark and high-contrast backgrounds. */
export const CATEGORY_COLOURS = [
  '#4e79a7',
  '#59a14f',
  '#f28e2b',
  '#76b7b2',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#e15759',
  '#bab0ac',
];

/** A node's fill: its ramp or category colour, or the neutral colour when it has no value. */
export function nodeFill(c: NodeColour, neutral: string): string {
  if (c === null) return neutral;
  return 'ramp' in c ? rampColour(c.ramp) : CATEGORY_COLOURS[c.category % CATEGORY_COLOURS.length];
}
