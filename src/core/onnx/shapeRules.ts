import { attrFloats, attrInt, attrInts, attrString } from './attributes';
import type { NodeIR } from './ir';

/** A fully known tensor shape. */
export type Shape = readonly number[];

/** What a shape rule sees of one node. */
export interface RuleInput {
  readonly node: NodeIR;
  /** Opset of the default domain. */
  readonly opset: number;
  readonly shapes: readonly (Shape | undefined)[];
  /** Small integer tensors whose values are known (shape arithmetic), flat. */
  readonly values: readonly (readonly number[] | undefined)[];
  /** Inputs that are sequences: the shape of each element when known. */
  readonly sequences?: readonly (SequenceShape | undefined)[];
}

/** A tensor sequence: its elements' shapes, in order (undefined elements are unknown). */
export type SequenceShape = readonly (Shape | undefined)[];

/** A rule's answer: output shapes (and values when it can compute them), or why not. */
export type RuleResult =
  | {
      readonly shapes: readonly (Shape | undefined)[];
      readonly values?: readonly (readonly number[] | undefined)[];
      /** Outputs that are sequences. */
      readonly sequences?: readonly (SequenceShape | undefined)[];
    }
  | { readonly fail: string };

type Rule = (r: RuleInput) => RuleResult;

const fail = (why: string): RuleResult => ({ fail: why });
const one = (shape: Shape, value?: readonly number[]): RuleResult => ({
  shapes: [shape],
  values: value ? [value] : undefined,
});

/** Product of dims. */
export function product(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

function normAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

/** Numpy-style broadcast of shapes; undefined when incompatible. */
export function broadcast(shapes: readonly Shape[]): Shape | undefined {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    let d = 1;
    for (const s of shapes) {
      const v = s[s.length - rank + i] ?? 1;
      if (v === 1) continue;
      if (d !== 1 && d !== v) return undefined;
      d = v;
    }
    out.push(d);
  }
  return out;
}

/** Spatial attributes shared by Conv, ConvTranspose and pooling. */
interface Window {
  kernel: number[];
  strides: number[];
  dilations: number[];
  padBegin: number[];
  padEnd: number[];
  autoPad: string;
}

function windowOf(node: NodeIR, spatial: number, kernel: readonly number[]): Window {
  const strides = [...(attrInts(node, 'strides') ?? new Array<number>(spatial).fill(1))];
  const dilations = [...(attrInts(node, 'dilations') ?? new Array<number>(spatial).fill(1))];
  const pads = attrInts(node, 'pads') ?? new Array<number>(2 * spatial).fill(0);
  return {
    kernel: [...kernel],
    strides,
    dilations,
    padBegin: pads.slice(0, spatial),
    padEnd: pads.slice(spatial, 2 * spatial),
    autoPad: attrString(node, 'auto_pad', 'NOTSET'),
  };
}

/** Output spatial size of a sliding window (Conv and pooling), ONNX formulas. */
function slidingOut(d: number, w: Window, i: number, ceilMode: boolean): number {
  const s = w.strides[i] ?? 1;
  const effK = (w.dilations[i] ?? 1) * ((w.kernel[i] ?? 1) - 1) + 1;
  if (w.autoPad === 'SAME_UPPER' || w.autoPad === 'SAME_LOWER') return Math.ceil(d / s);
  if (w.autoPad === 'VALID') return Math.floor((d - effK) / s) + 1;
  const padded = d + (w.padBegin[i] ?? 0) + (w.padEnd[i] ?? 0) - effK;
  if (!ceilMode) return Math.floor(padded / s) + 1;
  let out = Math.ceil(padded / s) + 1;
  // the last window must start inside the input or the begin padding
  if ((out - 1) * s >= d + (w.padBegin[i] ?? 0)) out--;
  return out;
}

const conv: Rule = ({ node, shapes }) => {
  const [x, w] = shapes;
  if (!x || !w) return fail('input or weight shape unknown');
  const spatial = x.length - 2;
  if (spatial < 1 || w.length !== x.length)
    return fail(`input rank ${x.length} and weight rank ${w.length} do not fit`);
  const win = windowOf(node, spatial, attrInts(node, 'kernel_shape') ?? w.slice(2));
  const out = x.slice(2).map((d, i) => slidingOut(d, win, i, false));
  return one([x[0], w[0], ...out]);
};

