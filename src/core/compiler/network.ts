import type { BlockMask } from '../blocks/blockMask';

/** dense: zero blocks kept and computed (the paper's "nocompression"); sparse: compressed. */
export type SparsityMode = 'dense' | 'sparse';

/**
 * How an ONNX tensor maps onto the array's height x width x channels: NCHW images, NCL
 * sequences of 1-D convs (H = 1, W = L), NTC sequences of matmuls (H = 1, W = T, channels last),
 * NF vectors (H = W = 1).
 */
export type ActLayout = 'nchw' | 'ncl' | 'ntc' | 'nf';

/** An activation tensor as the accelerator sees it: one image, height x width x channels. */
export interface ActTensor {
  readonly name: string;
  readonly h: number;
  readonly w: number;
  readonly c: number;
  readonly layout: ActLayout;
  /** A graph input, an accelerator op's output, or a CPU op's output (those start in DDR). */
  readonly origin: 'input' | 'op' | 'cpu';
}

export interface ConvParams {
  readonly cout: number;
  readonly cin: number;
  readonly group: number;
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  /** top, left, bottom, right */
  readonly pads: readonly [number, number, number, number];
  readonly weight: string;
  readonly mask: BlockMask;
}

export interface PoolParams {
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly pads: readonly [number, number, number, number];
}

/** Accelerator op kinds after lowering (AIE2-MODEL.md §3.1). */
export type OpKind = 'conv' | 'add' | 'mul' | 'maxpool' | 'avgpool' | 'gap' | 'concat';

/** One op of the lowered network. */
export interface LoweredOp {
  readonly id: number;
  /** Name of the ONNX node that defines the op (the conv, for a fused conv+BN+ReLU). */
  readonly name: string;
  readonly kind: OpKind;
  /** ONNX ops folded into this one, in order, e.g. ['Conv', 'BatchNormalization', 'Relu']. */
  readonly fused: readonly string[];
  /** The ONNX nodes folded into it after its own (same order as fused.slice(1)). */
  readonly fusedNodes: readonly string[];
  readonly inputs: readonly string[];
  readonly output: string;
  readonly conv?: ConvParams;
  readonly pool?: PoolParams;
  /** MACs of the op for one image (conv), or element operations (others). */
  readonly macs: number;
  /** Position of its ONNX node in the graph's topological order (the graph cut uses it). */
  readonly order: number;
}

/** An ONNX node the array does not run, with what it costs. */
export interface CpuNode {
  readonly name: string;
  readonly opType: string;
  /** Position in the graph's topological order. */
  readonly order: number;
  /** Inputs of the node that are accelerator activations (they must reach DDR). */
  readonly activationInputs: readonly string[];
  /** Why the array does not run it. */
  readonly reason: string;
}

/**
 * Where each node of the main graph ends up: an accelerator op, fused into one, removed
 * (a rename, a layout change the array does not need, shape arithmetic or a constant computed
 * before the run), or a CPU op. The compiler's later passes move ops to 'cpu' (the graph cut)
 * or 'unplaced' (too big for the array); see coverage in the simulation report.
 */
export type NodeClass = 'accelerated' | 'fused' | 'removed' | 'cpu' | 'unplaced';

/** Result of the lowering pass. */
export interface LoweredNetwork {
  readonly ops: readonly LoweredOp[];
  readonly tensors: ReadonlyMap<string, ActTensor>;
  /** Activations the graph returns. */
  readonly graphOutputs: ReadonlySet<string>;
  /** Nodes that run on the CPU, in topological order. */
  readonly cpuNodes: readonly CpuNode[];
  /** Every main-graph node's class after lowering, by node name. */
  readonly nodeClass: ReadonlyMap<string, NodeClass>;
  /** Images per run: a batch of N is compiled as N images one after another. */
  readonly batch: number;
}
