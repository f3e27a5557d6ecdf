import type { BlockScores } from '../blocks/blockScores';
import { countOnes } from '../blocks/countOnes';
import type { ChunkShape } from './sparsifyOptions';

/**
 * How many blocks of a layer end up zero: floor(target × blocks), already-zero blocks counted
 * (never fewer than are zero already). A 1e-9 slack keeps 0.29 × 100 at 29, not 28.
 */
export function zeroBlocksWanted(target: number, blocks: number): number {
  return Math.floor(target * blocks + 1e-9);
}

/** Tracks non-zero blocks per block-row and block-column (keep-rows-cols constraint). */
class RowColGuard {
  private readonly rowNz: Int32Array;
  private readonly colNz: Int32Array;

  constructor(private readonly s: BlockScores) {
    this.rowNz = new Int32Array(s.groups * s.rows);
    this.colNz = new Int32Array(s.groups * s.cols);
    for (let b = 0; b < s.zero.length; b++) if (!s.zero[b]) this.count(b, 1);
  }

  private where(b: number) {
    const g = Math.floor(b / (this.s.rows * this.s.cols));
    const r = Math.floor(b / this.s.cols) % this.s.rows;
    const c = b % this.s.cols;
    return { row: g * this.s.rows + r, col: g * this.s.cols + c };
  }

  private count(b: number, d: number) {
    const { row, col } = this.where(b);
    this.rowNz[row] += d;
    this.colNz[col] += d;
  }

  /** Zeroes block b unless it is the last non-zero block of its row or column. */
  tryZero(b: number): boolean {
    const { row, col } = this.where(b);
    if (this.rowNz[row] <= 1 || this.colNz[col] <= 1) return false;
    this.count(b, -1);
    return true;
  }
}

/** Non-zero blocks of a layer, lowest score first (ties: lower block index first). */
function candidates(s: BlockScores, key: Float64Array): number[] {
  const ids: number[] = [];
  for (let b = 0; b < s.zero.length; b++) if (!s.zero[b]) ids.push(b);
  return ids.sort((a, b) => key[a] - key[b] || a - b);
}

/**
 * The k-th smallest value (0-based) of `a`, reordering `a`: Hoare's selection with a
 * median-of-three pivot, linear on average — a full sort of every block score was a tenth of
 * Sparsify's time on ResNet-50.
 */
export function kthSmallest(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    // median of three as the pivot
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) swap(a, i++, j--);
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/**
 * Sets in `mask` the `need` lowest-keyed non-zero blocks (ties: lower index first), found by
 * selecting the threshold key rather than sorting the blocks. Typed arrays and two passes: no
 * list of block indices, which in a one-shot CLI run cost more than the selection.
 */
function zeroLowest(s: BlockScores, key: Float64Array, need: number, mask: Uint8Array): void {
  const open = s.zero.length - countOnes(s.zero);
  if (need <= 0 || open === 0) return;
  if (need >= open) {
    mask.fill(1);
    return;
  }
  // NaN scores (NaN weights) rank last with the infinite ones, as they would in a sort; the
  // rank is written out in each loop rather than called, a call per block in a cold CLI run
  const n = s.zero.length;
  const keys = new Float64Array(open);
  for (let b = 0, k = 0; b < n; b++)
    if (!s.zero[b]) keys[k++] = key[b] === key[b] ? key[b] : Infinity;
  const threshold = kthSmallest(keys, need - 1);
  let left = need;
  for (let b = 0; b < n; b++)
    if (!s.zero[b] && (key[b] === key[b] ? key[b] : Infinity) < threshold) {
      mask[b] = 1;
      left--;
    }
  for (let b = 0; b < n && left > 0; b++)
    if (!s.zero[b] && (key[b] === key[b] ? key[b] : Infinity) === threshold) {
      mask[b] = 1;
      left--;
    }
}

/** Per-layer selection: the lowest-scoring blocks until the layer holds its wanted zero blocks. */
export function selectLayer(s: BlockScores, target: number, keepRowsCols: boolean): Uint8Array {
  const mask = Uint8Array.from(s.zero);
  let need = zeroBlocksWanted(target, s.zero.length) - countOnes(s.zero);
  if (!keepRowsCols) {
    zeroLowest(s, s.score, need, mask);
    return mask;
  }
  const guard = new RowColGuard(s);
  for (const b of candidates(s, s.score)) {
    if (need <= 0) break;
    if (!guard.tryZero(b)) continue;
    mask[b] = 1;
    need--;
  }
  return mask;
}

