/**
 * The one compressed-weight formula (AIE2-MODEL.md §1 and §4): the bytes of the kept weights,
 * 4 bytes of bias per output channel and 2 bytes of index per 8x8 block (zero blocks' indices
 * included). The analysis applies it to a whole layer (its non-zero blocks); the compiler to one
 * per-core weight chunk, whose kept weights are ρ of Co·kh·kw·Ci.
 */
export const BIAS_BYTES_PER_CHANNEL = 4;
export const INDEX_BYTES_PER_BLOCK = 2;

export function compressedBytes(keptWeightBytes: number, channels: number, blocks: number): number {
  return keptWeightBytes + BIAS_BYTES_PER_CHANNEL * channels + INDEX_BYTES_PER_BLOCK * blocks;
}

/** One per-core chunk W = [Co, kh, kw, Ci]: w = ρ·Co·kh·kw·Ci·e + 4·Co + 2·⌈Co/8⌉·⌈Ci/8⌉. */
export function chunkBytes(
  rho: number,
  co: number,
  kh: number,
  kw: number,
  ci: number,
  elementBytes: number,
): number {
  return compressedBytes(
    rho * co * kh * kw * ci * elementBytes,
    co,
    Math.ceil(co / 8) * Math.ceil(ci / 8),
  );
}
