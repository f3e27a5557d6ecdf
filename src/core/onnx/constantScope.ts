import { diag, type Diagnostic } from '../diagnostics';
import type { ExternalDataResolver } from './byteSource';
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

/** A value known before the model runs, read lazily (weights can be large). */
export interface ConstantValue {
  readonly dims: readonly number[];
  /** Element type of the stored tensor the value comes from. */
  readonly dataType: number;
  /** Name of the stored tensor (initializer or Constant output) the value comes from. */
  readonly sourceName: string;
  /** Ops applied between the stored tensor and this value, e.g. ['DequantizeLinear']. */
  readonly via: readonly string[];
  /** The values, dequantized/cast/transposed as the graph says. */
  read(): NumericArray | Diagnostic;
  /** The same values in the block scanner's form (raw float32 weights without a copy). */
  readScan(): Float32Scan | Diagnostic;
  /** Where each value is stored, for writers; undefined for values written inline in attributes. */
  readonly stored: StoredRef | undefined;
}

/** How the elements of a constant map onto the stored tensor they come from. */
export interface StoredRef {
  readonly tensor: TensorIR;
  /** Flat index in the stored tensor of the value's flat index i. */
  indexOf(i: number): number;
  /** The stored value that means zero for the value's flat index i (a zero point, or 0). */
  zeroAt(i: number): number;
  /** True when indexOf is the identity (no Transpose on the way): writers can work in runs. */
  readonly identity: boolean;
  /** The zero value when it is the same for every element (float weights, per-tensor zero points). */
  readonly uniformZero: number | undefined;
}

/** readScan for a value that is only available as numbers. */
function scanOf(read: () => NumericArray | Diagnostic): () => Float32Scan | Diagnostic {
  return () => {
    const v = read();
    return 'code' in v ? v : toFloat32Scan(v);
  };
}

/** Ops through which a constant stays a constant for our purposes. */
const PASS_THROUGH = new Set(['Cast', 'Identity', 'DequantizeLinear', 'Transpose']);

/**
 * Finds the constants visible in a graph: its initializers, Constant node outputs and
 * DequantizeLinear / Cast / Transpose / Identity of those, then the enclosing graphs' (ONNX
 * subgraphs may read outer-scope values).
 */
export class ConstantScope {
  private readonly producers = new Map<string, NodeIR>();
  private readonly cache = new Map<string, ConstantValue | null>();

  constructor(
    private readonly graph: GraphIR,
    private readonly resolver: ExternalDataResolver | undefined,
    private readonly parent?: ConstantScope,
  ) {
    for (const node of graph.nodes) {
      if (node.opType === 'Constant' || PASS_THROUGH.has(node.opType)) {
        for (const out of node.outputs) this.producers.set(out, node);
      }
    }
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
    this.cache.set(name, null); // guards against cycles among Identity/Cast nodes
    const found = this.lookup(name);
    this.cache.set(name, found ?? null);
    return found;
  }

  private lookup(name: string): ConstantValue | undefined {
    const init = this.graph.initializers.get(name);
    if (init) return this.fromTensor(init, init.name);
    const node = this.producers.get(name);
    if (node) return this.fromNode(node);
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

  private fromNode(node: NodeIR): ConstantValue | undefined {
    if (node.opType === 'Constant') return this.fromConstantNode(node);
    const x = this.get(node.inputs[0] ?? '');
    if (!x) return undefined;
    switch (node.opType) {
      case 'Cast':
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
    const rank = x.dims.length;
    let axis = axisAttr?.type === 'int' ? axisAttr.value : 1;
    if (axis < 0) axis += rank;
    const where = node.name;
    const read = () => {
      const xv = x.read();
      const sv = scale.read();
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
      via: [...x.via, 'DequantizeLinear'],
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
    scale.length !== axisDim ||
    (zero.length > 1 && zero.length !== axisDim)
  ) {
    return diag(
      'BS1020',
      'error',
      `DequantizeLinear scale/zero point length does not match axis ${axis} of [${dims.join(', ')}]`,
      where,
    );
  }
  const inner = elementCount(dims.slice(axis + 1));
  for (let i = 0; i < x.length; i++) {
    const c = Math.floor(i / inner) % axisDim;
    const z = zero.length > 1 ? zero[c] : (zero[0] ?? 0);
    out[i] = (x[i] - z) * scale[c];
  }
  return out;
}
