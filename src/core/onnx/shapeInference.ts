import { diag, type Diagnostic } from '../diagnostics';
import type { ConstantScope } from './constantScope';
import type { GraphIR, NodeIR, ValueInfoIR } from './ir';
import { SEQUENCE_OUTPUT_OPS, SHAPE_RULES, type SequenceShape, type Shape } from './shapeRules';

/** Largest constant whose values shape rules may read (shape arithmetic needs few values). */
const MAX_VALUE_ELEMENTS = 1024;

/** Input sizes given by the user, and what to assume for dynamic dims they leave open. */
export interface ShapeOptions {
  /** Graph input name → full shape, e.g. x → [1, 3, 640, 640]. */
  readonly inputShapes?: ReadonlyMap<string, readonly number[]>;
  /** Size assumed for a dynamic dim other than the batch (which is always 1). */
  readonly dynamicDim?: number;
}

/** Default for dynamic non-batch dims: the usual ImageNet resolution. */
export const DEFAULT_DYNAMIC_DIM = 224;

/** Shapes (and small known values) of the tensors of one graph, with its enclosing graphs'. */
export class ShapeScope {
  readonly shapes = new Map<string, Shape | undefined>();
  readonly values = new Map<string, readonly number[] | undefined>();
  /** Tensor sequences (SequenceConstruct, SplitToSequence, ...): their elements' shapes. */
  readonly sequences = new Map<string, SequenceShape | undefined>();

  constructor(
    readonly constants: ConstantScope,
    private readonly parent?: ShapeScope,
  ) {}

  shape(name: string): Shape | undefined {
    if (this.shapes.has(name)) return this.shapes.get(name);
    const c = this.constants.get(name);
    if (c) return c.dims.every((d) => Number.isFinite(d)) ? c.dims : undefined;
    return this.parent?.shape(name);
  }

  value(name: string): readonly number[] | undefined {
    if (this.values.has(name)) return this.values.get(name);
    const c = this.constants.get(name);
    let v: readonly number[] | undefined;
    if (c) {
      const n = c.dims.reduce((a, b) => a * b, 1);
      if (n <= MAX_VALUE_ELEMENTS) {
        const read = c.read();
        v = 'code' in read ? undefined : Array.from(read);
      }
    } else {
      v = this.parent?.value(name);
    }
    this.values.set(name, v);
    return v;
  }

  sequence(name: string): SequenceShape | undefined {
    if (this.sequences.has(name)) return this.sequences.get(name);
    return this.parent?.sequence(name);
  }

  known(name: string): boolean {
    return name === '' || this.shape(name) !== undefined || this.sequence(name) !== undefined;
  }
}

/** The shapes of every graph of a model, by graph. */
export type ShapeTable = ReadonlyMap<GraphIR, ShapeScope>;

/** Infers tensor shapes in a graph and all its subgraphs. */
export function inferShapes(
  graph: GraphIR,
  constants: ConstantScope,
  opset: number,
  options: ShapeOptions,
  diagnostics: Diagnostic[],
): ShapeTable {
  const table = new Map<GraphIR, ShapeScope>();
  const scope = new ShapeScope(constants);
  seedInputs(graph, scope, options, diagnostics);
  inferGraph(graph, scope, opset, table, diagnostics);
  return table;
}

/** A graph input with the shape the analysis (and a verification run) gives it. */
export interface ConcreteInput {
  readonly name: string;
  readonly elemType: number;
  /** Undefined when the model gives no shape and the user none either. */
  readonly shape: readonly number[] | undefined;
}

/**
 * The graph's real inputs (initializers listed as inputs excluded) with concrete shapes: the
 * user's --input, else the declared dims with a dynamic batch of 1 and other dynamic dims set
 * to the dynamic-dim default, each assumption reported.
 */
export function concreteInputs(
  graph: GraphIR,
  isConstant: (name: string) => boolean,
  options: ShapeOptions,
  out: Diagnostic[],
): ConcreteInput[] {
  const overrides = options.inputShapes ?? new Map<string, readonly number[]>();
  const names = new Set(graph.inputs.map((i) => i.name));
  for (const name of overrides.keys()) {
    if (!names.has(name)) {
      out.push(
        diag(
          'BS2003',
          'warning',
          `--input names '${name}', which is not a graph input (inputs: ${[...names].join(', ')})`,
        ),
      );
    }
  }
  const dynamic = options.dynamicDim ?? DEFAULT_DYNAMIC_DIM;
  const result: ConcreteInput[] = [];
  for (const input of graph.inputs) {
    if (isConstant(input.name)) continue; // an initializer listed as input (IR < 4)
    const given = overrides.get(input.name);
    if (given) {
      if (input.shape && input.shape.length !== given.length) {
        out.push(
          diag(
            'BS2004',
            'warning',
            `--input ${input.name} has rank ${given.length}, the model says ${input.shape.length}; using it anyway`,
          ),
        );
      }
      result.push({ name: input.name, elemType: input.elemType, shape: given });
      continue;
    }
    if (!input.shape) {
      out.push(
        diag(
          'BS2005',
          'warning',
          `graph input '${input.name}' has no shape; pass --input ${input.name}=...`,
        ),
      );
      result.push({ name: input.name, elemType: input.elemType, shape: undefined });
      continue;
    }
    const assumed: number[] = [];
    const shape = input.shape.map((d, i) => {
      if (typeof d === 'number') return d;
      if (i === 0) return 1;
      assumed.push(i);
      return dynamic;
    });
    if (assumed.length > 0) {
      out.push(
        diag(
          'BS2002',
          'warning',
          `input '${input.name}' has dynamic dims [${input.shape.map((d) => d ?? '?').join(', ')}]; assumed ${shape.join('x')} (set it with --input ${input.name}=${shape.join('x')})`,
        ),
      );
    }
    result.push({ name: input.name, elemType: input.elemType, shape });
  }
  return result;
}