const convTranspose: Rule = ({ node, shapes }) => {
  const [x, w] = shapes;
  if (!x || !w) return fail('input or weight shape unknown');
  const spatial = x.length - 2;
  if (spatial < 1 || w.length !== x.length)
    return fail(`input rank ${x.length} and weight rank ${w.length} do not fit`);
  const group = attrInt(node, 'group', 1);
  const cout = w[1] * group;
  const outputShape = attrInts(node, 'output_shape');
  if (outputShape) {
    const sp = outputShape.length === spatial ? outputShape : outputShape.slice(-spatial);
    return one([x[0], cout, ...sp]);
  }
  const win = windowOf(node, spatial, attrInts(node, 'kernel_shape') ?? w.slice(2));
  const outPad = attrInts(node, 'output_padding') ?? new Array<number>(spatial).fill(0);
  const out = x.slice(2).map((d, i) => {
    const s = win.strides[i] ?? 1;
    if (win.autoPad === 'SAME_UPPER' || win.autoPad === 'SAME_LOWER') return d * s;
    const effK = (win.dilations[i] ?? 1) * ((win.kernel[i] ?? 1) - 1) + 1;
    return s * (d - 1) + (outPad[i] ?? 0) + effK - (win.padBegin[i] ?? 0) - (win.padEnd[i] ?? 0);
  });
  return one([x[0], cout, ...out]);
};

const pool: Rule = ({ node, shapes }) => {
  const x = shapes[0];
  if (!x) return fail('input shape unknown');
  const kernel = attrInts(node, 'kernel_shape');
  if (!kernel) return fail('kernel_shape attribute missing');
  const spatial = x.length - 2;
  if (spatial < 1) return fail(`input rank ${x.length} has no spatial dimensions to pool over`);
  const win = windowOf(node, spatial, kernel);
  const ceil = attrInt(node, 'ceil_mode', 0) === 1;
  const out: Shape = [x[0], x[1], ...x.slice(2).map((d, i) => slidingOut(d, win, i, ceil))];
  return { shapes: node.outputs.map(() => out) };
};

const globalPool: Rule = ({ shapes }) => {
  const x = shapes[0];
  if (!x) return fail('input shape unknown');
  return one([x[0], x[1], ...x.slice(2).map(() => 1)]);
};

const gemm: Rule = ({ node, shapes }) => {
  const [a, b] = shapes;
  if (!a || !b) return fail('input shapes unknown');
  if (a.length !== 2 || b.length !== 2) return fail('Gemm inputs must be 2-D');
  const m = attrInt(node, 'transA', 0) ? a[1] : a[0];
  const n = attrInt(node, 'transB', 0) ? b[0] : b[1];
  return one([m, n]);
};

const matmul: Rule = ({ shapes }) => {
  const [a0, b0] = shapes;
  if (!a0 || !b0) return fail('input shapes unknown');
  const a = a0.length === 1 ? [1, a0[0]] : a0;
  const b = b0.length === 1 ? [b0[0], 1] : b0;
  const batch = broadcast([a.slice(0, -2), b.slice(0, -2)]);
  if (!batch) return fail('batch dimensions do not broadcast');
  const out = [...batch];
  if (a0.length !== 1) out.push(a[a.length - 2]);
  if (b0.length !== 1) out.push(b[b.length - 1]);
  return one(out);
};

/** Elementwise op over all inputs with broadcasting; folds values for shape arithmetic. */
function elementwise(fn?: (a: number, b: number) => number): Rule {
  return ({ shapes, values }) => {
    const known = shapes.filter((s): s is Shape => s !== undefined);
    if (known.length !== shapes.length || known.length === 0) return fail('input shapes unknown');
    const out = broadcast(known);
    if (!out)
      return fail(`shapes ${known.map((s) => `[${s.join(',')}]`).join(' and ')} do not broadcast`);
    let value: number[] | undefined;
    const [va, vb] = values;
    if (fn && va && vb && shapes.length === 2 && product(out) <= 64) {
      const n = product(out);
      value = Array.from({ length: n }, (_, i) =>
        fn(va[va.length === 1 ? 0 : i], vb[vb.length === 1 ? 0 : i]),
      );
      if (va.length !== 1 && va.length !== n) value = undefined;
      if (vb.length !== 1 && vb.length !== n) value = undefined;
    }
    return one(out, value);
  };
}

