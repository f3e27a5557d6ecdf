import type { Coverage } from './coverage';
import type { AieArchitecture } from '../target/architecture';
import type { Precision } from '../target/precision';
import type { EstimateModel } from './assumptions';
import type { Bound, CriticalPath, LaneSeconds } from './timeModel';
import type { SparsityMode } from '../compiler/network';
import type { SubVolume } from '../compiler/tiles';
import type { Diagnostic } from '../diagnostics';

/** One accelerator op's simulated time in one mode. */
export interface SimLayer {
  readonly name: string;
  /** Op kind with what was fused into it, e.g. 'conv+BatchNormalization+Relu'. */
  readonly op: string;
  readonly seconds: number;
  /** Start within the network (seconds; ops never overlap). */
  readonly start: number;
  readonly lanes: LaneSeconds;
  readonly bound: Bound;
  readonly subvolume: SubVolume;
  readonly splits: Splits;
  /** fm: from the memtiles; ddr: streamed from DDR in tiles (inputs in, output out). */
  readonly memory: 'fm' | 'ddr';
  /** Its seconds by what the critical path waits on (they add up to `seconds`). */
  readonly path: CriticalPath;
  /** LOADW seconds that ran during the previous layer (refined prefetch; the layers overlap). */
  readonly prefetchSeconds: number;
  /** DDR bytes the layer moves in one memtile: LOAD + LOADW + WRITE. */
  readonly ddrBytes: number;
  /** Index into ModeResult.depthRuns of the depth-tiled run it belongs to, or null. */
  readonly depthRun: number | null;
  /** Non-zero block fraction of its weight (1 without one): ρ of the layer, not of a core. */
  readonly layerDensity: number;
  readonly iterations: {
    readonly n: number;
    readonly head: number;
    readonly body: number;
    readonly tail: number;
    readonly passes: number;
  };
  /** ρ every weight chunk is charged at (1 in dense mode; see CompilerChoices.density). */
  readonly rho: number;
  /** Sparse mode: compiled with its zero blocks kept, because compressed it would be slower. */
  readonly keptDense: boolean;
  readonly macs: number;
  /** Activation bytes moved to/from DDR only because the memtiles were full. */
  readonly spillBytes: number;
  /**
   * Compiled weight bytes: every per-core chunk as stored and loaded in this mode. Not the
   * analysis's compressed bytes (non-zero blocks + overhead): chunks repeat the bias per CIN
   * slice and pad input channels to 8.
   */
  readonly compiledWeightBytes: number;
  /** Peak bytes in one memtile during the op. */
  readonly memtileBytes: number;
}

/** How a layer is split beyond its row iterations. */
export interface Splits {
  /** Distinct per-core weight chunks (N) and the chunks one memtile holds. */
  readonly chunks: number;
  readonly chunksPerMemtile: number;
  /** Input-channel slices of a chunk and output-channel chunks of a core (core-level splits). */
  readonly cinSlices: number;
  readonly coutChunksPerCore: number;
  /** Passes over weight groups (weights that do not fit the memtile at once). */
  readonly weightGroups: number;
  /** DDR tiles of a step that streams from DDR, and their axis. */
  readonly ddrTiles: number;
  readonly ddrAxis: 'height' | 'width';
  /** Passes over channel groups (pools, element-wise ops, global average pool). */
  readonly channelPasses: number;
}

/** One timed instruction group for the timeline (and the Chrome trace). */
export interface TraceEvent {
  readonly layer: number;
  readonly lane: string;
  /** 'memtile 2' or 'core 1,3' (row, column). */
  readonly unit: string;
  readonly phase: string;
  readonly pass: number;
  readonly iterations: number;
  readonly start: number;
  readonly end: number;
  readonly bytes: number;
  readonly macs: number;
}

/** Layers tiled together by height (refined mode's depth tiling). */
export interface DepthRunReport {
  readonly layers: readonly string[];
  readonly tiles: number;
  /** DDR bytes one memtile moves less than with the layers streaming one by one. */
  readonly savedBytes: number;
}

/** The network in one mode. */
export interface ModeResult {
  readonly mode: SparsityMode;
  /** The whole batch: batch x imageSeconds (images run one after another). */
  readonly seconds: number;
  /** One image; the layers and the trace are one image's. */
  readonly imageSeconds: number;
  readonly batch: number;
  readonly lanes: LaneSeconds;
  /** Compiled weight bytes of the network in this mode (see SimLayer.compiledWeightBytes). */
  readonly compiledWeightBytes: number;
  readonly peakMemtileBytes: number;
  /** DDR bytes one memtile moves for one image (Σ layers' ddrBytes). */
  readonly ddrBytes: number;
  readonly depthRuns: readonly DepthRunReport[];
  readonly macs: number;
  /** MACs / (seconds · cores · MACs per cycle · clock). */
  readonly utilisation: number;
  readonly layers: readonly SimLayer[];
  readonly trace: readonly TraceEvent[];
}

/** `blocksparse simulate` and the views: one array, one precision, one or both modes. */
export interface SimulationReport {
  readonly arch: AieArchitecture;
  readonly precision: Precision;
  readonly timeModel: string;
  /** The estimate model: paper, or refined with its assumptions and kernel efficiencies. */
  readonly model: EstimateModel;
  readonly modes: { readonly dense?: ModeResult; readonly sparse?: ModeResult };
  /** dense seconds / sparse seconds, when both modes ran. */
  readonly speedup: number | null;
  /** What runs on the CPU instead of the array: the graph cut and the CPU ops. */
  readonly cpu: CpuWork;
  /** Where every node and MAC went (on the array, fused, removed, CPU, not placeable). */
  readonly coverage: Coverage;
  readonly diagnostics: readonly Diagnostic[];
}

/** Work outside the accelerator estimate. */
export interface CpuWork {
  /** The node the graph was cut at (paper mode: the first CPU-only node), or null. */
  readonly cutAt: string | null;
  /** Accelerator ops after the cut, and all CPU ops. */
  readonly cutOps: number;
  readonly cpuOps: number;
  /** MACs of the layers the cut left to the CPU. */
  readonly cutMacs: number;
  /** Those layers by name (the views show them as CPU work). */
  readonly cutLayers: readonly string[];
}
