import { diag, type Diagnostic } from '../diagnostics';
import type { ExternalDataResolver } from './byteSource';
import {
  arrayFor,
  evaluate,
  foldedShapes,
  foldedTypes,
  isFoldable,
  MAX_FOLD_ELEMENTS,
  needsValues,
  RESHAPES,
} from './constantFolding';
import type { ConstantValue } from './constantValue';
import { DataType } from './dataTypes';
import type { AttributeValue, GraphIR, NodeIR, TensorIR } from './ir';
import {
  elementCount,
  readFloat32Scan,
  readTensorValues,
  toFloat32Scan,
  type Float32Scan,
  type NumericArray,
} from './tensorValues';
import { stridesOf, transposeValues } from './transposeValues';

export type { ConstantValue, StoredRef } from './constantValue';

/** Element types whose values Cast keeps as they are. */
const FLOATISH: ReadonlySet<number> = new Set([
  DataType.FLOAT,
  DataType.FLOAT16,
  DataType.BFLOAT16,
  DataType.DOUBLE,
]);

/** readScan for a value that is only available as numbers. */
function scanOf(read: () => NumericArray | Diagnostic): () => Float32Scan | Diagnostic {
  return () => {
    const v = read();
    return 'code' in v ? v : toFloat32Scan(v);
  };
}

/** Ops through which a constant stays a constant without folding (lazy views of the tensor). */
const PASS_THROUGH = new Set(['Cast', 'Identity', 'DequantizeLinear', 'Transpose']);

/**
 * Deepest chain of constant ops followed from one lookup (a hostile model must not exhaust the
 * stack). Shape inference asks in graph order, so each lookup finds its inputs cached and real
 * models never come near it; only a value asked for first at the end of a long chain does.
 */
export const MAX_FOLD_DEPTH = 256;

/** Opset assumed for a graph scope built without a model (tests, writers). */
const DEFAULT_OPSET = 13;

/**
 * Finds the constants visible in a graph: its initializers, Constant node outputs, lazy views
 * of those (Cast / Identity / Transpose / DequantizeLinear / reshapes) and every other op whose
 * inputs are all constants, folded once (constantFolding.ts); then the enclosing graphs' (ONNX
 * subgraphs may read outer-scope values). Limits that stop folding are kept in `notes`.
 */
export class ConstantScope {
  private readonly producers = new Map<string, NodeIR>();
  private readonly cache = new Map<string, ConstantValue | null>();
  private depth = 0;
  /** Why folding stopped where it did (size and depth limits, failed evaluations). */
  readonly notes: Diagnostic[];

  constructor(
    private readonly graph: GraphIR,
    private readonly resolver: ExternalDataResolver | undefined,
    private readonly parent?: ConstantScope,
    private readonly opset: number = parent?.opset ?? DEFAULT_OPSET,
  ) {
    this.notes = parent?.notes ?? [];
    for (const node of graph.nodes) {
      const standard = node.domain === '' || node.domain === 'ai.onnx';
      if (
        standard &&
        (node.opType === 'Constant' || PASS_THROUGH.has(node.opType) || isFoldable(node.opType))
      ) {
        for (const out of node.outputs) if (out) this.producers.set(out, node);
      }
    }
  }

  /** The scope of a model's main graph, folding with the model's opset. */
  static forModel(
    model: {
      readonly graph: GraphIR;
      readonly opsetImports: readonly { domain: string; version: number }[];
    },
    resolver: ExternalDataResolver | undefined,
  ): ConstantScope {
    const entry = model.opsetImports.find((o) => o.domain === '' || o.domain === 'ai.onnx');
    return new ConstantScope(model.graph, resolver, undefined, entry?.version ?? DEFAULT_OPSET);
  }

  /** A child scope for a subgraph of this graph. */
  child(subgraph: GraphIR): ConstantScope {
    return new ConstantScope(subgraph, this.resolver, this);
  }

  /** The constant named `name`, or undefined when it is computed at run time. */
  get(name: string): ConstantValue | undefined {
    if (name === '') return undefined;
    const hit = this.cache.get(name);
    if (hit !== undefined) return hit ?? undefined;
    if (this.depth >= MAX_FOLD_DEPTH) {
      this.note(
        'BS1031',
        `a chain of more than ${MAX_FOLD_DEPTH} constant ops ends at '${name}'; it is treated as computed at run time`,
        name,
      );
      return undefined;
    }
    this.cache.set(name, null); // guards against cycles among constant nodes
    this.depth++;
    try {
      const found = this.lookup(name);
      this.cache.set(name, found ?? null);
      return found;
    } finally {
      this.depth--;
    }
  }

