import { diag, type Diagnostic } from '../diagnostics';
import { GIB, KIB } from '../units';

/** How a core's 64 KiB data memory is planned (AIE2-MODEL.md §2). */
export interface CoreBuffers {
  /** One input buffer (ping or pong). */
  readonly inputBytes: number;
  /** One input buffer when the kernel window is strided (halo rows of two iterations). */
  readonly stridedInputBytes: number;
  /** One output buffer (ping or pong). */
  readonly outputBytes: number;
  readonly weightBytes: number;
}

/** An AIE2 / AIE-ML array, as data. Bandwidths in bytes per second. */
export interface AieArchitecture {
  readonly name: string;
  readonly description: string;
  readonly columns: number;
  readonly rows: number;
  /** Memtiles per column (two memtile rows on VE2802-class parts). */
  readonly memtilesPerColumn: number;
  readonly memtileBytes: number;
  /** shared: activations and weights in the same memtiles (the paper's overlay). */
  readonly memtiles: 'shared' | 'dedicated';
  readonly core: CoreBuffers;
  readonly clockHz: number;
  /**
   * DDR channels per column in each direction: the interface tile's DMA has two MM2S (DDR →
   * array) and two S2MM (array → DDR) channels of 4 B/cycle (AM020, "Array Interface DMA").
   */
  readonly ddrChannelsPerMemtile: number;
  readonly ddrChannelBytesPerSecond: number;
  /** One memtile ↔ core stream (32-bit AXI4-Stream at the array clock: 4 GiB/s). */
  readonly memtileCoreBytesPerSecond: number;
  /** DMA channels of a memtile in each direction: six MM2S and six S2MM (UG1603, "Memory Tile"). */
  readonly memtileDmaChannels: number;
}

export const PAPER_CORE: CoreBuffers = {
  inputBytes: 8 * KIB,
  stridedInputBytes: 12 * KIB,
  outputBytes: 8 * KIB,
  weightBytes: 16 * KIB,
};

/** Everything but the array size, as the paper states it. */
export const PAPER_DEFAULTS = {
  memtilesPerColumn: 1,
  memtileBytes: 512 * KIB,
  memtiles: 'shared',
  core: PAPER_CORE,
  clockHz: 1e9,
  ddrChannelsPerMemtile: 2,
  ddrChannelBytesPerSecond: 4 * GIB,
  memtileCoreBytesPerSecond: 4 * GIB,
  memtileDmaChannels: 6,
} as const;

/** Memtile bytes available to one column's width slice. */
export function columnMemtileBytes(arch: AieArchitecture): number {
  return arch.memtilesPerColumn * arch.memtileBytes;
}

type Json = Record<string, unknown>;

function positiveInt(v: unknown, max: number): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max ? v : undefined;
}

/**
 * Validates a custom architecture (JSON file or VS Code setting). Unknown fields are refused
 * so that a typo does not silently fall back to a default. Sizes in bytes, bandwidths in GiB/s.
 */
export function parseArchitecture(input: unknown, where: string): AieArchitecture | Diagnostic[] {
  const problems: Diagnostic[] = [];
  const bad = (field: string, why: string) =>
    problems.push(diag('BS4010', 'error', `${where}: '${field}' ${why}`));
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return [diag('BS4010', 'error', `${where}: an architecture must be a JSON object`)];
  }
  const o = input as Json;
  const known = new Set([
    'name',
    'description',
    'columns',
    'rows',
    'memtilesPerColumn',
    'memtileKiB',
    'memtiles',
    'clockGHz',
    'ddrChannelsPerMemtile',
    'ddrChannelGiBps',
    'memtileCoreGiBps',
    'memtileDmaChannels',
  ]);
  for (const k of Object.keys(o))
    if (!known.has(k)) bad(k, `is not a known field (known: ${[...known].join(', ')})`);
  const name = typeof o.name === 'string' && /^[\w.-]{1,64}$/.test(o.name) ? o.name : undefined;
  if (!name) bad('name', 'must be 1–64 letters, digits, dots, dashes or underscores');
  const columns = positiveInt(o.columns, 64);
  if (!columns) bad('columns', 'must be an integer from 1 to 64');
  const rows = positiveInt(o.rows, 16);
  if (!rows) bad('rows', 'must be an integer from 1 to 16');
  const memtilesPerColumn =
    o.memtilesPerColumn === undefined ? 1 : positiveInt(o.memtilesPerColumn, 4);
  if (!memtilesPerColumn) bad('memtilesPerColumn', 'must be an integer from 1 to 4');
  const memtileKiB = o.memtileKiB === undefined ? 512 : positiveInt(o.memtileKiB, 16384);
  if (!memtileKiB) bad('memtileKiB', 'must be an integer from 1 to 16384');
  const memtiles = o.memtiles === undefined ? 'shared' : o.memtiles;
  if (memtiles !== 'shared' && memtiles !== 'dedicated')
    bad('memtiles', "must be 'shared' or 'dedicated'");
  const num = (k: string, fallback: number, max: number) => {
    const v = o[k] === undefined ? fallback : o[k];
    if (typeof v !== 'number' || !(v > 0) || v > max) {
      bad(k, `must be a number above 0 and at most ${max}`);
      return fallback;
    }
    return v;
  };
  const clockGHz = num('clockGHz', 1, 10);
  const ddrChannels =
    o.ddrChannelsPerMemtile === undefined ? 2 : positiveInt(o.ddrChannelsPerMemtile, 16);
  if (!ddrChannels) bad('ddrChannelsPerMemtile', 'must be an integer from 1 to 16');
  const memtileDma = o.memtileDmaChannels === undefined ? 6 : positiveInt(o.memtileDmaChannels, 16);
  if (!memtileDma) bad('memtileDmaChannels', 'must be an integer from 1 to 16');
  const ddrGiBps = num('ddrChannelGiBps', 4, 1024);
  const mcGiBps = num('memtileCoreGiBps', 4, 1024);
  if (
    problems.length > 0 ||
    !name ||
    !columns ||
    !rows ||
    !memtilesPerColumn ||
    !memtileKiB ||
    !ddrChannels ||
    !memtileDma
  ) {
    return problems;
  }
  return {
    name,
    description:
      typeof o.description === 'string' ? o.description : `custom ${columns} x ${rows} array`,
    columns,
    rows,
    memtilesPerColumn,
    memtileBytes: memtileKiB * KIB,
    memtiles: memtiles as 'shared' | 'dedicated',
    core: PAPER_CORE,
    clockHz: clockGHz * 1e9,
    ddrChannelsPerMemtile: ddrChannels,
    ddrChannelBytesPerSecond: ddrGiBps * GIB,
    memtileCoreBytesPerSecond: mcGiBps * GIB,
    memtileDmaChannels: memtileDma,
  };
}
