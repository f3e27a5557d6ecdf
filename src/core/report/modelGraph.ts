/**
 * The whole ONNX graph as the Graph tab and its inspector show it: every node of the main graph
 * and of every If/Loop/Scan body, the values between them with shapes and element types, the
 * attributes as text, and per stored weight its sparsity and a value histogram. Built once per
 * report from the decoded model and the analysis' own shape table (one inference, shared).
 */
import type { LayerReport } from '../analysis/analysisReport';
import { attributeText, elemTypeText } from '../onnx/attributeText';
import type { ConstantScope } from '../onnx/constantScope';
import { DataType } from '../onnx/dataTypes';
import type { GraphIR, ModelIR, NodeIR, ValueInfoIR } from '../onnx/ir';
import type { ShapeScope, ShapeTable } from '../onnx/shapeInference';

/** A tensor flowing into or out of a node. */
export interface GraphValue {
  readonly name: string;
  /** Inferred (or declared) dims; null when unknown. */
  readonly shape: readonly number[] | null;
  /** Element type name ('float', 'int64', ...); null when neither declared nor derivable. */
  readonly dtype: string | null;
  /** A stored constant (initializer): a weight, not an activation. */
  readonly constant: boolean;
}

/** A stored weight of a node, summarised for the inspector. */
export interface WeightSummary {
  readonly name: string;
  readonly dims: readonly number[];
  readonly dtype: string;
  readonly elements: number;
  /** Values the histogram and `zeros` count (all of them, or an evenly strided sample). */
  readonly sampled: number;
  /** Zeros among the sampled values; null when the values could not be read. */
  readonly zeros: number | null;
  /** Value histogram: `bins` equal-width bins from min to max (empty when unread). */
  readonly histogram: {
    readonly min: number;
    readonly max: number;
    readonly bins: number[];
  } | null;
}

export interface GraphNode {
  /** Unique key: the qualified node name (the layer's name for analysed layers). */
  readonly id: string;
  readonly name: string;
  /** 'Input' and 'Output' for the graph's own inputs and outputs. */
  readonly op: string;
  readonly domain: string;
  readonly kind: 'op' | 'input' | 'output';
  /** Index of the body (ModelGraph.bodies) the node is drawn in. */
  readonly body: number;
  readonly attributes: readonly {
    readonly name: string;
    readonly type: string;
    readonly value: string;
  }[];
  readonly inputs: readonly GraphValue[];
  readonly outputs: readonly GraphValue[];
  readonly weights: readonly WeightSummary[];
  /** Index into the analysis' layers; -1 for nodes that are not analysed layers. */
  readonly layer: number;
  /** The bodies (If branches, Loop/Scan bodies) this node owns. */
  readonly bodies: readonly number[];
}

/** One graph (the main graph or a subgraph body) with its edges. */
export interface GraphBody {
  readonly path: string;
  readonly name: string;
  /** The owning node's index, -1 for the main graph. */
  readonly owner: number;
  /** Node indices (into ModelGraph.nodes) drawn in this body, in graph order. */
  readonly nodes: readonly number[];
  /** Producer → consumer by node index, with the value's name. */
  readonly edges: readonly { readonly from: number; readonly to: number; readonly value: string }[];
}

export interface ModelGraph {
  readonly nodes: readonly GraphNode[];
  readonly bodies: readonly GraphBody[];
}

const HISTOGRAM_BINS = 32;
/** Values a weight's histogram is drawn from at most (an even stride through the tensor). */
const MAX_SAMPLE = 1 << 14;

/** Element types ops produce that differ from their first input's. */
const OUTPUT_TYPES: Readonly<Record<string, number>> = {
  Shape: DataType.INT64,
  Size: DataType.INT64,
  NonZero: DataType.INT64,
  ArgMax: DataType.INT64,
  ArgMin: DataType.INT64,
  Equal: DataType.BOOL,
  Less: DataType.BOOL,
  LessOrEqual: DataType.BOOL,
  Greater: DataType.BOOL,
  GreaterOrEqual: DataType.BOOL,
  Not: DataType.BOOL,
  And: DataType.BOOL,
  Or: DataType.BOOL,
  Xor: DataType.BOOL,
  IsNaN: DataType.BOOL,
  IsInf: DataType.BOOL,
  DequantizeLinear: DataType.FLOAT,
  QuantizeLinear: DataType.UINT8,
};