function seedInputs(graph: GraphIR, scope: ShapeScope, options: ShapeOptions, out: Diagnostic[]) {
  for (const input of concreteInputs(
    graph,
    (n) => scope.constants.get(n) !== undefined,
    options,
    out,
  )) {
    scope.shapes.set(input.name, input.shape);
  }
}

/**
 * Names a node reads: its inputs and, for If/Loop/Scan, what its bodies read from the enclosing
 * graphs (ONNX lets a subgraph use an outer value without listing it as the node's input).
 */
function readsOf(node: NodeIR): string[] {
  const names = [...node.inputs];
  const visit = (g: GraphIR) => {
    const local = new Set<string>([...g.inputs.map((i) => i.name), ...g.initializers.keys()]);
    for (const n of g.nodes) for (const o of n.outputs) local.add(o);
    for (const n of g.nodes) {
      for (const i of n.inputs) if (i && !local.has(i)) names.push(i);
      for (const a of n.attributes.values()) {
        if (a.type === 'graph') visit(a.value);
        if (a.type === 'graphs') a.value.forEach(visit);
      }
    }
    for (const o of g.outputs) if (!local.has(o.name)) names.push(o.name);
  };
  for (const a of node.attributes.values()) {
    if (a.type === 'graph') visit(a.value);
    if (a.type === 'graphs') a.value.forEach(visit);
  }
  return names;
}

/** Orders nodes so that producers come first; nodes in a cycle are returned separately. */
export function topologicalOrder(graph: GraphIR): { order: NodeIR[]; cyclic: NodeIR[] } {
  const producer = new Map<string, number>();
  graph.nodes.forEach((n, i) => n.outputs.forEach((o) => o && producer.set(o, i)));
  const pending = new Array<number>(graph.nodes.length).fill(0);
  const consumers = new Map<number, number[]>();
  graph.nodes.forEach((n, i) => {
    const reads = n.attributes.size > 0 ? readsOf(n) : n.inputs;
    const deps = new Set(
      reads.filter((x) => producer.has(x)).map((x) => producer.get(x) as number),
    );
    deps.delete(i);
    pending[i] = deps.size;
    for (const d of deps) consumers.set(d, [...(consumers.get(d) ?? []), i]);
  });
  const ready = graph.nodes.map((_, i) => i).filter((i) => pending[i] === 0);
  const order: NodeIR[] = [];
  for (let k = 0; k < ready.length; k++) {
    const i = ready[k];
    order.push(graph.nodes[i]);
    for (const c of consumers.get(i) ?? []) if (--pending[c] === 0) ready.push(c);
  }
  const placed = new Set(order);
  return { order, cyclic: graph.nodes.filter((n) => !placed.has(n)) };
}

function qualified(graph: GraphIR, node: NodeIR): string {
  return graph.path ? `${graph.path}/${node.name}` : node.name;
}

function declaredShapes(graph: GraphIR): Map<string, ValueInfoIR> {
  const m = new Map<string, ValueInfoIR>();
  for (const v of [...graph.valueInfo, ...graph.outputs]) m.set(v.name, v);
  return m;
}

/** A value_info shape we can use: all dims numeric, a symbolic batch taken as 1. */
function usableDeclared(v: ValueInfoIR | undefined): Shape | undefined {
  if (!v?.shape) return undefined;
  const dims = v.shape.map((d, i) => (typeof d === 'number' ? d : i === 0 ? 1 : undefined));
  return dims.every((d): d is number => d !== undefined) ? dims : undefined;
}

function inferGraph(
  graph: GraphIR,
  scope: ShapeScope,
  opset: number,
  table: Map<GraphIR, ShapeScope>,
  out: Diagnostic[],
) {
  table.set(graph, scope);
  const declared = declaredShapes(graph);
  const { order, cyclic } = topologicalOrder(graph);
  for (const node of cyclic) {
    out.push(
      diag(
        'BS2006',
        'warning',
        `${node.opType} is part of a cycle in the graph; its outputs have unknown shapes`,
        qualified(graph, node),
      ),
    );
  }
  for (const node of order) {
    inferNode(graph, node, scope, opset, declared, out);
    for (const attr of node.attributes.values()) {
      const subs = attr.type === 'graph' ? [attr.value] : attr.type === 'graphs' ? attr.value : [];
      for (const sub of subs) {
        const child = new ShapeScope(scope.constants.child(sub), scope);
        seedSubgraphInputs(node, sub, child, scope);
        inferGraph(sub, child, opset, table, out);
      }
    }
    if (node.opType === 'If') inferIfOutputs(node, scope, table);
  }
}

