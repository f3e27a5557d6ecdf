import { PAPER_CHOICES, type CompilerChoices } from '../compiler/choices';
import type { KernelClass } from '../compiler/program';
import { paperTimeModel } from './paperTimeModel';
import { ruleTimeModel } from './ruleTimeModel';
import type { TimeModel } from './timeModel';

/**
 * Refined mode's departures from paper mode, each a named assumption a user can switch off on
 * its own (`--assume name=off`). In this order the ledger turns them on one by one, paper →
 * refined; with every one off, refined mode is paper mode exactly (a test holds it to that).
 */
export const ASSUMPTION_NAMES = [
  'output-compute',
  'kernel-efficiency',
  'busiest-core',
  'serialized-splits',
  'narrow-tensors',
  'classifier-on-array',
  'channels',
  'prefetch',
  'depth-tiling',
] as const;
export type AssumptionName = (typeof ASSUMPTION_NAMES)[number];

export interface Assumption {
  readonly name: AssumptionName;
  /** What it changes from paper mode, in one line (the ledger and `--help` show it). */
  readonly summary: string;
}

export const ASSUMPTIONS: readonly Assumption[] = [
  {
    name: 'output-compute',
    summary:
      "compute from the output sub-volume's MACs on each core (Oh·Ow·Co·kh·kw·Ci), not from the input tile",
  },
  {
    name: 'kernel-efficiency',
    summary: 'kernels reach a fraction of the MAC peak, per op type (see the efficiencies)',
  },
  {
    name: 'busiest-core',
    summary:
      "the busiest core's real non-zero blocks set the pace, not the layer's mean density (uneven masks cost what they cost)",
  },
  {
    name: 'serialized-splits',
    summary: 'core-level CIN and COUT splits run one after another, each with its weight load',
  },
  {
    name: 'narrow-tensors',
    summary:
      'a tensor narrower than the array spreads one pixel column per array column, instead of staying whole in one column',
  },
  {
    name: 'classifier-on-array',
    summary:
      'the graph is not cut at its first CPU op: the classifier and what follows run on the array when they can',
  },
  {
    name: 'channels',
    summary:
      'DDR: LOAD and LOADW share the two MM2S channels, evictions and WRITE use the two S2MM ones (8 GiB/s each way); memtile: WRITEFM on one stream per core row, LOADWM on the MM2S channels left',
  },
  {
    name: 'prefetch',
    summary:
      "the next layer's weights are loaded while the current one computes, when they fit beside it in the memtile",
  },
  {
    name: 'depth-tiling',
    summary:
      'runs of consecutive DDR-bound layers are tiled together by height, so the tensors between them stay in the memtiles',
  },
];

export type Assumptions = Readonly<Record<AssumptionName, boolean>>;

const every = (on: boolean) =>
  Object.fromEntries(ASSUMPTION_NAMES.map((n) => [n, on])) as Record<AssumptionName, boolean>;
export const ALL_ASSUMPTIONS: Assumptions = every(true);
export const NO_ASSUMPTIONS: Assumptions = every(false);

/** Kernel efficiency per kernel class: the fraction of the MAC peak a kernel sustains. */
export type KernelEfficiency = Readonly<Record<Exclude<KernelClass, 'none'>, number>>;

/**
 * Defaults, with their sources: AMD's published AIE-ML dense GEMM kernels reach 68–85% of the
 * MAC peak (the figure issue 13 quotes); conv takes 0.75, inside that range. A depth-wise conv
 * has one input channel per output, so the MAC array's channel reduction idles: the vector unit's
 * 64 int8 lanes of the 256-MAC datapath, 0.25. Pools and element-wise ops run on those 64 lanes
 * too, with the GEMM kernels' overhead: 0.25 x 0.8 = 0.2.
 */
export const DEFAULT_EFFICIENCY: KernelEfficiency = {
  conv: 0.75,
  depthwise: 0.25,
  pool: 0.2,
  eltwise: 0.2,
};

