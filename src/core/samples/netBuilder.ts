/**
 * A deterministic builder of CNN-shaped ONNX models for tests and benchmarks. It computes the
 * facts the analysis must find (shapes, MACs, block and zero-block counts) by its own simple
 * arithmetic as it builds, so tests compare the analysis with independently known truths.
 */
import { onnxTypes } from '../onnx/protoRoot';
import { Prng } from './prng';

export type WeightDtype = 'float32' | 'float16' | 'bfloat16' | 'int8';
export type WeightStorage = 'initializer' | 'constant' | 'typed' | 'external';

export interface BuilderOptions {
  readonly seed: number;
  readonly dtype?: WeightDtype;
  readonly storage?: WeightStorage;
  /** Location of the external-data file, for storage 'external'. */
  readonly externalLocation?: string;
  readonly opset?: number;
  readonly block?: { out: number; in: number };
}

/** A tensor flowing through the graph, with the shape the builder knows it has. */
export interface Ref {
  readonly name: string;
  readonly shape: readonly number[];
}

/** What the analysis must report for one layer. */
export interface LayerTruth {
  name: string;
  op: string;
  weight: string;
  weightShape: number[];
  group: number;
  params: number;
  macs: number;
  inputShape: number[];
  outputShape: number[];
  blocks: number;
  zeroBlocks: number;
  zeroElements: number;
  sparsifiable: boolean;
}

export interface ConvSpec {
  /** torch-style module path, e.g. 'layer1.0.conv1'; node and tensor names derive from it. */
  readonly module: string;
  readonly cout: number;
  /** Kernel size, square or [kh, kw] (Inception's 1x7 / 7x1). */
  readonly k: number | readonly [number, number];
  readonly stride?: number;
  /** Symmetric padding, or [top/bottom, left/right]; default half the kernel. */
  readonly pad?: number | readonly [number, number];
  readonly group?: number;
  readonly bias?: boolean;
  /** Fraction (0..1) of the layer's blocks to plant as all-zero, chosen by the PRNG. */
  readonly zeroFraction?: number;
  /** Or exactly these blocks (group, block row, block column) are zero. */
  readonly zeroBlock?: (g: number, r: number, c: number) => boolean;
}

interface PbNodeObj {
  name: string;
  op_type: string;
  input: string[];
  output: string[];
  attribute: object[];
  domain?: string;
}

const FLOAT = 1;
const INT8 = 3;
const INT64 = 7;
const FLOAT16 = 10;
const BFLOAT16 = 16;

