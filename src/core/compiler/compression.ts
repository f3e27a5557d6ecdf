import { chunkBytes } from '../blocks/compressedBytes';
import { PRECISION_INFO } from '../target/precision';
import type { LoweredOp } from './network';
import type { PassContext } from './passContext';
import type { Tiling } from './tiles';

/** A conv's weights as compiled: per-core chunks (AIE2-MODEL.md §3.6, §4). */
export interface WeightPlan {
  /** ρ every chunk is charged at (1 in dense mode; the layer's density in paper sparse mode). */
  readonly rho: number;
  /** Bytes of one per-core chunk, w = ρ·Co·kh·kw·Ci + 4·Co + 2·(Co/8)·⌈Ci/8⌉. */
  readonly chunkBytes: number;
  /** Bytes of the chunks one memtile holds (⌈N / cols⌉ · c chunks). */
  readonly memtileBytes: number;
  /**
   * Compiled weight bytes of the whole layer: every chunk as stored and loaded (N · c chunks).
   * Not the analysis's compressed bytes: chunks repeat the bias per CIN slice and pad Cin to 8.
   */
  readonly compiledBytes: number;
}

const NO_WEIGHTS: WeightPlan = { rho: 1, chunkBytes: 0, memtileBytes: 0, compiledBytes: 0 };

/** The compression pass: chunk bytes of the sub-volume the previous pass chose. */
export function compressWeights(op: LoweredOp, t: Tiling, ctx: PassContext): WeightPlan {
  if (op.kind !== 'conv') return NO_WEIGHTS;
  const [co, kh, kw, ci] = t.sub.W;
  const w = chunkBytes(t.rho, co, kh, kw, ci, PRECISION_INFO[ctx.precision].bytes);
  return {
    rho: t.rho,
    chunkBytes: w,
    memtileBytes: w * t.core.chunksPerMemtile,
    compiledBytes: w * t.core.chunks * t.core.cinSlices,
  };
}
