import { attrFloat, attrInt, attrInts } from './attributes';
import { DataType } from './dataTypes';
import type { NodeIR } from './ir';
import { SHAPE_RULES, type Shape } from './shapeRules';
import { elementCount, type NumericArray } from './tensorValues';
import { strideWalk, stridesOf } from './transposeValues';

/**
 * Evaluation of ONNX ops whose inputs are all constants, as a model loader would do once before
 * the first run. Model-zoo files that replaced their initializers by ConstantOfShape nodes, and
 * exporters that write `Reshape(constant)` or `Mul(constant, scale)` weights, then have real
 * weights. Each evaluator works on flat row-major arrays; the output shapes come from the shape
 * rules (one owner of each op's shape semantics), so an evaluator only fills values.
 */

/** Largest folded value that is materialised (64 Mi elements, 256 MiB as float32). */
export const MAX_FOLD_ELEMENTS = 2 ** 26;

/** What an evaluator sees: input values (undefined for absent optional inputs) and all shapes. */
export interface FoldInput {
  readonly node: NodeIR;
  readonly opset: number;
  readonly values: readonly (NumericArray | undefined)[];
  readonly dims: readonly (Shape | undefined)[];
  readonly outDims: readonly Shape[];
  readonly outTypes: readonly number[];
}

type Evaluator = (f: FoldInput) => NumericArray[] | string;

const FLOAT_TYPES: ReadonlySet<number> = new Set([
  DataType.FLOAT,
  DataType.FLOAT16,
  DataType.BFLOAT16,
]);

/** A result array for an element type: float32 for float types, float64 (exact ints) else. */
export function arrayFor(dataType: number, n: number): NumericArray {
  return FLOAT_TYPES.has(dataType) ? new Float32Array(n) : new Float64Array(n);
}

const isIntType = (t: number) => !FLOAT_TYPES.has(t) && t !== DataType.DOUBLE;

/** Source strides that broadcast `dims` (right-aligned) to `outDims`: 0 on stretched axes. */
function broadcastStrides(dims: Shape, outDims: Shape): number[] {
  const own = stridesOf(dims);
  const lead = outDims.length - dims.length;
  return outDims.map((_, a) => {
    const i = a - lead;
    return i < 0 || dims[i] === 1 ? 0 : own[i];
  });
}

/** x broadcast to outDims. */
function broadcastTo(x: NumericArray, dims: Shape, outDims: Shape, dataType: number) {
  const out = arrayFor(dataType, elementCount(outDims));
  strideWalk(outDims, broadcastStrides(dims, outDims), 0, x, out);
  return out;
}

function elementwise(fn: (...v: number[]) => number): Evaluator {
  return ({ values, dims, outDims, outTypes }) => {
    const out = outDims[0];
    const n = elementCount(out);
    const ins = values.map((v, i) => {
      const d = dims[i];
      if (!v || !d) return undefined;
      return elementCount(d) === n && d.length === out.length ? v : broadcastTo(v, d, out, 11);
    });
    if (ins.some((v) => v === undefined)) return 'an input is missing';
    const result = arrayFor(outTypes[0], n);
    const args = new Array<number>(ins.length);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < ins.length; k++) args[k] = (ins[k] as NumericArray)[i];
      result[i] = fn(...args);
    }
    return [result];
  };
}

/** Integer ops truncate like ONNX Runtime's C++ kernels; float ops do not. */
function arithmetic(
  float: (a: number, b: number) => number,
  int: (a: number, b: number) => number = float,
): Evaluator {
  return (f) => elementwise(isIntType(f.outTypes[0]) ? int : float)(f);
}

const normAxis = (a: number, rank: number) => (a < 0 ? a + rank : a);

const concat: Evaluator = ({ node, values, dims, outDims, outTypes }) => {
  const out = outDims[0];
  const axis = normAxis(attrInt(node, 'axis', 0), out.length);
  const outer = elementCount(out.slice(0, axis));
  const inner = elementCount(out.slice(axis + 1));
  const result = arrayFor(outTypes[0], elementCount(out));
  let o = 0;
  for (let b = 0; b < outer; b++) {
    values.forEach((v, i) => {
      const chunk = (dims[i]?.[axis] ?? 0) * inner;
      if (!v) return;
      for (let k = 0; k < chunk; k++) result[o++] = v[b * chunk + k];
    });
  }
  return [result];
};

/** Slice: the clamped starts and steps of each axis, then one strided copy. */
const slice: Evaluator = ({ node, opset, values, dims, outDims, outTypes }) => {
  const x = dims[0] as Shape;
  const ints = (i: number, attr: string) =>
    opset >= 10 ? (values[i] ? Array.from(values[i]) : undefined) : attrInts(node, attr);
  const starts = ints(1, 'starts') ?? [];
  const axes = (ints(3, 'axes') ?? starts.map((_, i) => i)).map((a) => normAxis(a, x.length));
  const steps = opset >= 10 && values[4] ? Array.from(values[4]) : axes.map(() => 1);
  const own = stridesOf(x);
  const strides = [...own];
  let offset = 0;
  axes.forEach((a, i) => {
    const step = steps[i] ?? 1;
    let s = starts[i] ?? 0;
    if (s < 0) s += x[a];
    s = step > 0 ? Math.min(Math.max(s, 0), x[a]) : Math.min(Math.max(s, 0), x[a] - 1);
    offset += s * own[a];
    strides[a] = own[a] * step;
  });
  const result = arrayFor(outTypes[0], elementCount(outDims[0]));
  strideWalk(outDims[0], strides, offset, values[0] as NumericArray, result);
  return [result];
};

