/**
 * What a selected time range holds, as Perfetto's area selection shows it: each lane's busy time
 * inside the range and each layer's. Pure (no DOM), unit-tested in Node.
 */

export interface RangeRow {
  readonly label: string;
  readonly mode: 'dense' | 'sparse';
  /** The layer track (one slice per layer) rather than a lane. */
  readonly layerTrack: boolean;
  readonly events: readonly {
    readonly start: number;
    readonly end: number;
    readonly layer: number;
  }[];
  readonly layers: readonly string[];
}

export interface RangeSummary {
  readonly start: number;
  readonly end: number;
  /** Per lane: seconds its slices cover inside the range (slices of one lane never overlap). */
  readonly lanes: readonly {
    readonly label: string;
    readonly seconds: number;
    readonly slices: number;
  }[];
  /** Per (mode, layer) on the layer tracks: seconds inside the range, largest first. */
  readonly layers: readonly {
    readonly mode: 'dense' | 'sparse';
    readonly name: string;
    readonly seconds: number;
  }[];
}

const overlap = (s: number, e: number, t0: number, t1: number) =>
  Math.max(0, Math.min(e, t1) - Math.max(s, t0));

export function rangeSummary(rows: readonly RangeRow[], a: number, b: number): RangeSummary {
  const start = Math.min(a, b);
  const end = Math.max(a, b);
  const lanes: { label: string; seconds: number; slices: number }[] = [];
  const layers: { mode: 'dense' | 'sparse'; name: string; seconds: number }[] = [];
  for (const row of rows) {
    if (row.layerTrack) {
      for (const e of row.events) {
        const s = overlap(e.start, e.end, start, end);
        if (s > 0) layers.push({ mode: row.mode, name: row.layers[e.layer] ?? '', seconds: s });
      }
      continue;
    }
    let seconds = 0;
    let slices = 0;
    for (const e of row.events) {
      const s = overlap(e.start, e.end, start, end);
      if (s > 0) {
        seconds += s;
        slices++;
      }
    }
    lanes.push({ label: row.label, seconds, slices });
  }
  layers.sort((x, y) => y.seconds - x.seconds);
  return { start, end, lanes, layers };
}