/** Ops that keep their input's values (casts of shape arithmetic keep integers as they are). */
const VALUE_KEEPING: ReadonlySet<string> = new Set(['Identity', 'Cast', 'CastLike']);
/** Unary ops whose small values shape arithmetic may need (an If condition, a reshape target). */
const UNARY_VALUES: ReadonlyMap<string, (v: number) => number> = new Map([
  ['Not', (v: number) => (v ? 0 : 1)],
  ['Neg', (v: number) => -v],
  ['Abs', Math.abs],
  ['Floor', Math.floor],
  ['Ceil', Math.ceil],
  ['Sign', Math.sign],
]);

/** Output 0 has the shape of input 0 (activations, normalisations, casts, ...). */
const sameAsInput: Rule = ({ node, shapes, values }) => {
  const x = shapes[0];
  if (!x) return fail('input shape unknown');
  const fn = UNARY_VALUES.get(node.opType);
  const v = values[0];
  const value = VALUE_KEEPING.has(node.opType) ? v : fn && v ? v.map(fn) : undefined;
  return { shapes: node.outputs.map((_, i) => (i === 0 ? x : undefined)), values: [value] };
};

const batchNorm: Rule = ({ node, shapes }) => {
  const x = shapes[0];
  if (!x) return fail('input shape unknown');
  return { shapes: node.outputs.map((_, i) => (i === 0 ? x : [x[1]])) };
};

const dropout: Rule = ({ node, shapes }) => {
  const x = shapes[0];
  if (!x) return fail('input shape unknown');
  return { shapes: node.outputs.map(() => x) };
};

const concat: Rule = ({ node, shapes, values }) => {
  const known = shapes.filter((s): s is Shape => s !== undefined);
  if (known.length !== shapes.length || known.length === 0) return fail('input shapes unknown');
  const rank = known[0].length;
  const axis = normAxis(attrInt(node, 'axis', 0), rank);
  const out = [...known[0]];
  out[axis] = known.reduce((sum, s) => sum + (s[axis] ?? 0), 0);
  const value =
    values.every((v) => v !== undefined) && rank <= 1 ? values.flatMap((v) => v ?? []) : undefined;
  return one(out, value);
};

const split: Rule = ({ node, opset, shapes, values }) => {
  const x = shapes[0];
  if (!x) return fail('input shape unknown');
  const axis = normAxis(attrInt(node, 'axis', 0), x.length);
  let parts: readonly number[] | undefined = opset >= 13 ? values[1] : attrInts(node, 'split');
  if (opset >= 13 && node.inputs[1] && !parts) return fail("the 'split' input is not a constant");
  const n = node.outputs.length;
  if (!parts) {
    const whole = x[axis];
    const each = Math.ceil(whole / n);
    parts = Array.from({ length: n }, (_, i) => Math.max(0, Math.min(each, whole - i * each)));
  }
  return {
    shapes: parts.map((p) => {
      const s = [...x];
      s[axis] = p;
      return s;
    }),
  };
};

/** ONNX Slice clamping of one axis. */
function sliceLength(dim: number, start: number, end: number, step: number): number {
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  let s = start < 0 ? start + dim : start;
  let e = end < 0 ? end + dim : end;
  if (step > 0) {
    s = clamp(s, 0, dim);
    e = clamp(e, 0, dim);
    return Math.max(0, Math.ceil((e - s) / step));
  }
  s = clamp(s, 0, dim - 1);
  e = clamp(e, -1, dim - 1);
  return Math.max(0, Math.ceil((e - s) / step));
}

