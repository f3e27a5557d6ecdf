import type { Lane, OpProgram } from '../compiler/program';
import type { AieArchitecture } from '../target/architecture';

/** Seconds per lane of one op. */
export type LaneSeconds = Record<Lane, number>;

/** Where an op's time goes. */
export type Bound = 'compute' | 'ddr' | 'memtile-core' | 'none';

/** The timed instruction groups of one op, relative to its start (seconds). */
export interface TimedGroup {
  readonly lane: Lane;
  /** 'pre' (LOAD/LOADW), 'pass' (LOADWM), head/body/tail iterations, 'post' (WRITE). */
  readonly phase: 'pre' | 'pass' | 'head' | 'body' | 'tail' | 'post';
  readonly pass: number;
  readonly iterations: number;
  /** Negative for weights prefetched while the previous op ran (refined mode). */
  readonly start: number;
  readonly end: number;
  readonly bytes: number;
  readonly cycles: number;
}

/**
 * An op's seconds split by what the critical path waits on; the parts add up to `seconds`.
 * "Why isn't it faster?" reads its causes from here, so it can never contradict the estimate.
 */
export interface CriticalPath {
  /** LOAD/LOADW before the passes and WRITE after them. */
  readonly ddr: number;
  /** LOADWM: weight chunks into the cores, one per pass. */
  readonly weights: number;
  /** COMP on the critical path. */
  readonly compute: number;
  /** LOADFM/WRITEFM on the critical path (head/tail iterations, memtile-bound bodies). */
  readonly memtileCore: number;
}

/** An op's time under a time model. */
export interface OpTiming {
  readonly seconds: number;
  readonly lanes: LaneSeconds;
  readonly bound: Bound;
  readonly groups: readonly TimedGroup[];
  readonly path: CriticalPath;
  /** LOADW seconds that ran while the previous op computed (refined mode's prefetch). */
  readonly prefetchSeconds: number;
  /** Seconds of the passes: the DDR read channels are idle then (the next op may prefetch). */
  readonly passSeconds: number;
}

/**
 * The rules that turn an instruction stream into time. Paper mode implements AIE2-MODEL.md §4
 * literally; refined mode switches its rules by assumption (ruleTimeModel.ts).
 */
export interface TimeModel {
  readonly name: string;
  /**
   * `prefetchWindow`: seconds during which this op's weights may be loaded ahead, while the
   * previous op computes (0: none; only refined mode's prefetch uses it).
   */
  time(program: OpProgram, arch: AieArchitecture, prefetchWindow?: number): OpTiming;
}

export function zeroLanes(): LaneSeconds {
  return { LOAD: 0, LOADW: 0, LOADFM: 0, LOADWM: 0, COMP: 0, WRITEFM: 0, WRITE: 0 };
}