/** float32 → IEEE half bits (round to nearest even), for float16 fixtures. */
export function toHalfBits(v: number): number {
  const f = new Float32Array([v]);
  const x = new Uint32Array(f.buffer)[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = ((x >>> 23) & 0xff) - 127 + 15;
  const mant = x & 0x7fffff;
  if (exp <= 0) {
    if (exp < -10) return sign;
    const m = (mant | 0x800000) >> (1 - exp);
    return sign | ((m + 0x1000) >> 13);
  }
  if (exp >= 31) return sign | 0x7c00;
  return sign | (exp << 10) | ((mant + 0x1000) >> 13);
}

/**
 * Node name as torch.onnx.export writes it: one scope per module, where a Sequential child is
 * named with its parent ("layer1.0"): 'layer1.0.conv1' → '/layer1/layer1.0/conv1/Conv'.
 */
function torchNodeName(module: string, op: string): string {
  const parts = module.split('.');
  const scopes = parts.map((p, i) => (i > 0 && /^\d+$/.test(p) ? `${parts[i - 1]}.${p}` : p));
  return `/${scopes.join('/')}/${op}`;
}

export class NetBuilder {
  private readonly rng: Prng;
  private readonly nodes: PbNodeObj[] = [];
  private readonly initializers: object[] = [];
  private readonly inputs: object[] = [];
  private readonly outputs: object[] = [];
  private readonly external: Uint8Array[] = [];
  private externalSize = 0;
  private counter = 0;
  readonly truths: LayerTruth[] = [];
  readonly dtype: WeightDtype;
  readonly storage: WeightStorage;
  readonly block: { out: number; in: number };

  constructor(readonly options: BuilderOptions) {
    this.rng = new Prng(options.seed);
    this.dtype = options.dtype ?? 'float32';
    this.storage = options.storage ?? 'initializer';
    this.block = options.block ?? { out: 8, in: 8 };
  }

  private fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  input(name: string, shape: readonly number[], dims?: readonly (number | string)[]): Ref {
    this.inputs.push(valueInfo(name, dims ?? shape));
    return { name, shape };
  }

  output(x: Ref): void {
    this.outputs.push(valueInfo(x.name, x.shape));
  }

  /** Adds a node and returns its first output. */
  node(
    op: string,
    inputs: string[],
    attrs: object[],
    shape: readonly number[],
    name?: string,
  ): Ref {
    const out = this.fresh(op.toLowerCase());
    this.nodes.push({
      name: name ?? `/${out}/${op}`,
      op_type: op,
      input: inputs,
      output: [out],
      attribute: attrs,
    });
    return { name: out, shape };
  }

  /** Stores a float tensor the way the builder's options say (initializer, Constant node, ...). */
  constant(
    name: string,
    dims: readonly number[],
    values: Float32Array,
    forceFloat = false,
  ): string {
    const dtype = forceFloat ? 'float32' : this.dtype;
    const tensor = this.tensorProto(name, dims, values, dtype);
    if (this.storage === 'constant') {
      this.nodes.push({
        name: `Constant_${name}`,
        op_type: 'Constant',
        input: [],
        output: [name],
        attribute: [{ name: 'value', type: 4, t: tensor }],
      });
    } else {
      this.initializers.push(tensor);
    }
    return name;
  }

  /** An int64 initializer (shapes, axes), always stored in the graph itself. */
  int64(name: string, values: readonly number[]): string {
    this.initializers.push({
      name,
      data_type: INT64,
      dims: [values.length],
      int64_data: [...values],
    });
    return name;
  }

  private tensorProto(
    name: string,
    dims: readonly number[],
    values: Float32Array,
    dtype: WeightDtype,
  ) {
    const base = { name, dims: [...dims] };
    let raw: Uint8Array;
    let dataType = FLOAT;
    if (dtype === 'float16' || dtype === 'bfloat16') {
      dataType = dtype === 'float16' ? FLOAT16 : BFLOAT16;
      const bits = new Uint16Array(values.length);
      const u32 = new Uint32Array(values.buffer, values.byteOffset, values.length);
      for (let i = 0; i < values.length; i++) {
        bits[i] = dtype === 'float16' ? toHalfBits(values[i]) : u32[i] >>> 16;
      }
      if (this.storage === 'typed')
        return { ...base, data_type: dataType, int32_data: Array.from(bits) };
      raw = new Uint8Array(bits.buffer);
    } else {
      if (this.storage === 'typed')
        return { ...base, data_type: FLOAT, float_data: Array.from(values) };
      raw = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    }
    if (this.storage === 'external')
      return { ...base, data_type: dataType, ...this.externalRef(raw) };
    return { ...base, data_type: dataType, raw_data: raw };
  }

  private externalRef(raw: Uint8Array) {
    const offset = this.externalSize;
    const copy = raw.slice();
    this.external.push(copy);
    // keep every tensor 64-byte aligned as onnx's own external-data writer does
    const padded = Math.ceil(copy.length / 64) * 64;
    if (padded > copy.length) this.external.push(new Uint8Array(padded - copy.length));
    this.externalSize += padded;
    return {
      data_location: 1,
      external_data: [
        { key: 'location', value: this.options.externalLocation ?? 'weights.bin' },
        { key: 'offset', value: String(offset) },
        { key: 'length', value: String(copy.length) },
      ],
    };
  }

  /** Random non-zero weights [cout, cinPerGroup, k, k] with planted all-zero blocks. */
  private convWeights(
    cout: number,
    cinG: number,
    group: number,
    kk: number,
    zeroFraction: number,
    zeroBlock?: (g: number, r: number, c: number) => boolean,
  ) {
    const w = new Float32Array(cout * cinG * kk);
    for (let i = 0; i < w.length; i++) w[i] = this.rng.nonZeroWeight();
    const coutG = cout / group;
    const rows = Math.ceil(coutG / this.block.out);
    const cols = Math.ceil(cinG / this.block.in);
    const blocks = group * rows * cols;
    const zero = zeroBlock
      ? Array.from({ length: blocks }, (_, b) => b).filter((b) =>
          zeroBlock(Math.floor(b / (rows * cols)), Math.floor(b / cols) % rows, b % cols),
        )
      : this.rng.sample(blocks, Math.round(zeroFraction * blocks));
    let zeroElements = 0;
    for (const b of zero) {
      const g = Math.floor(b / (rows * cols));
      const r = Math.floor(b / cols) % rows;
      const c = b % cols;
      for (let o = r * this.block.out; o < Math.min(coutG, (r + 1) * this.block.out); o++) {
        for (let i = c * this.block.in; i < Math.min(cinG, (c + 1) * this.block.in); i++) {
          const start = ((g * coutG + o) * cinG + i) * kk;
          w.fill(0, start, start + kk);
          zeroElements += kk;
        }
      }
    }
    return { w, blocks, zeroBlocks: zero.length, zeroElements };
  }

  conv(x: Ref, spec: ConvSpec): Ref {
    const [n, cin, h, wd] = x.shape;
    const group = spec.group ?? 1;
    const stride = spec.stride ?? 1;
    const [kh, kw] = typeof spec.k === 'number' ? [spec.k, spec.k] : spec.k;
    const [ph, pw] =
      spec.pad === undefined
        ? [Math.floor(kh / 2), Math.floor(kw / 2)]
        : typeof spec.pad === 'number'
          ? [spec.pad, spec.pad]
          : spec.pad;
    const cinG = cin / group;
    const weightName = `${spec.module}.weight`;
    const { w, blocks, zeroBlocks, zeroElements } = this.convWeights(
      spec.cout,
      cinG,
      group,
      kh * kw,
      spec.zeroFraction ?? 0,
      spec.zeroBlock,
    );
    const dims = [spec.cout, cinG, kh, kw];
    const inputs = [x.name];
    if (this.dtype === 'int8') {
      inputs.push(this.quantized(weightName, dims, w));
    } else {
      inputs.push(this.constant(weightName, dims, w));
    }
    if (spec.bias) {
      const b = new Float32Array(spec.cout).map(() => this.rng.nonZeroWeight());
      inputs.push(this.constant(`${spec.module}.bias`, [spec.cout], b, true));
    }
    const ho = Math.floor((h + 2 * ph - kh) / stride) + 1;
    const wo = Math.floor((wd + 2 * pw - kw) / stride) + 1;
    const name = torchNodeName(spec.module, 'Conv');
    const out = this.node(
      'Conv',
      inputs,
      [
        ints('dilations', [1, 1]),
        int('group', group),
        ints('kernel_shape', [kh, kw]),
        ints('pads', [ph, pw, ph, pw]),
        ints('strides', [stride, stride]),
      ],
      [n, spec.cout, ho, wo],
      name,
    );
    this.truths.push({
      name,
      op: 'Conv',
      weight: weightName + (this.dtype === 'int8' ? '_quantized' : ''),
      weightShape: dims,
      group,
      params: w.length + (spec.bias ? spec.cout : 0),
      macs: n * spec.cout * ho * wo * cinG * kh * kw,
      inputShape: [...x.shape],
      outputShape: [n, spec.cout, ho, wo],
      blocks,
      zeroBlocks,
      zeroElements,
      sparsifiable: cinG >= 8 && !(group > 1 && group === cin),
    });
    return out;
  }

  /** int8 weight + scale + zero point → DequantizeLinear; zero weights become the zero point. */
  private quantized(name: string, dims: number[], w: Float32Array): string {
    const zeroPoint = 3;
    const q = new Int8Array(w.length);
    for (let i = 0; i < w.length; i++) {
      // |w| >= 0.01 rounds to at least ±2 steps: only planted zeros equal the zero point
      q[i] =
        w[i] === 0 ? zeroPoint : Math.max(-128, Math.min(127, Math.round(w[i] * 200) + zeroPoint));
    }
    const qName = `${name}_quantized`;
    this.initializers.push({
      name: qName,
      data_type: INT8,
      dims,
      raw_data: new Uint8Array(q.buffer),
    });
    this.initializers.push({
      name: `${name}_scale`,
      data_type: FLOAT,
      dims: [],
      float_data: [0.005],
    });
    this.initializers.push({
      name: `${name}_zero_point`,
      data_type: INT8,
      dims: [],
      int32_data: [zeroPoint],
    });
    const out = `${name}_dequantized`;
    this.nodes.push({
      name: `${name}_DequantizeLinear`,
      op_type: 'DequantizeLinear',
      input: [qName, `${name}_scale`, `${name}_zero_point`],
      output: [out],
      attribute: [],
    });
    return out;
  }

  batchNorm(x: Ref, module: string): Ref {
    const c = x.shape[1];
    const ones = new Float32Array(c).fill(1);
    const zeros = new Float32Array(c);
    const names = ['weight', 'bias', 'running_mean', 'running_var'].map((p) => `${module}.${p}`);
    const values = [ones, zeros, zeros, ones];
    names.forEach((n, i) => this.constant(n, [c], values[i], true));
    return this.node(
      'BatchNormalization',
      [x.name, ...names],
      [float('epsilon', 1e-5)],
      x.shape,
      torchNodeName(module, 'BatchNormalization'),
    );
  }

  relu(x: Ref, module = this.fresh('relu')): Ref {
    return this.node('Relu', [x.name], [], x.shape, torchNodeName(module, 'Relu'));
  }

  add(a: Ref, b: Ref, module = this.fresh('add')): Ref {
    return this.node('Add', [a.name, b.name], [], a.shape, torchNodeName(module, 'Add'));
  }

  /** `module` names the node as torch exports a functional pool inside it ('/Mixed_6a/MaxPool'). */
  maxPool(x: Ref, k: number, stride: number, pad: number, module?: string): Ref {
    return this.pool('MaxPool', x, k, stride, pad, module);
  }

  avgPool(x: Ref, k: number, stride: number, pad: number, module?: string): Ref {
    return this.pool('AveragePool', x, k, stride, pad, module);
  }

  private pool(op: string, x: Ref, k: number, stride: number, pad: number, module?: string): Ref {
    const [n, c, h, w] = x.shape;
    const o = (d: number) => Math.floor((d + 2 * pad - k) / stride) + 1;
    const attrs = [
      ints('kernel_shape', [k, k]),
      ints('pads', [pad, pad, pad, pad]),
      ints('strides', [stride, stride]),
    ];
    const name = module === undefined ? undefined : torchNodeName(module, op);
    return this.node(op, [x.name], attrs, [n, c, o(h), o(w)], name);
  }

  globalAvgPool(x: Ref): Ref {
    return this.node('GlobalAveragePool', [x.name], [], [x.shape[0], x.shape[1], 1, 1]);
  }

  flatten(x: Ref): Ref {
    const [n, ...rest] = x.shape;
    return this.node('Flatten', [x.name], [int('axis', 1)], [n, rest.reduce((a, b) => a * b, 1)]);
  }

  concat(xs: Ref[]): Ref {
    const shape = [...xs[0].shape];
    shape[1] = xs.reduce((s, r) => s + r.shape[1], 0);
    return this.node(
      'Concat',
      xs.map((r) => r.name),
      [int('axis', 1)],
      shape,
    );
  }

  /** torch.nn.Linear as exported: Gemm with transB = 1, weight [out, in]. */
  gemm(x: Ref, module: string, nOut: number, zeroFraction = 0): Ref {
    const [m, k] = x.shape;
    const { w, blocks, zeroBlocks, zeroElements } = this.convWeights(nOut, k, 1, 1, zeroFraction);
    const weightName = this.constant(`${module}.weight`, [nOut, k], w);
    const bias = this.constant(`${module}.bias`, [nOut], new Float32Array(nOut).fill(0.5), true);
    const name = torchNodeName(module, 'Gemm');
    const out = this.node(
      'Gemm',
      [x.name, weightName, bias],
      [float('alpha', 1), float('beta', 1), int('transB', 1)],
      [m, nOut],
      name,
    );
    this.truths.push({
      name,
      op: 'Gemm',
      weight: weightName,
      weightShape: [nOut, k],
      group: 1,
      params: w.length + nOut,
      macs: m * nOut * k,
      inputShape: [...x.shape],
      outputShape: [m, nOut],
      blocks,
      zeroBlocks,
      zeroElements,
      sparsifiable: k >= 8,
    });
    return out;
  }

  /** A Linear stored as [out, in] and fed to MatMul through Transpose (a weight reached via an op). */
  matmulTransposed(x: Ref, module: string, nOut: number, zeroFraction = 0): Ref {
    const [m, k] = x.shape;
    const { w, blocks, zeroBlocks, zeroElements } = this.convWeights(nOut, k, 1, 1, zeroFraction);
    const stored = this.constant(`${module}.weight`, [nOut, k], w);
    const t = this.node('Transpose', [stored], [ints('perm', [1, 0])], [k, nOut]);
    const name = torchNodeName(module, 'MatMul');
    const out = this.node('MatMul', [x.name, t.name], [], [m, nOut], name);
    this.truths.push({
      name,
      op: 'MatMul',
      weight: stored,
      weightShape: [k, nOut],
      group: 1,
      params: w.length,
      macs: m * nOut * k,
      inputShape: [...x.shape],
      outputShape: [m, nOut],
      blocks,
      zeroBlocks,
      zeroElements,
      sparsifiable: k >= 8,
    });
    return out;
  }

  /** Serialises the model; external-data bytes (if any) come back separately. */
  build(graphName = 'main_graph'): { bytes: Uint8Array; externalData: Uint8Array | undefined } {
    const { ModelProto } = onnxTypes();
    const model = {
      ir_version: 8,
      producer_name: 'block-sparse-studio-fixtures',
      producer_version: '1',
      opset_import: [{ domain: '', version: this.options.opset ?? 17 }],
      graph: {
        name: graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    };
    const bytes = ModelProto.encode(ModelProto.fromObject(model)).finish();
    let externalData: Uint8Array | undefined;
    if (this.storage === 'external') {
      externalData = new Uint8Array(this.externalSize);
      let at = 0;
      for (const part of this.external) {
        externalData.set(part, at);
        at += part.length;
      }
    }
    return { bytes, externalData };
  }
}

export function valueInfo(name: string, dims: readonly (number | string)[]) {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: FLOAT,
        shape: {
          dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })),
        },
      },
    },
  };
}

export const int = (name: string, i: number) => ({ name, type: 2, i });
export const ints = (name: string, v: number[]) => ({ name, type: 7, ints: v });
export const float = (name: string, f: number) => ({ name, type: 1, f });