const slice: Rule = ({ node, opset, shapes, values }) => {
  const x = shapes[0];
  if (!x) return fail('input shape unknown');
  const get = (i: number, attr: string) => (opset >= 10 ? values[i] : attrInts(node, attr));
  const starts = get(1, 'starts');
  const ends = get(2, 'ends');
  if (!starts || !ends) return fail('starts/ends are not constants');
  const axesIn = opset >= 10 && node.inputs[3] ? values[3] : attrInts(node, 'axes');
  if (opset >= 10 && node.inputs[3] && !axesIn) return fail('axes are not constants');
  const steps = opset >= 10 && node.inputs[4] ? values[4] : undefined;
  if (opset >= 10 && node.inputs[4] && !steps) return fail('steps are not constants');
  const axes = axesIn ?? starts.map((_, i) => i);
  const out = [...x];
  let value: number[] | undefined;
  const v0 = values[0];
  axes.forEach((a, i) => {
    const axis = normAxis(a, x.length);
    const step = steps?.[i] ?? 1;
    out[axis] = sliceLength(x[axis], starts[i], ends[i], step);
    if (v0 && x.length === 1) {
      let s = starts[i] < 0 ? starts[i] + x[0] : starts[i];
      s = Math.min(Math.max(s, 0), x[0]);
      value = [];
      for (let k = 0, j = s; k < out[axis]; k++, j += step) value.push(v0[j]);
    }
  });
  return one(out, value);
};

const pad: Rule = ({ node, opset, shapes, values }) => {
  const x = shapes[0];
  if (!x) return fail('input shape unknown');
  const pads = opset >= 11 ? values[1] : (attrInts(node, 'pads') ?? attrInts(node, 'paddings'));
  if (!pads) return fail('pads are not constants');
  const axes = opset >= 18 && node.inputs[3] ? values[3] : undefined;
  if (opset >= 18 && node.inputs[3] && !axes) return fail('axes are not constants');
  const ax = (axes ?? x.map((_, i) => i)).map((a) => normAxis(a, x.length));
  const out = [...x];
  ax.forEach((a, i) => {
    out[a] = x[a] + pads[i] + pads[i + ax.length];
  });
  return one(out);
};

const reshape: Rule = ({ node, shapes, values }) => {
  const x = shapes[0];
  const target = values[1] ?? attrInts(node, 'shape');
  if (!x) return fail('input shape unknown');
  if (!target) return fail('the target shape is not a constant');
  const allowZero = attrInt(node, 'allowzero', 0) === 1;
  const out = target.map((d, i) => (d === 0 && !allowZero ? x[i] : d));
  const minus = out.indexOf(-1);
  if (minus >= 0) {
    const rest = product(out.filter((_, i) => i !== minus));
    out[minus] = rest === 0 ? 0 : product(x) / rest;
  }
  if (out.some((d) => !Number.isInteger(d) || d < 0) || product(out) !== product(x)) {
    return fail(`cannot reshape [${x.join(',')}] to [${target.join(',')}]`);
  }
  return one(out, values[0]);
};

const flatten: Rule = ({ node, shapes }) => {
  const x = shapes[0];
  if (!x) return fail('input shape unknown');
  const axis = normAxis(attrInt(node, 'axis', 1), x.length);
  return one([product(x.slice(0, axis)), product(x.slice(axis))]);
};

const transpose: Rule = ({ node, shapes }) => {
  const x = shapes[0];
  if (!x) return fail('input shape unknown');
  const perm = attrInts(node, 'perm') ?? x.map((_, i) => x.length - 1 - i);
  return one(perm.map((p) => x[p]));
};

const squeeze: Rule = ({ node, opset, shapes, values }) => {
  const x = shapes[0];
  if (!x) return fail('input shape unknown');
  const axesRaw = opset >= 13 ? values[1] : attrInts(node, 'axes');
  if (opset >= 13 && node.inputs[1] && !axesRaw) return fail('axes are not constants');
  const axes = axesRaw?.map((a) => normAxis(a, x.length));
  const out = x.filter((d, i) => (axes ? !axes.includes(i) : d !== 1));
  return one(out, values[0]);
};