/** The graph of a model, with shapes from the analysis' table and layers matched by name. */
export function modelGraph(
  model: ModelIR,
  shapes: ShapeTable,
  layers: readonly LayerReport[],
): ModelGraph {
  const layerIndex = new Map(layers.map((l, i) => [l.name, i]));
  const nodes: GraphNode[] = [];
  const bodies: GraphBody[] = [];
  const ids = new Set<string>();
  const uniqueId = (id: string) => {
    let u = id;
    for (let k = 2; ids.has(u); k++) u = `${id}#${k}`;
    ids.add(u);
    return u;
  };

  const addBody = (graph: GraphIR, owner: number, parentTypes?: Map<string, number>): number => {
    const scope = shapes.get(graph);
    const bodyIndex = bodies.length;
    const members: number[] = [];
    const edges: { from: number; to: number; value: string }[] = [];
    bodies.push({ path: graph.path, name: graph.name, owner, nodes: members, edges });
    const types = elementTypes(graph, parentTypes);
    const value = (name: string, constant: boolean): GraphValue => {
      const t = types.get(name);
      const s = scope?.shape(name);
      return {
        name,
        shape: s ? [...s] : null,
        dtype: t === undefined ? null : elemTypeText(t),
        constant,
      };
    };
    const producer = new Map<string, number>();
    const prefix = graph.path ? `${graph.path}/` : '';
    const push = (n: Omit<GraphNode, 'body'>) => {
      const index = nodes.length;
      nodes.push({ ...n, body: bodyIndex });
      members.push(index);
      return index;
    };
    for (const input of graph.inputs) {
      if (graph.initializers.has(input.name)) continue; // an old-style default, not a real input
      const i = push(
        ioNode(uniqueId(`${prefix}${input.name}`), input.name, 'input', value(input.name, false)),
      );
      producer.set(input.name, i);
    }
    const owned: { index: number; graphs: GraphIR[] }[] = [];
    for (const node of graph.nodes) {
      const id = uniqueId(`${prefix}${node.name}`);
      const isConstant = (name: string) => constantStored(scope?.constants, graph, name);
      const index = push({
        id,
        name: node.name,
        op: node.opType,
        domain: node.domain,
        kind: 'op',
        attributes: [...node.attributes].map(([name, a]) => ({ name, ...attributeText(a) })),
        inputs: node.inputs.filter((n) => n !== '').map((n) => value(n, isConstant(n))),
        outputs: node.outputs.filter((n) => n !== '').map((n) => value(n, false)),
        weights: node.inputs
          .filter((n) => n !== '' && isConstant(n))
          .map((n) => weightSummary(n, scope)),
        layer: layerIndex.get(id) ?? -1,
        bodies: [],
      });
      for (const input of node.inputs) {
        const from = producer.get(input);
        if (from !== undefined) edges.push({ from, to: index, value: input });
      }
      for (const output of node.outputs) if (output) producer.set(output, index);
      const graphs = subgraphsOf(node);
      if (graphs.length) owned.push({ index, graphs });
    }
    for (const output of graph.outputs) {
      const o = push(
        ioNode(
          uniqueId(`${prefix}${output.name}:out`),
          output.name,
          'output',
          value(output.name, false),
        ),
      );
      const from = producer.get(output.name);
      if (from !== undefined) edges.push({ from, to: o, value: output.name });
    }
    for (const { index, graphs } of owned) {
      const owner = nodes[index];
      nodes[index] = { ...owner, bodies: graphs.map((g) => addBody(g, index, types)) };
    }
    return bodyIndex;
  };
  addBody(model.graph, -1);
  return { nodes, bodies };
}

function ioNode(
  id: string,
  name: string,
  kind: 'input' | 'output',
  v: GraphValue,
): Omit<GraphNode, 'body'> {
  return {
    id,
    name,
    op: kind === 'input' ? 'Input' : 'Output',
    domain: '',
    kind,
    attributes: [],
    inputs: kind === 'output' ? [v] : [],
    outputs: kind === 'input' ? [v] : [],
    weights: [],
    layer: -1,
    bodies: [],
  };
}

