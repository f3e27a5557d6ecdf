import { PAPER_DEFAULTS, type AieArchitecture } from './architecture';

function paperSquare(i: number): AieArchitecture {
  return {
    ...PAPER_DEFAULTS,
    name: `paper-${i}x${i}`,
    description: `the paper's ${i} x ${i} overlay: ${i} columns, ${i} rows, ${i} shared memtiles`,
    columns: i,
    rows: i,
  };
}

/**
 * The built-in arrays: the paper's square overlays first, then NPU- and Versal-class parts.
 * Every part here is AIE-ML (AIE2): 512 KiB memtiles with six MM2S and six S2MM DMA channels
 * (UG1603, "AIE-ML / AIE-ML v2 Memory Tile"), and per column an interface tile with two MM2S and
 * two S2MM DDR channels of 4 B/cycle (AM020, "Array Interface DMA Memory-Mapped AXI4 Master
 * Interface"): PAPER_DEFAULTS. Array sizes are those of mlir-aie's target models
 * (AIETargetModel.h: NPU1 4-column partition, NPU2, VE2802TargetModel with two memtile rows).
 * Clocks stay at the paper's 1 GHz: AMD documents no NPU clock.
 */
export const ARCHITECTURE_PRESETS: readonly AieArchitecture[] = [
  ...[2, 3, 4, 5, 6, 7, 8].map(paperSquare),
  {
    ...PAPER_DEFAULTS,
    name: 'npu-phoenix',
    description: 'Phoenix-class Ryzen AI NPU: 4 columns x 4 rows, 4 memtiles',
    columns: 4,
    rows: 4,
  },
  {
    ...PAPER_DEFAULTS,
    name: 'npu-strix',
    description: 'Strix-class Ryzen AI NPU (XDNA 2): 8 columns x 4 rows, 8 memtiles',
    columns: 8,
    rows: 4,
  },
  {
    ...PAPER_DEFAULTS,
    name: 've2802',
    description: 'Versal AI Edge VE2802-class: 38 columns x 8 rows, two memtile rows',
    columns: 38,
    rows: 8,
    memtilesPerColumn: 2,
  },
];

export const DEFAULT_ARCHITECTURE = 'paper-4x4';

/** A preset by name, or undefined. */
export function findPreset(name: string): AieArchitecture | undefined {
  return ARCHITECTURE_PRESETS.find((a) => a.name === name);
}
