import { attributeText, elemTypeText } from '../onnx/attributeText';
import type { AttributeValue, GraphIR, ModelIR, NodeIR, TensorIR, ValueInfoIR } from '../onnx/ir';

/** A position in the text (0-based line and column). */
export interface TextPos {
  readonly line: number;
  readonly col: number;
}

/** A tensor name as it appears in the text. */
export interface TensorSpan extends TextPos {
  readonly name: string;
  readonly length: number;
}

/** One node's line, for code lenses and the outline. */
export interface NodeLine {
  /** Node name with its subgraph path (as the analysis names layers). */
  readonly name: string;
  readonly opType: string;
  readonly line: number;
  /** Graph path ('' for the main graph). */
  readonly graph: string;
}

/** The model printed as text, with where every node and tensor is. */
export interface ModelText {
  readonly text: string;
  readonly nodes: readonly NodeLine[];
  /** Graphs: name, first and last line (for the outline). */
  readonly graphs: readonly {
    readonly name: string;
    readonly path: string;
    readonly start: number;
    readonly end: number;
  }[];
  /** Where each tensor is defined: graph input, initializer or node output. */
  readonly definitions: readonly TensorSpan[];
  /** Every use of a tensor as a node input or graph output. */
  readonly references: readonly TensorSpan[];
}

function quote(s: string): string {
  return /^[A-Za-z_][\w.]*$/.test(s) ? s : JSON.stringify(s);
}

function valueInfo(v: ValueInfoIR): string {
  const dims = v.shape
    ? `[${v.shape.map((d) => (d === undefined ? '?' : String(d))).join(',')}]`
    : '';
  return `${elemTypeText(v.elemType)}${dims}`;
}

function attribute(name: string, a: AttributeValue): string {
  // a graph attribute names its body (quoted like every name in the text)
  if (a.type === 'graph') return `${name}: graph = ${quote(a.value.name || name)} {…}`;
  const { type, value } = attributeText(a);
  return type === '?' ? `${name}: ?` : `${name}: ${type} = ${value}`;
}

class Printer {
  readonly lines: string[] = [];
  readonly nodes: NodeLine[] = [];
  readonly graphs: { name: string; path: string; start: number; end: number }[] = [];
  readonly definitions: TensorSpan[] = [];
  readonly references: TensorSpan[] = [];

  /** Appends a line built from pieces; tensor pieces are recorded as definitions or references. */
  line(indent: number, pieces: (string | { def?: string; ref?: string })[]): number {
    let text = ' '.repeat(indent);
    const line = this.lines.length;
    for (const p of pieces) {
      if (typeof p === 'string') {
        text += p;
        continue;
      }
      const name = p.def ?? p.ref ?? '';
      const shown = quote(name);
      const span = { name, line, col: text.length + (shown === name ? 0 : 1), length: name.length };
      (p.def !== undefined ? this.definitions : this.references).push(span);
      text += shown;
    }
    this.lines.push(text);
    return line;
  }

  /** "a, b, c" with each name recorded. */
  names(
    names: readonly string[],
    kind: 'def' | 'ref',
  ): (string | { def?: string; ref?: string })[] {
    const out: (string | { def?: string; ref?: string })[] = [];
    names.forEach((n, i) => {
      if (i > 0) out.push(', ');
      out.push(n === '' ? '""' : kind === 'def' ? { def: n } : { ref: n });
    });
    return out;
  }

  graph(g: GraphIR, indent: number): void {
    const start = this.lines.length;
    const inputs = g.inputs.filter((i) => !g.initializers.has(i.name));
    const sig: (string | { def?: string; ref?: string })[] = [`${quote(g.name || 'graph')} (`];
    inputs.forEach((v, i) => sig.push(i ? ', ' : '', `${valueInfo(v)} `, { def: v.name }));
    sig.push(') => (');
    g.outputs.forEach((v, i) => sig.push(i ? ', ' : '', `${valueInfo(v)} `, { ref: v.name }));
    sig.push(')');
    this.line(indent, sig);
    if (g.initializers.size > 0) {
      this.line(indent + 3, ['<']);
      const inits = [...g.initializers.values()];
      inits.forEach((t: TensorIR, i) => {
        this.line(indent + 6, [
          `${elemTypeText(t.dataType)}[${t.dims.join(',')}] `,
          { def: t.name },
          i < inits.length - 1 ? ',' : '',
        ]);
      });
      this.line(indent + 3, ['>']);
    }
    this.line(indent, ['{']);
    for (const n of g.nodes) this.node(g, n, indent + 3);
    this.line(indent, ['}']);
    this.graphs.push({ name: g.name || 'graph', path: g.path, start, end: this.lines.length - 1 });
  }

  node(g: GraphIR, n: NodeIR, indent: number): void {
    const qualified = g.path ? `${g.path}/${n.name}` : n.name;
    this.line(indent, [`# ${n.name}`]);
    const attrs = [...n.attributes.entries()].filter(
      ([, a]) => a.type !== 'graph' && a.type !== 'graphs',
    );
    const line = this.line(indent, [
      ...this.names(n.outputs, 'def'),
      ` = ${n.domain ? `${n.domain}.` : ''}${n.opType}`,
      attrs.length ? ` <${attrs.map(([k, a]) => attribute(k, a)).join(', ')}>` : '',
      ' (',
      ...this.names(n.inputs, 'ref'),
      ')',
    ]);
    this.nodes.push({ name: qualified, opType: n.opType, line, graph: g.path });
    for (const a of n.attributes.values()) {
      const subs = a.type === 'graph' ? [a.value] : a.type === 'graphs' ? a.value : [];
      for (const sub of subs) this.graph(sub, indent + 3);
    }
  }
}

/**
 * The model in the textual syntax of onnx.printer (graph signature, initializers by shape only,
 * one node per line with its attributes, subgraphs nested), with positions of nodes and tensors.
 */
export function printModel(model: ModelIR): ModelText {
  const p = new Printer();
  const header = [
    `ir_version: ${model.irVersion}`,
    `opset_import: [${model.opsetImports.map((o) => `${JSON.stringify(o.domain)} : ${o.version}`).join(', ')}]`,
    ...(model.producerName ? [`producer_name: ${JSON.stringify(model.producerName)}`] : []),
    ...(model.producerVersion
      ? [`producer_version: ${JSON.stringify(model.producerVersion)}`]
      : []),
  ];
  p.line(0, ['<']);
  header.forEach((h, i) => p.line(3, [h, i < header.length - 1 ? ',' : '']));
  for (const m of model.metadata)
    p.line(3, [`# metadata ${JSON.stringify(m.key)}: ${JSON.stringify(m.value.slice(0, 200))}`]);
  p.line(0, ['>']);
  p.graph(model.graph, 0);
  return {
    text: p.lines.join('\n') + '\n',
    nodes: p.nodes,
    graphs: p.graphs,
    definitions: p.definitions,
    references: p.references,
  };
}

/** The tensor name at a position, if any. */
export function tensorAt(t: ModelText, pos: TextPos): TensorSpan | undefined {
  const hit = (s: TensorSpan) =>
    s.line === pos.line && pos.col >= s.col && pos.col <= s.col + s.length;
  return t.definitions.find(hit) ?? t.references.find(hit);
}