function subgraphsOf(node: NodeIR): GraphIR[] {
  const out: GraphIR[] = [];
  for (const a of node.attributes.values()) {
    if (a.type === 'graph') out.push(a.value);
    else if (a.type === 'graphs') out.push(...a.value);
  }
  return out;
}

/** True for a stored tensor this graph (or an enclosing one) holds. */
function constantStored(
  constants: ConstantScope | undefined,
  graph: GraphIR,
  name: string,
): boolean {
  if (graph.initializers.has(name)) return true;
  const c = constants?.get(name);
  return c !== undefined && c.stored !== undefined && c.via.length === 0 && c.sourceName === name;
}

/**
 * Element types by value name: declared (inputs, outputs, value_info, initializers) first, the
 * rest carried forward through the graph — most ops keep their first input's type; Cast, the
 * comparisons, Shape and the quantize ops are the exceptions ONNX defines.
 */
function elementTypes(graph: GraphIR, parent?: ReadonlyMap<string, number>): Map<string, number> {
  const types = new Map<string, number>(parent);
  const declare = (v: ValueInfoIR) => {
    if (v.elemType) types.set(v.name, v.elemType);
  };
  for (const t of graph.initializers.values()) types.set(t.name, t.dataType);
  graph.inputs.forEach(declare);
  graph.valueInfo.forEach(declare);
  graph.outputs.forEach(declare);
  for (const node of graph.nodes) {
    const outType = outputType(node, types);
    for (const o of node.outputs)
      if (o && !types.has(o) && outType !== undefined) types.set(o, outType);
  }
  return types;
}

function outputType(node: NodeIR, types: ReadonlyMap<string, number>): number | undefined {
  if (node.domain !== '' && node.domain !== 'ai.onnx') return undefined;
  const to = node.attributes.get('to');
  if (node.opType === 'Cast' && to?.type === 'int') return to.value;
  const value = node.attributes.get('value');
  if ((node.opType === 'Constant' || node.opType === 'ConstantOfShape') && value?.type === 'tensor')
    return value.value.dataType;
  if (node.opType === 'ConstantOfShape') return DataType.FLOAT;
  if (node.opType === 'QuantizeLinear') {
    const zp = types.get(node.inputs[2] ?? '');
    return zp ?? OUTPUT_TYPES.QuantizeLinear;
  }
  if (node.opType in OUTPUT_TYPES) return OUTPUT_TYPES[node.opType];
  return types.get(node.inputs[0] ?? '');
}

function weightSummary(name: string, scope: ShapeScope | undefined): WeightSummary {
  const c = scope?.constants.get(name);
  const dims = c ? [...c.dims] : [];
  const elements = dims.reduce((a, b) => a * b, 1);
  const base = { name, dims, dtype: c ? elemTypeText(c.dataType) : '?', elements };
  if (!c || elements === 0 || !Number.isFinite(elements))
    return { ...base, sampled: 0, zeros: null, histogram: null };
  // the scanner's view: raw float32 weights are read in place, never copied
  const view = c.readScan();
  if ('code' in view) return { ...base, sampled: 0, zeros: null, histogram: null };
  return { ...base, ...histogramOf(view, Math.min(elements, view.byteLength >> 2)) };
}

/**
 * Zeros and a value histogram of a deterministic, evenly strided sample of at most
 * MAX_SAMPLE values: ResNet-50's 25 M weights in full took 170 ms for a picture that a
 * sample draws alike (the layers' exact element sparsity comes from the analysis).
 */
function histogramOf(
  view: DataView,
  count: number,
): Pick<WeightSummary, 'sampled' | 'zeros' | 'histogram'> {
  const sampled = Math.min(count, MAX_SAMPLE);
  const stride = count / sampled;
  const values = new Float32Array(sampled);
  let min = Infinity;
  let max = -Infinity;
  let zeros = 0;
  for (let k = 0; k < sampled; k++) {
    const v = view.getFloat32(4 * Math.floor(k * stride), true);
    values[k] = v;
    if (v === 0) zeros++;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const width = max - min;
  if (!Number.isFinite(width)) return { sampled, zeros, histogram: null };
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  const scale = width > 0 ? HISTOGRAM_BINS / width : 0;
  for (let k = 0; k < sampled; k++)
    counts[Math.min(HISTOGRAM_BINS - 1, Math.floor((values[k] - min) * scale))]++;
  return { sampled, zeros, histogram: { min, max, bins: counts } };
}