const unsqueeze: Rule = ({ node, opset, shapes, values }) => {
  const x = shapes[0];
  if (!x) return fail('input shape unknown');
  const axesRaw = opset >= 13 ? values[1] : attrInts(node, 'axes');
  if (!axesRaw) return fail('axes are not constants');
  const rank = x.length + axesRaw.length;
  const axes = axesRaw.map((a) => normAxis(a, rank));
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < rank; i++) out.push(axes.includes(i) ? 1 : x[j++]);
  return one(out, values[0]);
};

const resize: Rule = ({ node, opset, shapes, values }) => {
  const x = shapes[0];
  if (!x) return fail('input shape unknown');
  let scales: readonly number[] | undefined;
  let sizes: readonly number[] | undefined;
  if (node.opType === 'Upsample' && opset < 9) scales = attrFloats(node, 'scales');
  else if (node.opType === 'Upsample' || opset < 11) scales = values[1];
  else {
    scales = node.inputs[2] ? values[2] : undefined;
    sizes = node.inputs[3] ? values[3] : undefined;
    if (scales && scales.length === 0) scales = undefined;
  }
  const axes = attrInts(node, 'axes')?.map((a) => normAxis(a, x.length)) ?? x.map((_, i) => i);
  const out = [...x];
  if (sizes && sizes.length > 0) {
    axes.forEach((a, i) => (out[a] = sizes[i]));
    return one(out);
  }
  if (!scales) return fail('scales or sizes are not constants');
  axes.forEach((a, i) => (out[a] = Math.floor(x[a] * scales[i])));
  return one(out);
};

const shapeOp: Rule = ({ node, shapes }) => {
  const x = shapes[0];
  if (!x) return fail('input shape unknown');
  const rank = x.length;
  const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + rank : v, 0), rank);
  const start = clamp(attrInt(node, 'start', 0));
  const end = clamp(attrInt(node, 'end', rank));
  const dims = x.slice(start, Math.max(start, end));
  return one([dims.length], dims);
};

const gather: Rule = ({ node, shapes, values }) => {
  const [data, indices] = shapes;
  if (!data || !indices) return fail('input shapes unknown');
  const axis = normAxis(attrInt(node, 'axis', 0), data.length);
  const out = [...data.slice(0, axis), ...indices, ...data.slice(axis + 1)];
  const [dv, iv] = values;
  let value: number[] | undefined;
  if (dv && iv && data.length === 1) value = iv.map((i) => dv[i < 0 ? i + data[0] : i]);
  return one(out, value);
};

const constantOfShape: Rule = ({ values }) => {
  const dims = values[0];
  if (!dims) return fail('the shape input is not a constant');
  return one(dims);
};

const expand: Rule = ({ shapes, values }) => {
  const x = shapes[0];
  const target = values[1];
  if (!x) return fail('input shape unknown');
  if (!target) return fail('the target shape is not a constant');
  const out = broadcast([x, target]);
  return out ? one(out) : fail('shapes do not broadcast');
};

const tile: Rule = ({ shapes, values }) => {
  const x = shapes[0];
  const repeats = values[1];
  if (!x) return fail('input shape unknown');
  if (!repeats) return fail('repeats are not constants');
  return one(x.map((d, i) => d * (repeats[i] ?? 1)));
};

const range: Rule = ({ values }) => {
  const [start, limit, delta] = values;
  if (!start || !limit || !delta) return fail('start/limit/delta are not constants');
  return one([Math.max(Math.ceil((limit[0] - start[0]) / delta[0]), 0)]);
};

const reduce: Rule = ({ node, opset, shapes, values }) => {
  const x = shapes[0];
  if (!x) return fail('input shape unknown');
  const axesFromInput = node.opType === 'ReduceSum' ? opset >= 13 : opset >= 18;
  let axes = axesFromInput ? values[1] : attrInts(node, 'axes');
  if (axesFromInput && node.inputs[1] && !axes) return fail('axes are not constants');
  if (!axes || axes.length === 0) {
    if (attrInt(node, 'noop_with_empty_axes', 0)) return one(x);
    axes = x.map((_, i) => i);
  }
  const ax = axes.map((a) => normAxis(a, x.length));
  const keep = attrInt(node, 'keepdims', 1) === 1;
  const out: number[] = [];
  x.forEach((d, i) => {
    if (!ax.includes(i)) out.push(d);
    else if (keep) out.push(1);
  });
  return one(out);
};