const gather: Evaluator = ({ node, values, dims, outTypes, outDims }) => {
  const data = dims[0] as Shape;
  const indices = values[1] as NumericArray;
  const axis = normAxis(attrInt(node, 'axis', 0), data.length);
  const outer = elementCount(data.slice(0, axis));
  const inner = elementCount(data.slice(axis + 1));
  const d = data[axis];
  const src = values[0] as NumericArray;
  const result = arrayFor(outTypes[0], elementCount(outDims[0]));
  let o = 0;
  for (let b = 0; b < outer; b++) {
    for (const raw of indices) {
      const j = raw < 0 ? raw + d : raw;
      if (!(j >= 0 && j < d)) return `index ${raw} is out of range for an axis of ${d}`;
      const base = (b * d + j) * inner;
      for (let k = 0; k < inner; k++) result[o++] = src[base + k];
    }
  }
  return [result];
};

const tile: Evaluator = ({ values, dims, outDims, outTypes }) => {
  const x = dims[0] as Shape;
  const out = outDims[0];
  const src = values[0] as NumericArray;
  const own = stridesOf(x);
  const result = arrayFor(outTypes[0], elementCount(out));
  const idx = new Array<number>(out.length).fill(0);
  for (let o = 0; o < result.length; o++) {
    let s = 0;
    for (let a = 0; a < out.length; a++) s += (idx[a] % x[a]) * own[a];
    result[o] = src[s];
    for (let a = out.length - 1; a >= 0; a--) {
      if (++idx[a] < out[a]) break;
      idx[a] = 0;
    }
  }
  return [result];
};

const split: Evaluator = ({ node, values, dims, outDims, outTypes }) => {
  const x = dims[0] as Shape;
  const axis = normAxis(attrInt(node, 'axis', 0), x.length);
  const own = stridesOf(x);
  let start = 0;
  return outDims.map((d, i) => {
    const result = arrayFor(outTypes[i], elementCount(d));
    strideWalk(d, own, start * own[axis], values[0] as NumericArray, result);
    start += d[axis];
    return result;
  });
};

const range: Evaluator = ({ values, outDims, outTypes }) => {
  const [start, , delta] = values.map((v) => v?.[0] ?? 0);
  const result = arrayFor(outTypes[0], outDims[0][0]);
  for (let i = 0; i < result.length; i++) result[i] = start + i * delta;
  return [result];
};

const shapeOf: Evaluator = ({ node, dims }) => {
  const x = dims[0] as Shape;
  const rank = x.length;
  const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + rank : v, 0), rank);
  const start = clamp(attrInt(node, 'start', 0));
  const end = clamp(attrInt(node, 'end', rank));
  return [Float64Array.from(x.slice(start, Math.max(start, end)))];
};

