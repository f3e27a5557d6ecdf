import type { BlockMask } from '../blocks/blockMask';
import type { AieArchitecture } from '../target/architecture';
import type { Precision } from '../target/precision';
import type { Diagnostic } from '../diagnostics';

/** dense: zero blocks kept and computed (the paper's "nocompression"); sparse: compressed. */
export type SparsityMode = 'dense' | 'sparse';

/** An activation tensor as the accelerator sees it: batch 1, height x width x channels. */
export interface ActTensor {
  readonly name: string;
  readonly h: number;
  readonly w: number;
  readonly c: number;
  /** Where the tensor comes from: a graph input and CPU outputs start in DDR. */
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
  readonly blocks: BlockMask;
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
  readonly inputs: readonly string[];
  readonly output: string;
  readonly conv?: ConvParams;
  readonly pool?: PoolParams;
  /** MACs of the op at batch 1 (conv), or element operations (others). */
  readonly macs: number;
}

/** Result of the lowering pass. */
export interface LoweredNetwork {
  readonly ops: readonly LoweredOp[];
  readonly tensors: ReadonlyMap<string, ActTensor>;
  /** Tensors that must end up in DDR: graph outputs and inputs of CPU ops. */
  readonly ddrConsumed: ReadonlySet<string>;
  /** ONNX ops left to the CPU, by op type, with their node names. */
  readonly cpuOps: ReadonlyMap<string, readonly string[]>;
}

/** The per-core weight chunk and the per-column tiles of one pass (AIE2-MODEL.md §4 notation). */
export interface SubVolume {
  /** Per-core weight sub-volume [Co, kh, kw, Ci] (zeros for ops without weights). */
  readonly W: readonly [number, number, number, number];
  /** Per-column, per-iteration input tile [Ih, Iw, Ic], kernel halo included. */
  readonly I: readonly [number, number, number];
  /** Per-column, per-iteration output tile [Oh, Ow, Oc]. */
  readonly O: readonly [number, number, number];
}

/** How a layer is split, beyond the row iterations. */
export interface Splits {
  /** Input-channel slices (CIN-split: partial sums, no streaming). */
  readonly cinSlices: number;
  /** Output-channel groups per column (COUT-split of the output tile or memtile weight groups). */
  readonly coutGroups: number;
  /** Width tiles when the layer is computed in DDR tiles. */
  readonly ddrTiles: number;
  /** Distinct per-core weight chunks of the layer (N) and those a memtile holds. */
  readonly chunks: number;
  readonly chunksPerMemtile: number;
  /** Chunks each core computes per iteration (core-level COUT split, not serialized). */
  readonly chunksPerCore: number;
}

/** Output of the sub-volume pass for one op. */
export interface Tiling {
  readonly sub: SubVolume;
  readonly splits: Splits;
  /** Output rows one memtile holds (OMh) and rows per iteration. */
  readonly outRows: number;
  readonly iterations: number;
  /** Iterations that touch the top / bottom padding (sequential), and the overlapped rest. */
  readonly head: number;
  readonly tail: number;
  readonly body: number;
  /** Passes of the iteration loop (cinSlices x coutGroups x ddrTiles, or GAP channel passes). */
  readonly passes: number;
  /** false for CIN-split layers: iterations run one after another. */
  readonly streaming: boolean;
}

/** Output of the compression pass for one conv. */
export interface Compression {
  /** Fraction of non-zero blocks in the busiest core's chunk (1 in dense mode). */
  readonly rho: number;
  /** Bytes of one per-core chunk: ρ·Co·kh·kw·Ci·e + 4·Co + 2·(Co/8)·⌈Ci/8⌉. */
  readonly chunkBytes: number;
  /** Weight bytes of the whole layer as stored (all chunks). */
  readonly layerWeightBytes: number;
}

/** Output of the memory plan for one op. */
export interface MemoryDecision {
  /** Bytes per memtile of activations read from DDR (LOAD). */
  readonly loadBytes: number;
  /** Bytes per memtile written to DDR: evictions plus an output that goes to DDR. */
  readonly writeBytes: number;
  /** Of those, bytes moved only because memtiles were full (evictions and reloads). */
  readonly spillBytes: number;
  /** Peak bytes one memtile holds during the op (live activations + its weights). */
  readonly memtileBytes: number;
  /** The op is computed in DDR tiles (input, output or weights do not fit). */
  readonly inDdr: boolean;
  readonly evicted: readonly string[];
}

/** The instruction lanes of AIE2-MODEL.md §3.7. */
export const LANES = ['LOAD', 'LOADW', 'LOADFM', 'LOADWM', 'COMP', 'WRITEFM', 'WRITE'] as const;
export type Lane = (typeof LANES)[number];

/** One iteration's work (per column; per core for LOADWM). */
export interface IterationWork {
  readonly loadfmBytes: number;
  readonly compCycles: number;
  readonly writefmBytes: number;
}

/** A group of identical iterations: head, body or tail of a pass. */
export interface IterationGroup {
  readonly kind: 'head' | 'body' | 'tail';
  readonly iterations: number;
  readonly work: IterationWork;
}

export interface PassProgram {
  readonly loadwmBytes: number;
  readonly groups: readonly IterationGroup[];
  readonly streaming: boolean;
}

/** The instruction stream of one op, by lane (AIE2-MODEL.md §3.7). */
export interface OpProgram {
  readonly loadBytes: number;
  readonly loadwBytes: number;
  readonly writeBytes: number;
  readonly passes: readonly PassProgram[];
  /** MACs per pass per core (for the trace); total MACs of the op. */
  readonly macs: number;
}

/** One compiled op: everything the passes decided. */
export interface CompiledOp {
  readonly op: LoweredOp;
  readonly tiling: Tiling;
  readonly compression: Compression;
  readonly memory: MemoryDecision;
  readonly program: OpProgram;
}

/** The plan all passes work on; each pass fills one more field. */
export interface CompilePlan {
  readonly arch: AieArchitecture;
  readonly mode: SparsityMode;
  readonly precision: Precision;
  network?: LoweredNetwork;
  order?: readonly number[];
  tilings?: Map<number, Tiling>;
  compressions?: Map<number, Compression>;
  memory?: Map<number, MemoryDecision>;
  programs?: Map<number, OpProgram>;
  readonly diagnostics: Diagnostic[];
}