function inferNode(
  graph: GraphIR,
  node: NodeIR,
  scope: ShapeScope,
  opset: number,
  declared: Map<string, ValueInfoIR>,
  out: Diagnostic[],
) {
  const setOutputs = (
    shapes: readonly (Shape | undefined)[],
    values?: readonly (readonly number[] | undefined)[],
    sequences?: readonly (SequenceShape | undefined)[],
  ) => {
    node.outputs.forEach((o, i) => {
      if (!o) return;
      if (sequences?.[i]) scope.sequences.set(o, sequences[i]);
      else scope.shapes.set(o, shapes[i] ?? usableDeclared(declared.get(o)));
      if (values?.[i]) scope.values.set(o, values[i]);
    });
  };
  if (node.opType === 'Constant') {
    node.outputs.forEach((o) => scope.shapes.set(o, scope.shape(o)));
    return;
  }
  const inputsKnown = node.inputs.every((i) => scope.known(i));
  const rule =
    node.domain === '' || node.domain === 'ai.onnx' ? SHAPE_RULES.get(node.opType) : undefined;
  if (!inputsKnown || !rule) {
    setOutputs([]);
    const resolved = node.outputs.every((o) => !o || scope.known(o));
    if (
      inputsKnown &&
      !rule &&
      !resolved &&
      node.opType !== 'If' &&
      node.opType !== 'Loop' &&
      node.opType !== 'Scan'
    ) {
      out.push(
        diag(
          'BS2007',
          'warning',
          `no shape rule for ${node.domain ? node.domain + '.' : ''}${node.opType}; its outputs have unknown shapes`,
          qualified(graph, node),
        ),
      );
    }
    return;
  }
  const result = rule({
    node,
    opset,
    shapes: node.inputs.map((i) => (i === '' ? undefined : scope.shape(i))),
    values: node.inputs.map((i) => (i === '' ? undefined : scope.value(i))),
    sequences: node.inputs.map((i) => (i === '' ? undefined : scope.sequence(i))),
  });
  if ('fail' in result) {
    setOutputs([]);
    if (SEQUENCE_OUTPUT_OPS.has(node.opType))
      node.outputs.forEach((o) => o && scope.sequences.set(o, undefined));
    if (node.outputs.some((o) => o && !scope.known(o))) {
      out.push(diag('BS2001', 'warning', `${node.opType}: ${result.fail}`, qualified(graph, node)));
    }
    return;
  }
  if (result.shapes.some((s) => s?.some((d) => !Number.isFinite(d) || d < 0))) {
    setOutputs([]);
    out.push(
      diag(
        'BS2008',
        'warning',
        `${node.opType}: the inferred shape [${result.shapes.find((x) => x?.some((d) => !Number.isFinite(d) || d < 0))?.join(', ') ?? ''}] is invalid`,
        qualified(graph, node),
      ),
    );
    return;
  }
  setOutputs(result.shapes, result.values, result.sequences);
}

/** Shapes of a Loop/Scan body's inputs from its declarations, carried values from the node. */
function seedSubgraphInputs(node: NodeIR, sub: GraphIR, child: ShapeScope, outer: ShapeScope) {
  sub.inputs.forEach((input, i) => {
    let shape = usableDeclared(input);
    if (!shape && node.opType === 'Loop') {
      if (i < 2) shape = [];
      else shape = outer.shape(node.inputs[i] ?? '');
    }
    child.shapes.set(input.name, shape);
  });
}

/**
 * If: with a condition known before the run (shape arithmetic: Equal(Size(Shape(x)), 3)), the
 * outputs are the taken branch's; otherwise they are known where both branches agree.
 */
function inferIfOutputs(node: NodeIR, scope: ShapeScope, table: Map<GraphIR, ShapeScope>) {
  const cond = scope.value(node.inputs[0] ?? '');
  if (cond && cond.length === 1) {
    const a = node.attributes.get(cond[0] ? 'then_branch' : 'else_branch');
    if (a?.type === 'graph') {
      const s = table.get(a.value);
      node.outputs.forEach((o, i) => {
        const name = a.value.outputs[i]?.name ?? '';
        const shape = s?.shape(name);
        if (shape) scope.shapes.set(o, shape);
        else if (s?.sequence(name)) scope.sequences.set(o, s.sequence(name));
      });
      return;
    }
  }
  const branch = (name: string) => {
    const a = node.attributes.get(name);
    if (a?.type !== 'graph') return undefined;
    const s = table.get(a.value);
    return a.value.outputs.map((o) => s?.shape(o.name));
  };
  const then = branch('then_branch');
  const other = branch('else_branch');
  node.outputs.forEach((o, i) => {
    const a = then?.[i];
    const b = other?.[i];
    if (a && b && a.length === b.length && a.every((d, k) => d === b[k])) scope.shapes.set(o, a);
  });
}