/**
 * Balanced selection: the layer cut into the per-core chunks of an array (Co x Ci channels:
 * ⌈Co/8⌉ block rows x ⌈Ci/8⌉ block columns, per group, as the compiler cuts them), and in every
 * chunk the lowest-scoring blocks zeroed until the chunk holds its own floor(target x blocks)
 * zero blocks. Equal chunks end with equal non-zero counts, so the busiest core keeps only its
 * share; the price is weights a per-layer threshold would have kept (reported by Sparsify).
 */
export function selectBalanced(
  s: BlockScores,
  target: number,
  chunk: ChunkShape,
  coutPerGroup: number,
): Uint8Array {
  const mask = Uint8Array.from(s.zero);
  const rowsPerChunk = Math.max(1, Math.ceil(chunk.co / 8));
  const colsPerChunk = Math.max(1, Math.ceil(chunk.ci / 8));
  const chunkRows = Math.ceil(coutPerGroup / Math.max(1, chunk.co));
  for (let g = 0; g < s.groups; g++) {
    for (let cr = 0; cr < chunkRows; cr++) {
      const r0 = Math.floor((cr * chunk.co) / 8);
      const r1 = Math.min(s.rows, r0 + rowsPerChunk);
      for (let c0 = 0; c0 < s.cols; c0 += colsPerChunk) {
        const c1 = Math.min(s.cols, c0 + colsPerChunk);
        const ids: number[] = [];
        for (let r = r0; r < r1; r++)
          for (let c = c0; c < c1; c++) ids.push((g * s.rows + r) * s.cols + c);
        let need = zeroBlocksWanted(target, ids.length) - ids.reduce((a, b) => a + mask[b], 0);
        const open = ids
          .filter((b) => !mask[b])
          .sort((a, b) => (s.score[a] || 0) - (s.score[b] || 0) || a - b);
        for (const b of open) {
          if (need-- <= 0) break;
          mask[b] = 1;
        }
      }
    }
  }
  return mask;
}

/**
 * Global selection: one threshold over the normalised scores of all layers together, so that
 * floor(target × all blocks) blocks end up zero; layers keep different sparsities.
 */
export function selectGlobal(
  layers: readonly BlockScores[],
  target: number,
  keepRowsCols: boolean,
  /** No layer is zeroed past this fraction of its blocks (the global scope's guard rail). */
  maxLayerRatio = 1,
): Uint8Array[] {
  const masks = layers.map((s) => Uint8Array.from(s.zero));
  // zero blocks each layer may still take: up to its ceiling, counting those already zero
  const room = layers.map(
    (s, l) => Math.floor(maxLayerRatio * s.zero.length + 1e-9) - countOnes(masks[l]),
  );
  const total = layers.reduce((a, s) => a + s.zero.length, 0);
  const already = layers.reduce((a, s) => a + countOnes(s.zero), 0);
  let need = zeroBlocksWanted(target, total) - already;
  const guards = layers.map((s) => (keepRowsCols ? new RowColGuard(s) : undefined));
  const pool: [number, number, number][] = [];
  layers.forEach((s, l) => {
    for (let b = 0; b < s.zero.length; b++) if (!s.zero[b]) pool.push([s.normalised[b], l, b]);
  });
  pool.sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2]);
  for (const [, l, b] of pool) {
    if (need <= 0) break;
    if (room[l] <= 0) continue;
    const guard = guards[l];
    if (guard && !guard.tryZero(b)) continue;
    masks[l][b] = 1;
    room[l]--;
    need--;
  }
  return masks;
}

/** Block-rows (output channels) and block-columns (input channels) of a mask with no non-zero block. */
export function emptyRowsCols(
  s: Pick<BlockScores, 'rows' | 'cols' | 'groups'>,
  zero: Uint8Array,
): { readonly rows: number; readonly cols: number } {
  let rows = 0;
  let cols = 0;
  for (let g = 0; g < s.groups; g++) {
    const at = (r: number, c: number) => zero[(g * s.rows + r) * s.cols + c];
    for (let r = 0; r < s.rows; r++) {
      let all = true;
      for (let c = 0; c < s.cols && all; c++) all = at(r, c) === 1;
      if (all) rows++;
    }
    for (let c = 0; c < s.cols; c++) {
      let all = true;
      for (let r = 0; r < s.rows && all; r++) all = at(r, c) === 1;
      if (all) cols++;
    }
  }
  return { rows, cols };
}
