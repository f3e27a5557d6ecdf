/**
 * Time ↔ pixel arithmetic for the timeline, and finding what is visible or under the pointer.
 * Pure (no DOM): unit-tested in Node.
 */

/** The visible window: [start, end) seconds drawn across `width` pixels. */
export interface TimeWindow {
  readonly start: number;
  readonly end: number;
  readonly width: number;
}

export const toX = (w: TimeWindow, t: number) => ((t - w.start) / (w.end - w.start)) * w.width;
export const toTime = (w: TimeWindow, x: number) => w.start + (x / w.width) * (w.end - w.start);

/** Zooms by `factor` (> 1 zooms in) keeping the time under pixel x fixed; clamped to [0, total]. */
export function zoomAt(
  w: TimeWindow,
  x: number,
  factor: number,
  total: number,
  minSpan = 1e-9,
): TimeWindow {
  const pivot = toTime(w, x);
  const span = Math.min(total, Math.max(minSpan, (w.end - w.start) / factor));
  let start = pivot - (x / w.width) * span;
  start = Math.max(0, Math.min(start, total - span));
  return { start, end: start + span, width: w.width };
}

/** Pans by dx pixels (positive: later times come into view); clamped to [0, total]. */
export function panBy(w: TimeWindow, dx: number, total: number): TimeWindow {
  const span = w.end - w.start;
  const start = Math.max(0, Math.min(w.start + (dx / w.width) * span, total - span));
  return { start, end: start + span, width: w.width };
}

/** Spans sorted by start, with the running maximum of their ends for visible-range search. */
export interface SpanIndex {
  readonly starts: Float64Array;
  readonly ends: Float64Array;
  readonly maxEnd: Float64Array;
}

export function indexSpans(
  spans: readonly { readonly start: number; readonly end: number }[],
): SpanIndex {
  const n = spans.length;
  const starts = new Float64Array(n);
  const ends = new Float64Array(n);
  const maxEnd = new Float64Array(n);
  let m = -Infinity;
  spans.forEach((s, i) => {
    starts[i] = s.start;
    ends[i] = s.end;
    m = Math.max(m, s.end);
    maxEnd[i] = m;
  });
  return { starts, ends, maxEnd };
}

/** [first, last) indices of spans that may overlap [t0, t1]: two binary searches. */
export function visibleRange(ix: SpanIndex, t0: number, t1: number): [number, number] {
  let lo = 0;
  let hi = ix.maxEnd.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ix.maxEnd[mid] < t0) lo = mid + 1;
    else hi = mid;
  }
  const first = lo;
  lo = first;
  hi = ix.starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ix.starts[mid] <= t1) lo = mid + 1;
    else hi = mid;
  }
  return [first, lo];
}

/** The span under time t (the latest-starting one containing it), or -1. */
export function spanAt(ix: SpanIndex, t: number): number {
  const [first, last] = visibleRange(ix, t, t);
  for (let i = last - 1; i >= first; i--) if (ix.starts[i] <= t && ix.ends[i] >= t) return i;
  return -1;
}

/** A unit of the time axis: its name and seconds per unit. */
const TIME_UNITS: readonly [string, number][] = [
  ['ns', 1e-9],
  ['µs', 1e-6],
  ['ms', 1e-3],
  ['s', 1],
];

/** An axis tick: its time and its label. */
export interface Tick {
  readonly t: number;
  readonly label: string;
}

/**
 * Ticks at round values (1, 2 or 5 × 10^k) over the window, at most about `most` of them,
 * labelled in the unit the step reads best in — ns, µs, ms or s — as Perfetto does: a 177 ms
 * run reads "50 ms", not "50000 µs"; a 2 µs zoom reads "500 ns".
 */
export function axisTicks(start: number, end: number, most = 10): Tick[] {
  const span = end - start;
  if (!(span > 0)) return [];
  const raw = span / most;
  const base = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * base).find((s) => s >= raw * (1 - 1e-9)) ?? base * 10;
  // the largest unit in which the step is at least 1
  const [unit, scale] = [...TIME_UNITS].reverse().find(([, s]) => step >= s) ?? TIME_UNITS[0];
  const digits = Math.max(0, -Math.floor(Math.log10(step / scale) + 1e-9));
  const ticks: Tick[] = [];
  for (let k = Math.ceil(start / step - 1e-9); k * step <= end + step * 1e-9; k++) {
    const t = k * step;
    ticks.push({ t, label: `${(t / scale).toFixed(digits)} ${unit}` });
  }
  return ticks;
}

/** A duration in the unit it reads best in ("4.2 ms", "830 ns"), with 3 significant digits. */
export function formatDuration(seconds: number): string {
  const [unit, scale] =
    [...TIME_UNITS].reverse().find(([, s]) => Math.abs(seconds) >= s) ?? TIME_UNITS[0];
  return `${Number((seconds / scale).toPrecision(3))} ${unit}`;
}
