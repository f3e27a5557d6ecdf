/**
 * The 8x8 block mask of a layer's weight as the hardware sees it: per group, ⌈Cout/8⌉ block rows
 * by ⌈Cin/8⌉ block columns, each block spanning the whole kernel (AIE2-MODEL.md §1).
 */
export interface BlockMask {
  /** Block rows (over Cout) and columns (over Cin), per group. */
  readonly rows: number;
  readonly cols: number;
  readonly groups: number;
  /** 1 = the block holds a non-zero weight; index (g·rows + r)·cols + c. */
  readonly nonZero: Uint8Array;
}