/** Round half to even, as QuantizeLinear specifies. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const QUANT_RANGE: Readonly<Record<number, readonly [number, number]>> = {
  [DataType.UINT8]: [0, 255],
  [DataType.INT8]: [-128, 127],
  [DataType.UINT16]: [0, 65535],
  [DataType.INT16]: [-32768, 32767],
  [DataType.INT32]: [-(2 ** 31), 2 ** 31 - 1],
};

const quantize: Evaluator = ({ node, values, dims, outTypes }) => {
  const x = values[0] as NumericArray;
  const xd = dims[0] as Shape;
  const scale = values[1] as NumericArray;
  const zero = values[2] ?? new Float64Array(1);
  const [lo, hi] = QUANT_RANGE[outTypes[0]] ?? [0, 255];
  const axis = normAxis(attrInt(node, 'axis', 1), xd.length);
  const inner = elementCount(xd.slice(axis + 1));
  const axisDim = xd[axis] ?? 1;
  const result = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const c = scale.length > 1 ? Math.floor(i / inner) % axisDim : 0;
    const z = zero.length > 1 ? zero[c] : zero[0];
    result[i] = Math.min(hi, Math.max(lo, roundHalfEven(x[i] / scale[c]) + z));
  }
  return [result];
};

const clip: Evaluator = (f) => {
  const lo = f.opset >= 11 ? (f.values[1]?.[0] ?? -Infinity) : attrFloat(f.node, 'min', -Infinity);
  const hi = f.opset >= 11 ? (f.values[2]?.[0] ?? Infinity) : attrFloat(f.node, 'max', Infinity);
  return elementwise((v) => Math.min(hi, Math.max(lo, v)))({ ...f, values: [f.values[0]] });
};

/** Ops folded by evaluation, beside the lazy ones the constant scope handles itself. */
const EVALUATORS: ReadonlyMap<string, Evaluator> = new Map<string, Evaluator>([
  ['Add', arithmetic((a, b) => a + b)],
  ['Sub', arithmetic((a, b) => a - b)],
  ['Mul', arithmetic((a, b) => a * b)],
  [
    'Div',
    arithmetic(
      (a, b) => a / b,
      (a, b) => (b === 0 ? 0 : Math.trunc(a / b)),
    ),
  ],
  ['Pow', elementwise((a, b) => a ** b)],
  ['Min', elementwise(Math.min)],
  ['Max', elementwise(Math.max)],
  ['Neg', elementwise((a) => -a)],
  ['Abs', elementwise(Math.abs)],
  ['Sqrt', elementwise(Math.sqrt)],
  ['Reciprocal', elementwise((a) => 1 / a)],
  ['Floor', elementwise(Math.floor)],
  ['Ceil', elementwise(Math.ceil)],
  ['Relu', elementwise((a) => Math.max(0, a))],
  ['Clip', clip],
  ['Equal', elementwise((a, b) => (a === b ? 1 : 0))],
  ['Less', elementwise((a, b) => (a < b ? 1 : 0))],
  ['Greater', elementwise((a, b) => (a > b ? 1 : 0))],
  ['Not', elementwise((a) => (a ? 0 : 1))],
  ['And', elementwise((a, b) => (a && b ? 1 : 0))],
  ['Or', elementwise((a, b) => (a || b ? 1 : 0))],
  ['Where', elementwise((c, a, b) => (c ? a : b))],
  ['Concat', concat],
  ['Slice', slice],
  ['Gather', gather],
  [
    'Expand',
    ({ values, dims, outDims, outTypes }) => [
      broadcastTo(values[0] as NumericArray, dims[0] as Shape, outDims[0], outTypes[0]),
    ],
  ],
  ['Tile', tile],
  ['Split', split],
  ['Range', range],
  ['Shape', shapeOf],
  ['Size', ({ dims }) => [Float64Array.of(elementCount(dims[0] as Shape))]],
  ['QuantizeLinear', quantize],
]);

/** Ops whose output is the input's values under a new shape: folded without a copy. */
export const RESHAPES: ReadonlySet<string> = new Set([
  'Reshape',
  'Flatten',
  'Squeeze',
  'Unsqueeze',
]);

/** True for ops the constant scope can fold. */
export function isFoldable(opType: string): boolean {
  return EVALUATORS.has(opType) || RESHAPES.has(opType) || opType === 'ConstantOfShape';
}

/** Only the value (and shape) inputs of these ops need to be constants. */
const SHAPE_ONLY_INPUT: ReadonlySet<string> = new Set(['Shape', 'Size']);

/** Element type of each output of a folded node. */
export function foldedTypes(node: NodeIR, inputTypes: readonly (number | undefined)[]): number[] {
  const first = inputTypes[0] ?? DataType.FLOAT;
  const type = ((): number => {
    switch (node.opType) {
      case 'Shape':
      case 'Size':
        return DataType.INT64;
      case 'Equal':
      case 'Less':
      case 'Greater':
      case 'Not':
      case 'And':
      case 'Or':
        return DataType.BOOL;
      case 'Where':
        return inputTypes[1] ?? DataType.FLOAT;
      case 'QuantizeLinear':
        return inputTypes[2] ?? attrInt(node, 'output_dtype', DataType.UINT8);
      default:
        return first;
    }
  })();
  return node.outputs.map(() => type);
}

/** Output shapes of a folded node from its rule, or why they cannot be known. */
export function foldedShapes(
  node: NodeIR,
  opset: number,
  dims: readonly (Shape | undefined)[],
  smallValues: readonly (readonly number[] | undefined)[],
): Shape[] | string {
  const rule = SHAPE_RULES.get(node.opType);
  if (!rule) return `no shape rule for ${node.opType}`;
  const result = rule({ node, opset, shapes: dims, values: smallValues });
  if ('fail' in result) return result.fail;
  const shapes = node.outputs.map((_, i) => result.shapes[i]);
  if (shapes.some((s) => !s || s.some((d) => !Number.isInteger(d) || d < 0)))
    return 'the folded shape is invalid';
  return shapes as Shape[];
}

/** Evaluates a foldable op (not a reshape, not ConstantOfShape) on known inputs. */
export function evaluate(f: FoldInput): NumericArray[] | string {
  const evaluator = EVALUATORS.get(f.node.opType);
  if (!evaluator) return `${f.node.opType} is not folded`;
  if (!SHAPE_ONLY_INPUT.has(f.node.opType) && f.dims.some((d, i) => d && !f.values[i]))
    return 'an input value is missing';
  return evaluator(f);
}

/** Needs only the shape of input i, not its values. */
export function needsValues(opType: string): boolean {
  return !SHAPE_ONLY_INPUT.has(opType);
}
