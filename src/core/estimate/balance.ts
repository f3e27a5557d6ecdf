import { compile } from '../compiler/compile';
import type { CompilerInput, CompilerLayer } from '../compiler/compilerInput';
import type { ChunkShape } from '../sparsify/sparsifyOptions';
import type { AieArchitecture } from '../target/architecture';
import type { Precision } from '../target/precision';
import { choicesOf, REFINED_MODEL, type EstimateModel } from './assumptions';
import { simulate } from './simulate';

/** The compiler input with some layers' block masks replaced (1 per zero block, as Sparsify plans them). */
export function withZeroMasks(
  input: CompilerInput,
  zeroMasks: ReadonlyMap<string, Uint8Array>,
): CompilerInput {
  const layers = new Map<string, CompilerLayer>();
  for (const [name, l] of input.layers) {
    const z = zeroMasks.get(name);
    if (!z || z.length !== l.mask.nonZero.length) layers.set(name, l);
    else layers.set(name, { ...l, mask: { ...l.mask, nonZero: z.map((v) => (v ? 0 : 1)) } });
  }
  return { ...input, layers };
}

/**
 * The per-core chunk each layer gets on an array at the densities Sparsify will leave (refined
 * mode's compiler, sparse): the compiler sizes a chunk by its ρ, and a balanced mask has every
 * chunk at the layer's density, so masks of that density in any pattern give the same chunks.
 */
export function chunkShapes(
  input: CompilerInput,
  arch: AieArchitecture,
  precision: Precision,
  zeroFraction: ReadonlyMap<string, number>,
): Map<string, ChunkShape> {
  const zeroMasks = new Map<string, Uint8Array>();
  for (const [name, f] of zeroFraction) {
    const l = input.layers.get(name);
    if (!l) continue;
    const n = l.mask.nonZero.length;
    const zeros = Math.round(f * n);
    zeroMasks.set(
      name,
      Uint8Array.from({ length: n }, (_, b) => (b < zeros ? 1 : 0)),
    );
  }
  const compiled = compile(withZeroMasks(input, zeroMasks), {
    arch,
    precision,
    mode: 'sparse',
    choices: { ...choicesOf(REFINED_MODEL), density: 'layer' },
  });
  const out = new Map<string, ChunkShape>();
  for (const op of compiled.plan.network.ops) {
    const t = compiled.plan.tiles.get(op.id);
    if (op.kind !== 'conv' || !t || !zeroFraction.has(op.name)) continue;
    out.set(op.name, { co: t.sub.W[0], ci: t.sub.W[3] });
  }
  return out;
}

/** One mask's refined estimate on the balancing array. */
export interface BalanceEstimate {
  readonly dense: number;
  readonly sparse: number;
  readonly speedup: number | null;
  /** Σ over layers of the blocks' score² given up (L2: squared norm of the zeroed weights). */
  readonly givenUp: number;
}

/** What balancing bought and cost: refined estimates without and with it, and the ideal. */
export interface BalanceReport {
  readonly arch: string;
  readonly unbalanced: BalanceEstimate;
  readonly balanced: BalanceEstimate;
  /** The sparse estimate with every chunk at its layer's density exactly (busiest-core off). */
  readonly evenSparse: number;
}

/** Refined-mode seconds of a model with the given zero masks (dense, sparse, speedup). */
export function refinedEstimate(
  input: CompilerInput,
  zeroMasks: ReadonlyMap<string, Uint8Array>,
  arch: AieArchitecture,
  precision: Precision,
  model: EstimateModel = REFINED_MODEL,
): { dense: number; sparse: number; speedup: number | null } {
  const r = simulate(withZeroMasks(input, zeroMasks), { arch, precision, model, trace: false });
  return {
    dense: r.modes.dense?.seconds ?? 0,
    sparse: r.modes.sparse?.seconds ?? 0,
    speedup: r.speedup,
  };
}