/** Which estimator: the paper's, or refined mode with its assumptions and efficiencies. */
export type EstimateModel =
  | { readonly kind: 'paper' }
  | {
      readonly kind: 'refined';
      readonly assumptions: Assumptions;
      readonly efficiency: KernelEfficiency;
    };

export const PAPER_MODEL: EstimateModel = { kind: 'paper' };
export const REFINED_MODEL: EstimateModel = {
  kind: 'refined',
  assumptions: ALL_ASSUMPTIONS,
  efficiency: DEFAULT_EFFICIENCY,
};

/** The assumptions a model holds (paper mode: none). */
export function assumptionsOf(model: EstimateModel): Assumptions {
  return model.kind === 'paper' ? NO_ASSUMPTIONS : model.assumptions;
}

/** The compiler choices a model's assumptions imply (the others are timing rules). */
export function choicesOf(model: EstimateModel): CompilerChoices {
  const a = assumptionsOf(model);
  return {
    ...PAPER_CHOICES,
    density: a['busiest-core'] ? 'busiest-chunk' : 'layer',
    coreSplits: a['serialized-splits'] ? 'serialized' : 'free',
    classifier: a['classifier-on-array'] ? 'on-array' : 'cut',
    depthTiling: a['depth-tiling'],
    narrowTensors: a['narrow-tensors'] ? 'spread' : 'whole',
  };
}

/** The time model of an estimate model: the paper's, or refined mode's rules from its assumptions. */
export function timeModelOf(model: EstimateModel): TimeModel {
  if (model.kind === 'paper') return paperTimeModel;
  const a = model.assumptions;
  return ruleTimeModel('refined', {
    outputCompute: a['output-compute'],
    efficiency: a['kernel-efficiency'] ? model.efficiency : null,
    channels: a.channels,
    prefetch: a.prefetch,
  });
}

/**
 * Parses `name=off` / `name=on` items (CLI `--assume`, repeatable or comma-separated) over a
 * starting set; returns why when an item is malformed or names no assumption.
 */
export function parseAssumptions(
  items: readonly string[],
  start: Assumptions = ALL_ASSUMPTIONS,
): Assumptions | string {
  const out: Record<AssumptionName, boolean> = { ...start };
  for (const item of items.flatMap((s) => s.split(',')).map((s) => s.trim())) {
    if (item === '') continue;
    const m = /^([a-z-]+)=(on|off)$/.exec(item);
    if (!m) return `'${item}': expected name=on or name=off`;
    const name = m[1] as AssumptionName;
    if (!ASSUMPTION_NAMES.includes(name))
      return `'${m[1]}' is not an assumption (known: ${ASSUMPTION_NAMES.join(', ')})`;
    out[name] = m[2] === 'on';
  }
  return out;
}

const KERNELS = Object.keys(DEFAULT_EFFICIENCY) as (keyof KernelEfficiency)[];

/** Parses `conv=0.8,pool=0.3` over the defaults (values in (0, 1]); returns why when malformed. */
export function parseEfficiency(
  items: readonly string[],
  start: KernelEfficiency = DEFAULT_EFFICIENCY,
): KernelEfficiency | string {
  const out: Record<keyof KernelEfficiency, number> = { ...start };
  for (const item of items.flatMap((s) => s.split(',')).map((s) => s.trim())) {
    if (item === '') continue;
    const m = /^([a-z]+)=([0-9.]+)$/.exec(item);
    const value = m ? Number(m[2]) : NaN;
    if (!m || !KERNELS.includes(m[1] as keyof KernelEfficiency))
      return `'${item}': expected kernel=value with kernel one of ${KERNELS.join(', ')}`;
    if (!(value > 0 && value <= 1)) return `'${item}': an efficiency is a fraction in (0, 1]`;
    out[m[1] as keyof KernelEfficiency] = value;
  }
  return out;
}