const argReduce: Rule = ({ node, shapes }) => {
  const x = shapes[0];
  if (!x) return fail('input shape unknown');
  const axis = normAxis(attrInt(node, 'axis', 0), x.length);
  const keep = attrInt(node, 'keepdims', 1) === 1;
  return one(keep ? x.map((d, i) => (i === axis ? 1 : d)) : x.filter((_, i) => i !== axis));
};

const depthToSpace: Rule = ({ node, shapes }) => {
  const x = shapes[0];
  if (!x) return fail('input shape unknown');
  const b = attrInt(node, 'blocksize', 1);
  if (node.opType === 'DepthToSpace') return one([x[0], x[1] / (b * b), x[2] * b, x[3] * b]);
  return one([x[0], x[1] * b * b, x[2] / b, x[3] / b]);
};

/** A quantized op whose float twin's rule applies to two of its inputs (x, then the weight). */
function onInputs(rule: Rule, x: number, w: number): Rule {
  return (r) =>
    rule({ ...r, shapes: [r.shapes[x], r.shapes[w]], values: [r.values[x], r.values[w]] });
}

/** DynamicQuantizeLinear: y like x, a scalar scale and zero point. */
const dynamicQuantize: Rule = ({ shapes }) => {
  const x = shapes[0];
  if (!x) return fail('input shape unknown');
  return { shapes: [x, [], []] };
};

const size: Rule = ({ shapes }) => {
  const x = shapes[0];
  if (!x) return fail('input shape unknown');
  return one([], [product(x)]);
};

const seq = (sequences: readonly (SequenceShape | undefined)[] | undefined, i: number) =>
  sequences?.[i];

/** SequenceConstruct: a sequence of its inputs. */
const sequenceConstruct: Rule = ({ shapes }) => ({ shapes: [undefined], sequences: [shapes] });

const sequenceEmpty: Rule = () => ({ shapes: [undefined], sequences: [[]] });

/** A position in a sequence (negative from the end), or undefined when not known. */
function seqPosition(v: readonly number[] | undefined, length: number, insert: boolean) {
  if (!v) return undefined;
  const p = v[0] < 0 ? v[0] + length + (insert ? 1 : 0) : v[0];
  return p >= 0 && p <= length ? p : undefined;
}

const sequenceInsert: Rule = ({ shapes, values, sequences }) => {
  const s = seq(sequences, 0);
  if (!s) return fail('input sequence unknown');
  const at = values.length > 2 && shapes[2] ? seqPosition(values[2], s.length, true) : s.length;
  if (at === undefined) return fail('the position is not a constant');
  return { shapes: [undefined], sequences: [[...s.slice(0, at), shapes[1], ...s.slice(at)]] };
};

const sequenceErase: Rule = ({ shapes, values, sequences }) => {
  const s = seq(sequences, 0);
  if (!s) return fail('input sequence unknown');
  const at = shapes[1] ? seqPosition(values[1], s.length, false) : s.length - 1;
  if (at === undefined || at >= s.length) return fail('the position is not a constant');
  return { shapes: [undefined], sequences: [[...s.slice(0, at), ...s.slice(at + 1)]] };
};

const sequenceAt: Rule = ({ values, sequences }) => {
  const s = seq(sequences, 0);
  if (!s) return fail('input sequence unknown');
  const at = seqPosition(values[1], s.length, false);
  if (at === undefined || at >= s.length) return fail('the position is not a constant');
  const shape = s[at];
  return shape ? one(shape) : fail('the element shape is unknown');
};

const sequenceLength: Rule = ({ sequences }) => {
  const s = seq(sequences, 0);
  return s ? one([], [s.length]) : one([]);
};

