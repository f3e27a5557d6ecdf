import { attrInt } from '../onnx/attributes';
import type { ConstantScope, ConstantValue } from '../onnx/constantScope';
import type { NodeIR } from '../onnx/ir';
import type { Shape } from '../onnx/shapeRules';
import { product } from '../onnx/shapeRules';
import type { WeightLayout } from './blockGrid';

/** How one layer op uses its weight: where it is, how it is laid out, what it costs. */
export interface LayerWeightUse {
  /** The activation input (the data the layer multiplies). */
  readonly dataInput: number;
  readonly weightInput: number;
  readonly biasInput: number | undefined;
  /**
   * Quantized layers: the weight's zero-point input and the axis a per-channel zero point runs
   * along (Cout for convs, N for matmuls); a weight equal to its zero point is a zero.
   */
  readonly zeroPoint?: { readonly input: number; axis(rank: number): number };
  /** The float op this one is estimated like ('Conv' for QLinearConv). */
  readonly base: 'Conv' | 'ConvTranspose' | 'Gemm' | 'MatMul';
  /** Layout of the (Cout, Cin) block grid in the flat weight, or why it does not fit. */
  layout(node: NodeIR, w: readonly number[]): WeightLayout | string;
  /** MACs at the model's batch, or null when a needed shape is unknown. */
  macs(layout: WeightLayout, input: Shape | undefined, output: Shape | undefined): number | null;
  /** Kernel spatial shape, for display. */
  kernelShape(w: readonly number[]): readonly number[];
}

const conv: LayerWeightUse = {
  base: 'Conv',
  dataInput: 0,
  weightInput: 1,
  biasInput: 2,
  layout(node, w) {
    if (w.length < 3) return `a Conv weight must have rank ≥ 3, got [${w.join(', ')}]`;
    const groups = Math.max(1, attrInt(node, 'group', 1));
    if (w[0] % groups !== 0) return `Cout ${w[0]} is not divisible by group ${groups}`;
    const kernel = product(w.slice(2));
    const coutPerGroup = w[0] / groups;
    return {
      groups,
      coutPerGroup,
      cinPerGroup: w[1],
      kernel,
      groupStride: coutPerGroup * w[1] * kernel,
      outStride: w[1] * kernel,
      inStride: kernel,
    };
  },
  macs: (l, _in, out) => (out ? product(out) * l.cinPerGroup * l.kernel : null),
  kernelShape: (w) => w.slice(2),
};

const convTranspose: LayerWeightUse = {
  base: 'ConvTranspose',
  dataInput: 0,
  weightInput: 1,
  biasInput: 2,
  layout(node, w) {
    if (w.length < 3) return `a ConvTranspose weight must have rank ≥ 3, got [${w.join(', ')}]`;
    const groups = Math.max(1, attrInt(node, 'group', 1));
    if (w[0] % groups !== 0) return `Cin ${w[0]} is not divisible by group ${groups}`;
    const kernel = product(w.slice(2));
    const cinPerGroup = w[0] / groups;
    return {
      groups,
      coutPerGroup: w[1],
      cinPerGroup,
      kernel,
      groupStride: cinPerGroup * w[1] * kernel,
      outStride: kernel,
      inStride: w[1] * kernel,
    };
  },
  // every input pixel is scattered through the kernel to Cout/group channels
  macs: (l, input) => (input ? product(input) * l.coutPerGroup * l.kernel : null),
  kernelShape: (w) => w.slice(2),
};

const gemm: LayerWeightUse = {
  base: 'Gemm',
  dataInput: 0,
  weightInput: 1,
  biasInput: 2,
  layout(node, w) {
    if (w.length !== 2) return `a Gemm weight must be 2-D, got [${w.join(', ')}]`;
    const transB = attrInt(node, 'transB', 0) === 1;
    const [cout, cin] = transB ? [w[0], w[1]] : [w[1], w[0]];
    return {
      groups: 1,
      coutPerGroup: cout,
      cinPerGroup: cin,
      kernel: 1,
      groupStride: 0,
      outStride: transB ? cin : 1,
      inStride: transB ? 1 : cout,
    };
  },
  macs: (l, _in, out) => (out ? product(out) * l.cinPerGroup : null),
  kernelShape: () => [1, 1],
};

const matmul: LayerWeightUse = {
  base: 'MatMul',
  dataInput: 0,
  weightInput: 1,
  biasInput: undefined,
  layout(_node, w) {
    if (w.length === 0) return 'a MatMul weight must have rank ≥ 1';
    const [k, n] = w.length === 1 ? [w[0], 1] : [w[w.length - 2], w[w.length - 1]];
    return {
      groups: w.length > 2 ? product(w.slice(0, -2)) : 1,
      coutPerGroup: n,
      cinPerGroup: k,
      kernel: 1,
      groupStride: k * n,
      outStride: 1,
      inStride: n,
    };
  },
  macs: (l, _in, out) => (out ? product(out) * l.cinPerGroup : null),
  kernelShape: () => [1, 1],
};

/** Per output channel: axis 0 of a conv weight [Cout, Cin, k...]. */
const convZeroPoint = { axis: () => 0 };
/** Per column: the last axis of a matmul weight [K, N]. */
const matmulZeroPoint = { axis: (rank: number) => rank - 1 };

/** The ops analysed as layers, by op type: the float layers and their quantized forms. */
export const LAYER_OPS: ReadonlyMap<string, LayerWeightUse> = new Map([
  ['Conv', conv],
  ['ConvTranspose', convTranspose],
  ['Gemm', gemm],
  ['MatMul', matmul],
  // ConvInteger(x, w, x_zero_point, w_zero_point)
  ['ConvInteger', { ...conv, biasInput: undefined, zeroPoint: { input: 3, ...convZeroPoint } }],
  // QLinearConv(x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp, B)
  [
    'QLinearConv',
    { ...conv, weightInput: 3, biasInput: 8, zeroPoint: { input: 5, ...convZeroPoint } },
  ],
  // MatMulInteger(A, B, a_zero_point, b_zero_point)
  ['MatMulInteger', { ...matmul, zeroPoint: { input: 3, ...matmulZeroPoint } }],
  // QLinearMatMul(a, a_scale, a_zp, b, b_scale, b_zp, y_scale, y_zp)
  ['QLinearMatMul', { ...matmul, weightInput: 3, zeroPoint: { input: 5, ...matmulZeroPoint } }],
]);

/** The bias/weight constant of a layer input, if that input is a constant. */
export function constantInput(
  node: NodeIR,
  index: number | undefined,
  get: (name: string) => ConstantValue | undefined,
): ConstantValue | undefined {
  if (index === undefined) return undefined;
  const name = node.inputs[index];
  return name ? get(name) : undefined;
}

/**
 * The weight of a layer as its blocks are read: the constant, less its zero point for the
 * quantized ops. `missing` names what is not a constant (the weight or its zero point).
 */
export function layerWeight(
  node: NodeIR,
  use: LayerWeightUse,
  constants: ConstantScope,
  where: string,
): { weight: ConstantValue } | { missing: 'weight' | 'zero point' } {
  const stored = constantInput(node, use.weightInput, (n) => constants.get(n));
  if (!stored) return { missing: 'weight' };
  if (!use.zeroPoint) return { weight: stored };
  const weight = constants.lessZeroPoint(
    stored,
    node.inputs[use.zeroPoint.input] ?? '',
    use.zeroPoint.axis(stored.dims.length),
    where,
  );
  return weight ? { weight } : { missing: 'zero point' };
}