  private note(code: 'BS1030' | 'BS1031', message: string, node: string) {
    if (!this.notes.some((d) => d.code === code && d.node === node))
      this.notes.push(diag(code, 'warning', message, node));
  }

  private lookup(name: string): ConstantValue | undefined {
    const init = this.graph.initializers.get(name);
    if (init) return this.fromTensor(init, init.name);
    const node = this.producers.get(name);
    if (node) return this.fromNode(node, name);
    return this.parent?.get(name);
  }

  private fromTensor(tensor: TensorIR, sourceName: string): ConstantValue {
    const resolver = this.resolver;
    return {
      dims: tensor.dims,
      dataType: tensor.dataType,
      sourceName,
      via: [],
      read: () => readTensorValues(tensor, resolver, null),
      readScan: () => readFloat32Scan(tensor, resolver, null),
      stored: { tensor, indexOf: (i) => i, zeroAt: () => 0, identity: true, uniformZero: 0 },
    };
  }

  private fromNode(node: NodeIR, output: string): ConstantValue | undefined {
    if (node.opType === 'Constant') return this.fromConstantNode(node);
    if (!PASS_THROUGH.has(node.opType)) return this.folded(node, output);
    const x = this.get(node.inputs[0] ?? '');
    if (!x) return undefined;
    switch (node.opType) {
      case 'Cast':
        return this.cast(node, x);
      case 'Identity':
        return { ...x, via: [...x.via, node.opType] };
      case 'Transpose':
        return this.transposed(node, x);
      case 'DequantizeLinear':
        return this.dequantized(node, x);
      default:
        return undefined;
    }
  }

  /** Cast keeps the stored tensor for float → float; to an integer type it truncates. */
  private cast(node: NodeIR, x: ConstantValue): ConstantValue {
    const attr = node.attributes.get('to');
    const to = attr?.type === 'int' ? attr.value : x.dataType;
    const toFloat = FLOATISH.has(to);
    if (toFloat || !FLOATISH.has(x.dataType)) {
      return { ...x, dataType: to, via: [...x.via, 'Cast'] };
    }
    const read = (): NumericArray | Diagnostic => {
      const v = x.read();
      if ('code' in v) return v;
      const out = new Float64Array(v.length);
      for (let i = 0; i < v.length; i++)
        out[i] = to === DataType.BOOL ? (v[i] ? 1 : 0) : Math.trunc(v[i]);
      return out;
    };
    return {
      ...x,
      dataType: to,
      via: [...x.via, 'Cast'],
      read,
      readScan: scanOf(read),
      stored: undefined,
      uniform: x.uniform === undefined ? undefined : Math.trunc(x.uniform),
      folded: true,
    };
  }

  /** A node whose inputs are all constants, evaluated on first read. */
  private folded(node: NodeIR, output: string): ConstantValue | undefined {
    const where = node.name;
    const valueInputs = needsValues(node.opType);
    const inputs = node.inputs.map((n) => (n === '' ? undefined : this.get(n)));
    if (node.inputs.some((n, i) => n !== '' && !inputs[i])) {
      // Shape/Size of a runtime tensor are shape inference's business, not constants
      return undefined;
    }
    const small = inputs.map((c) => (c && elementCount(c.dims) <= 1024 ? c.read() : undefined));
    if (small.some((v) => v !== undefined && 'code' in v)) return undefined;
    const smallValues = small.map((v) => (v && !('code' in v) ? Array.from(v) : undefined));
    const dims = inputs.map((c) => c?.dims);
    const outIndex = node.outputs.indexOf(output);

    if (node.opType === 'ConstantOfShape') return this.constantOfShape(node, smallValues[0]);
    const shapes = foldedShapes(node, this.opset, dims, smallValues);
    if (typeof shapes === 'string') {
      this.note('BS1030', `${node.opType} of constants cannot be folded: ${shapes}`, where);
      return undefined;
    }
    const outDims = shapes[outIndex];
    const x = inputs[0];
    if (RESHAPES.has(node.opType) && x) {
      // same values in the same order: the stored tensor still holds them, patchable in place
      return { ...x, dims: outDims, via: [...x.via, node.opType] };
    }
    const outTypes = foldedTypes(
      node,
      inputs.map((c) => c?.dataType),
    );
    const total = shapes.reduce((a, s) => a + elementCount(s), 0);
    let memo: NumericArray[] | Diagnostic | undefined;
    const compute = (): NumericArray[] | Diagnostic => {
      if (memo) return memo;
      if (total > MAX_FOLD_ELEMENTS) {
        return diag(
          'BS1030',
          'warning',
          `${node.opType} of constants would make ${total} elements; values past ${MAX_FOLD_ELEMENTS} are not folded (its shape is known)`,
          where,
        );
      }
      const values: (NumericArray | undefined)[] = [];
      for (let i = 0; i < inputs.length; i++) {
        const c = inputs[i];
        if (!c || !valueInputs) {
          values.push(undefined);
          continue;
        }
        const v = c.read();
        if ('code' in v) return v;
        values.push(v);
      }
      const result = evaluate({ node, opset: this.opset, values, dims, outDims: shapes, outTypes });
      memo =
        typeof result === 'string'
          ? diag(
              'BS1030',
              'warning',
              `${node.opType} of constants cannot be folded: ${result}`,
              where,
            )
          : result;
      return memo;
    };
    const read = (): NumericArray | Diagnostic => {
      const r = compute();
      return 'code' in r ? r : r[outIndex];
    };
    return {
      dims: outDims,
      dataType: outTypes[outIndex],
      sourceName: x?.sourceName ?? output,
      via: [...(x?.via ?? []), node.opType],
      read,
      readScan: scanOf(read),
      stored: undefined,
      folded: true,
    };
  }

