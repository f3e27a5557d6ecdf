import type { CompilerInput } from '../compiler/compilerInput';
import type { AieArchitecture } from '../target/architecture';
import type { Precision } from '../target/precision';
import {
  ASSUMPTIONS,
  NO_ASSUMPTIONS,
  type AssumptionName,
  type Assumptions,
  type KernelEfficiency,
} from './assumptions';
import { simulate } from './simulate';
import type { ModeResult } from './simulationReport';

/** A layer an assumption moves, by how much (seconds, new − old; a layer new to the array counts from 0). */
export interface LedgerMover {
  readonly name: string;
  readonly deltaDense: number;
  readonly deltaSparse: number;
}

/** One step of the ledger: an assumption switched on over the steps before it. */
export interface LedgerStep {
  readonly assumption: AssumptionName;
  readonly summary: string;
  /** false: the user switched it off; the step moves nothing. */
  readonly on: boolean;
  /** Totals after this step (seconds, the whole batch). */
  readonly dense: number;
  readonly sparse: number;
  readonly deltaDense: number;
  readonly deltaSparse: number;
  /** The layers it moves most (at most five, largest |Δ| first). */
  readonly movers: readonly LedgerMover[];
}

/** Paper → refined, one assumption at a time; the deltas add up to refined − paper. */
export interface AssumptionLedger {
  readonly paper: { readonly dense: number; readonly sparse: number };
  readonly refined: { readonly dense: number; readonly sparse: number };
  readonly steps: readonly LedgerStep[];
}

export interface LedgerOptions {
  readonly arch: AieArchitecture;
  readonly precision?: Precision;
  readonly assumptions: Assumptions;
  readonly efficiency: KernelEfficiency;
}

const MOVERS = 5;

function movers(before: ModeResultPair, after: ModeResultPair): LedgerMover[] {
  const seconds = (m: ModeResult | undefined) => new Map(m?.layers.map((l) => [l.name, l.seconds]));
  const [bd, bs, ad, as] = [
    seconds(before.dense),
    seconds(before.sparse),
    seconds(after.dense),
    seconds(after.sparse),
  ];
  const names = new Set([...bd.keys(), ...ad.keys(), ...bs.keys(), ...as.keys()]);
  return [...names]
    .map((name) => ({
      name,
      deltaDense: (ad.get(name) ?? 0) - (bd.get(name) ?? 0),
      deltaSparse: (as.get(name) ?? 0) - (bs.get(name) ?? 0),
    }))
    .filter((m) => m.deltaDense !== 0 || m.deltaSparse !== 0)
    .sort(
      (a, b) =>
        Math.abs(b.deltaDense) +
          Math.abs(b.deltaSparse) -
          (Math.abs(a.deltaDense) + Math.abs(a.deltaSparse)) || a.name.localeCompare(b.name),
    )
    .slice(0, MOVERS);
}

interface ModeResultPair {
  readonly dense?: ModeResult;
  readonly sparse?: ModeResult;
}

/**
 * The assumption ledger: the network estimated with no assumption (paper mode exactly), then
 * with each assumption the user keeps switched on in turn, in ASSUMPTIONS order, each over the
 * ones before it. Each step's delta is the difference of two estimates, so the steps add up
 * from paper to refined by construction, and the last step is the refined estimate itself.
 */
export function assumptionLedger(input: CompilerInput, options: LedgerOptions): AssumptionLedger {
  const run = (assumptions: Assumptions): ModeResultPair =>
    simulate(input, {
      arch: options.arch,
      precision: options.precision,
      model: { kind: 'refined', assumptions, efficiency: options.efficiency },
      trace: false,
    }).modes;
  const total = (m: ModeResult | undefined) => m?.seconds ?? 0;
  let current: Record<AssumptionName, boolean> = { ...NO_ASSUMPTIONS };
  let before = run(current);
  const paper = { dense: total(before.dense), sparse: total(before.sparse) };
  const steps: LedgerStep[] = [];
  for (const a of ASSUMPTIONS) {
    const on = options.assumptions[a.name];
    const after = on ? run((current = { ...current, [a.name]: true })) : before;
    steps.push({
      assumption: a.name,
      summary: a.summary,
      on,
      dense: total(after.dense),
      sparse: total(after.sparse),
      deltaDense: total(after.dense) - total(before.dense),
      deltaSparse: total(after.sparse) - total(before.sparse),
      movers: on ? movers(before, after) : [],
    });
    before = after;
  }
  return { paper, refined: { dense: total(before.dense), sparse: total(before.sparse) }, steps };
}