const splitToSequence: Rule = ({ node, shapes, values }) => {
  const x = shapes[0];
  if (!x) return fail('input shape unknown');
  const axis = normAxis(attrInt(node, 'axis', 0), x.length);
  const keep = attrInt(node, 'keepdims', 1) === 1;
  const part = (d: number): Shape => {
    const s = [...x];
    s[axis] = d;
    return s;
  };
  if (!node.inputs[1]) {
    const one1 = keep ? part(1) : x.filter((_, i) => i !== axis);
    return { shapes: [undefined], sequences: [Array.from({ length: x[axis] }, () => one1)] };
  }
  const split = values[1];
  if (!split) return fail("the 'split' input is not a constant");
  const sizes =
    shapes[1]?.length === 0
      ? Array.from({ length: Math.ceil(x[axis] / split[0]) }, (_, i) =>
          Math.min(split[0], x[axis] - i * split[0]),
        )
      : split;
  return { shapes: [undefined], sequences: [sizes.map(part)] };
};

const concatFromSequence: Rule = ({ node, sequences }) => {
  const s = seq(sequences, 0);
  if (!s || s.length === 0 || s.some((e) => !e)) return fail('the sequence elements are unknown');
  const shapes = s as Shape[];
  const rank = shapes[0].length;
  const newAxis = attrInt(node, 'new_axis', 0) === 1;
  if (newAxis) {
    const axis = normAxis(attrInt(node, 'axis', 0), rank + 1);
    const out = [...shapes[0]];
    out.splice(axis, 0, shapes.length);
    return one(out);
  }
  const axis = normAxis(attrInt(node, 'axis', 0), rank);
  const out = [...shapes[0]];
  out[axis] = shapes.reduce((sum, e) => sum + (e[axis] ?? 0), 0);
  return one(out);
};

/** LSTM / GRU / RNN: Y, Y_h (and Y_c) from X and hidden_size (layout 0: [seq, batch, input]). */
const recurrent: Rule = ({ node, shapes }) => {
  const x = shapes[0];
  if (!x) return fail('input shape unknown');
  if (x.length !== 3) return fail(`the input [${x.join(', ')}] must be [seq, batch, features]`);
  const hidden = attrInt(node, 'hidden_size', 0);
  if (hidden <= 0) return fail('hidden_size attribute missing');
  const dirs = attrString(node, 'direction', 'forward') === 'bidirectional' ? 2 : 1;
  const batchFirst = attrInt(node, 'layout', 0) === 1;
  const [seqLen, batch] = batchFirst ? [x[1], x[0]] : [x[0], x[1]];
  const y = batchFirst ? [batch, seqLen, dirs, hidden] : [seqLen, dirs, batch, hidden];
  const state = batchFirst ? [batch, dirs, hidden] : [dirs, batch, hidden];
  return { shapes: node.outputs.map((_, i) => (i === 0 ? y : state)) };
};

const UNARY = [
  'Relu',
  'Clip',
  'Sigmoid',
  'HardSigmoid',
  'HardSwish',
  'LeakyRelu',
  'Tanh',
  'Exp',
  'Log',
  'Sqrt',
  'Neg',
  'Abs',
  'Erf',
  'Softmax',
  'LogSoftmax',
  'Identity',
  'Cast',
  'CastLike',
  'Elu',
  'Selu',
  'Gelu',
  'Mish',
  'Softplus',
  'Softsign',
  'Not',
  'Floor',
  'Ceil',
  'Round',
  'Reciprocal',
  'Sign',
  'QuantizeLinear',
  'DequantizeLinear',
  'LRN',
  'InstanceNormalization',
  'LayerNormalization',
  'GroupNormalization',
  'Hardmax',
  'Sin',
  'Cos',
  'ThresholdedRelu',
  'Celu',
  'Swish',
  'IsNaN',
  'IsInf',
  'LpNormalization',
  'MeanVarianceNormalization',
];
const BINARY = ['Mean', 'Sum', 'Where', 'PRelu', 'Mod', 'BitShift'];
/** Binary ops with the values shape arithmetic and If conditions need. */
const BINARY_VALUES: readonly [string, (a: number, b: number) => number][] = [
  ['Pow', (a, b) => a ** b],
  ['Max', Math.max],
  ['Min', Math.min],
  ['Equal', (a, b) => (a === b ? 1 : 0)],
  ['Less', (a, b) => (a < b ? 1 : 0)],
  ['Greater', (a, b) => (a > b ? 1 : 0)],
  ['LessOrEqual', (a, b) => (a <= b ? 1 : 0)],
  ['GreaterOrEqual', (a, b) => (a >= b ? 1 : 0)],
  ['And', (a, b) => (a && b ? 1 : 0)],
  ['Or', (a, b) => (a || b ? 1 : 0)],
  ['Xor', (a, b) => (!a !== !b ? 1 : 0)],
];
const REDUCE = [
  'ReduceMean',
  'ReduceSum',
  'ReduceMax',
  'ReduceMin',
  'ReduceProd',
  'ReduceL1',
  'ReduceL2',
  'ReduceLogSum',
  'ReduceLogSumExp',
  'ReduceSumSquare',
];