  /** ConstantOfShape: one value everywhere, materialised only when read. */
  private constantOfShape(
    node: NodeIR,
    shape: readonly number[] | undefined,
  ): ConstantValue | undefined {
    if (!shape || shape.some((d) => !Number.isInteger(d) || d < 0)) return undefined;
    const attr = node.attributes.get('value');
    let value = 0;
    let dataType: number = DataType.FLOAT;
    if (attr?.type === 'tensor') {
      dataType = attr.value.dataType;
      const v = readTensorValues(attr.value, this.resolver, node.name);
      if ('code' in v) return undefined;
      value = v[0] ?? 0;
    }
    const n = elementCount(shape);
    const where = node.name;
    const read = (): NumericArray | Diagnostic => {
      if (n > MAX_FOLD_ELEMENTS) {
        return diag(
          'BS1030',
          'warning',
          `ConstantOfShape of ${n} elements is not materialised (past ${MAX_FOLD_ELEMENTS}); its shape and value are known`,
          where,
        );
      }
      return arrayFor(dataType, n).fill(value);
    };
    return {
      dims: shape,
      dataType,
      sourceName: node.outputs[0] ?? node.name,
      via: ['ConstantOfShape'],
      read,
      readScan: scanOf(read),
      stored: undefined,
      uniform: value,
      folded: true,
    };
  }

  private fromConstantNode(node: NodeIR): ConstantValue | undefined {
    const [key, attr] = [...node.attributes.entries()][0] ?? [];
    const name = node.outputs[0] ?? node.name;
    if (!attr) return undefined;
    if (key === 'value' && attr.type === 'tensor') return this.fromTensor(attr.value, name);
    const values = plainValues(attr);
    if (!values) return undefined;
    const dims = key === 'value_floats' || key === 'value_ints' ? [values.length] : [];
    return {
      dims,
      dataType: attr.type === 'float' || attr.type === 'floats' ? 1 : 7,
      sourceName: name,
      via: [],
      read: () => Float64Array.from(values),
      readScan: scanOf(() => Float64Array.from(values)),
      stored: undefined,
    };
  }

  private transposed(node: NodeIR, x: ConstantValue): ConstantValue {
    if (x.uniform !== undefined) {
      const rank = x.dims.length;
      const attr = node.attributes.get('perm');
      const perm =
        attr?.type === 'ints' ? attr.value : Array.from({ length: rank }, (_, i) => rank - 1 - i);
      return { ...x, dims: perm.map((p) => x.dims[p] ?? Number.NaN), via: [...x.via, 'Transpose'] };
    }
    const rank = x.dims.length;
    const attr = node.attributes.get('perm');
    const perm =
      attr?.type === 'ints' ? attr.value : Array.from({ length: rank }, (_, i) => rank - 1 - i);
    const dims = perm.map((p) => x.dims[p] ?? Number.NaN);
    const read = () => {
      const v = x.read();
      return 'code' in v ? v : transposeValues(v, x.dims, perm);
    };
    const inStrides = stridesOf(x.dims);
    const outStrides = stridesOf(dims);
    // flat index in the transposed value → flat index in x
    const toX = (i: number) => {
      let rest = i;
      let j = 0;
      for (let a = 0; a < dims.length; a++) {
        const q = Math.floor(rest / outStrides[a]);
        rest -= q * outStrides[a];
        j += q * inStrides[perm[a]];
      }
      return j;
    };
    const xs = x.stored;
    return {
      stored: xs && {
        tensor: xs.tensor,
        indexOf: (i) => xs.indexOf(toX(i)),
        zeroAt: (i) => xs.zeroAt(toX(i)),
        identity: false,
        uniformZero: xs.uniformZero,
      },
      dims,
      dataType: x.dataType,
      sourceName: x.sourceName,
      via: [...x.via, 'Transpose'],
      read,
      readScan: scanOf(read),
    };
  }

