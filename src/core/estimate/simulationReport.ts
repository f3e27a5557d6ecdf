import type { AieArchitecture } from '../target/architecture';
import type { Precision } from '../target/precision';
import type { Bound, LaneSeconds } from './timeModel';
import type { SparsityMode, Splits, SubVolume } from '../compiler/plan';
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
  readonly iterations: {
    readonly n: number;
    readonly head: number;
    readonly body: number;
    readonly tail: number;
    readonly passes: number;
  };
  /** Fraction of non-zero blocks in the busiest core's chunk (1 in dense mode). */
  readonly rho: number;
  readonly macs: number;
  /** Activation bytes moved to/from DDR only because the memtiles were full. */
  readonly spillBytes: number;
  /** Weight bytes as stored for this mode (all per-core chunks). */
  readonly weightBytes: number;
  /** Peak bytes in one memtile during the op. */
  readonly memtileBytes: number;
  readonly inDdr: boolean;
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

/** The network in one mode. */
export interface ModeResult {
  readonly mode: SparsityMode;
  readonly seconds: number;
  readonly lanes: LaneSeconds;
  readonly weightBytes: number;
  readonly peakMemtileBytes: number;
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
  readonly modes: { readonly dense?: ModeResult; readonly sparse?: ModeResult };
  /** dense seconds / sparse seconds, when both modes ran. */
  readonly speedup: number | null;
  readonly diagnostics: readonly Diagnostic[];
}