/** Shape rules by op type (default domain). */
export const SHAPE_RULES: ReadonlyMap<string, Rule> = new Map<string, Rule>([
  ['Conv', conv],
  ['ConvInteger', conv],
  ['ConvTranspose', convTranspose],
  ['MaxPool', pool],
  ['AveragePool', pool],
  ['LpPool', pool],
  ['GlobalAveragePool', globalPool],
  ['GlobalMaxPool', globalPool],
  ['GlobalLpPool', globalPool],
  ['Gemm', gemm],
  ['MatMul', matmul],
  ['MatMulInteger', matmul],
  ['Add', elementwise((a, b) => a + b)],
  ['Sub', elementwise((a, b) => a - b)],
  ['Mul', elementwise((a, b) => a * b)],
  // integer division truncates (ONNX int Div); float scales stay fractional
  [
    'Div',
    elementwise((a, b) => (Number.isInteger(a) && Number.isInteger(b) ? Math.trunc(a / b) : a / b)),
  ],
  ...BINARY.map((op): [string, Rule] => [op, elementwise()]),
  ...BINARY_VALUES.map(([op, fn]): [string, Rule] => [op, elementwise(fn)]),
  ...UNARY.map((op): [string, Rule] => [op, sameAsInput]),
  ['BatchNormalization', batchNorm],
  ['Dropout', dropout],
  ['Concat', concat],
  ['Split', split],
  ['Slice', slice],
  ['Pad', pad],
  ['Reshape', reshape],
  ['Flatten', flatten],
  ['Transpose', transpose],
  ['Squeeze', squeeze],
  ['Unsqueeze', unsqueeze],
  ['Resize', resize],
  ['Upsample', resize],
  ['Shape', shapeOp],
  ['Gather', gather],
  ['ConstantOfShape', constantOfShape],
  ['Expand', expand],
  ['Tile', tile],
  ['Range', range],
  ...REDUCE.map((op): [string, Rule] => [op, reduce]),
  ['ArgMax', argReduce],
  ['ArgMin', argReduce],
  ['DepthToSpace', depthToSpace],
  ['SpaceToDepth', depthToSpace],
  ['QLinearConv', onInputs(conv, 0, 3)],
  ['QLinearMatMul', onInputs(matmul, 0, 3)],
  ['DynamicQuantizeLinear', dynamicQuantize],
  ['Size', size],
  ['LSTM', recurrent],
  ['GRU', recurrent],
  ['RNN', recurrent],
  ['SequenceConstruct', sequenceConstruct],
  ['SequenceEmpty', sequenceEmpty],
  ['SequenceInsert', sequenceInsert],
  ['SequenceErase', sequenceErase],
  ['SequenceAt', sequenceAt],
  ['SequenceLength', sequenceLength],
  ['SplitToSequence', splitToSequence],
  ['ConcatFromSequence', concatFromSequence],
]);

/** Ops whose outputs are tensor sequences (their shapes are kept per element). */
export const SEQUENCE_OUTPUT_OPS: ReadonlySet<string> = new Set([
  'SequenceConstruct',
  'SequenceEmpty',
  'SequenceInsert',
  'SequenceErase',
  'SplitToSequence',
]);
