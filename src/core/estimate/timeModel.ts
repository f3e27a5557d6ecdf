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
  readonly start: number;
  readonly end: number;
  readonly bytes: number;
  readonly cycles: number;
}

/** An op's time under a time model. */
export interface OpTiming {
  readonly seconds: number;
  readonly lanes: LaneSeconds;
  readonly bound: Bound;
  readonly groups: readonly TimedGroup[];
}

/**
 * The rules that turn an instruction stream into time. Paper mode implements AIE2-MODEL.md §4
 * literally; a refined model is a second implementation of this interface.
 */
export interface TimeModel {
  readonly name: string;
  time(program: OpProgram, arch: AieArchitecture): OpTiming;
}

export function zeroLanes(): LaneSeconds {
  return { LOAD: 0, LOADW: 0, LOADFM: 0, LOADWM: 0, COMP: 0, WRITEFM: 0, WRITE: 0 };
}