  private dequantized(node: NodeIR, x: ConstantValue): ConstantValue | undefined {
    const scale = this.get(node.inputs[1] ?? '');
    if (!scale) return undefined;
    const zeroName = node.inputs[2] ?? '';
    const zero = zeroName ? this.get(zeroName) : undefined;
    if (zeroName && !zero) return undefined;
    const axisAttr = node.attributes.get('axis');
    const axis = axisAttr?.type === 'int' ? axisAttr.value : 1;
    return this.rescaled(x, scale, zero, axis, node.name, 'DequantizeLinear');
  }

  /**
   * An integer weight of a quantized layer (ConvInteger, QLinearConv, MatMulInteger,
   * QLinearMatMul) less its zero point, per tensor or per slice along `axis`: a weight equal to
   * its zero point is a zero, and writers zero it by writing the zero point back.
   */
  lessZeroPoint(
    x: ConstantValue,
    zeroName: string,
    axis: number,
    where: string,
  ): ConstantValue | undefined {
    const zero = zeroName ? this.get(zeroName) : undefined;
    if (zeroName && !zero) return undefined;
    if (!zero) return x;
    return this.rescaled(x, undefined, zero, axis, where, 'zero point');
  }

  private rescaled(
    x: ConstantValue,
    scale: ConstantValue | undefined,
    zero: ConstantValue | undefined,
    axisIn: number,
    where: string,
    step: string,
  ): ConstantValue {
    const rank = x.dims.length;
    const axis = axisIn < 0 ? axisIn + rank : axisIn;
    const read = () => {
      const xv = x.read();
      const sv = scale ? scale.read() : Float32Array.of(1);
      const zv = zero ? zero.read() : new Float32Array(1);
      if ('code' in xv) return xv;
      if ('code' in sv) return sv;
      if ('code' in zv) return zv;
      return dequantize(xv, x.dims, axis, sv, zv, where);
    };
    const inner = elementCount(x.dims.slice(axis + 1));
    const axisDim = x.dims[axis] ?? 1;
    let zeros: NumericArray | undefined;
    const zeroAt = (i: number) => {
      if (!zero) return 0;
      if (!zeros) {
        const z = zero.read();
        zeros = 'code' in z ? new Float64Array(1) : z;
      }
      return zeros.length > 1 ? zeros[Math.floor(i / inner) % axisDim] : (zeros[0] ?? 0);
    };
    const xs = x.stored;
    const uniformZero = () => {
      if (!zero) return 0;
      const z = zero.read();
      return 'code' in z || z.length !== 1 ? undefined : z[0];
    };
    return {
      dims: x.dims,
      dataType: x.dataType,
      sourceName: x.sourceName,
      via: [...x.via, step],
      read,
      readScan: scanOf(read),
      stored: xs && {
        tensor: xs.tensor,
        indexOf: xs.indexOf,
        zeroAt,
        identity: xs.identity,
        uniformZero: uniformZero(),
      },
    };
  }
}

function plainValues(attr: AttributeValue): number[] | undefined {
  switch (attr.type) {
    case 'float':
    case 'int':
      return [attr.value];
    case 'floats':
    case 'ints':
      return [...attr.value];
    default:
      return undefined;
  }
}

/** (x - zero) * scale, per tensor or per slice along `axis`. */
function dequantize(
  x: NumericArray,
  dims: readonly number[],
  axis: number,
  scale: NumericArray,
  zero: NumericArray,
  where: string,
): NumericArray | Diagnostic {
  const out = new Float32Array(x.length);
  if (scale.length <= 1 && zero.length <= 1) {
    const s = scale[0] ?? 1;
    const z = zero[0] ?? 0;
    for (let i = 0; i < x.length; i++) out[i] = (x[i] - z) * s;
    return out;
  }
  const axisDim = dims[axis];
  if (
    axisDim === undefined ||
    (scale.length > 1 && scale.length !== axisDim) ||
    (zero.length > 1 && zero.length !== axisDim)
  ) {
    return diag(
      'BS1020',
      'error',
      `scale/zero point length does not match axis ${axis} of [${dims.join(', ')}]`,
      where,
    );
  }
  const inner = elementCount(dims.slice(axis + 1));
  for (let i = 0; i < x.length; i++) {
    const c = Math.floor(i / inner) % axisDim;
    const z = zero.length > 1 ? zero[c] : (zero[0] ?? 0);
    out[i] = (x[i] - z) * (scale.length > 1 ? scale[c] : (scale[0] ?? 1));
  }
  return out;
}
