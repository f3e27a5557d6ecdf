import type { BlockMask } from './blockMask';

/** Fraction of non-zero blocks over the whole mask (the paper's ρ for every chunk of a layer). */
export function maskDensity(blocks: BlockMask): number {
  const n = blocks.nonZero.length;
  if (n === 0) return 1;
  let nz = 0;
  for (let i = 0; i < n; i++) nz += blocks.nonZero[i];
  return nz / n;
}

/**
 * ρ of a chunking: the largest fraction of non-zero 8x8 blocks over the per-core chunks of
 * Co output x Ci input channels. The cores of a column finish together, so the busiest chunk
 * sets the pace (AIE2-MODEL.md §3.6); blocks are 8 channels on each side. A refined-mode choice:
 * the paper's estimator charges every chunk at the layer's density (PAPER-COMPILER.md rule 8).
 */
export function chunkDensity(
  blocks: BlockMask,
  coutPerGroup: number,
  co: number,
  ci: number,
): number {
  const { rows, cols, groups, nonZero } = blocks;
  const rowsPerChunk = Math.max(1, Math.ceil(co / 8));
  const colsPerChunk = Math.max(1, Math.ceil(ci / 8));
  const chunkRowsPerGroup = Math.ceil(coutPerGroup / Math.max(1, co));
  let worst = 0;
  for (let g = 0; g < groups; g++) {
    for (let cr = 0; cr < chunkRowsPerGroup; cr++) {
      const r0 = Math.floor((cr * co) / 8);
      const r1 = Math.min(rows, r0 + rowsPerChunk);
      for (let c0 = 0; c0 < cols; c0 += colsPerChunk) {
        const c1 = Math.min(cols, c0 + colsPerChunk);
        let nz = 0;
        let all = 0;
        for (let r = r0; r < r1; r++) {
          for (let c = c0; c < c1; c++) {
            all++;
            nz += nonZero[(g * rows + r) * cols + c];
          }
        }
        if (all > 0) worst = Math.max(worst, nz / all);
      }
    }
  }
  return worst;
}
