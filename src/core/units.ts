/** Unit conversions and display formats: the one place that knows KiB, MiB, µs and friends. */

export const KIB = 1024;
export const MIB = 1024 * 1024;
export const GIB = 1024 * 1024 * 1024;

/** Bytes as "812 B", "12.5 KiB", "97.4 MiB", "2.10 GiB". */
export function formatBytes(bytes: number): string {
  if (bytes < KIB) return `${bytes} B`;
  if (bytes < MIB) return `${(bytes / KIB).toFixed(1)} KiB`;
  if (bytes < GIB) return `${(bytes / MIB).toFixed(1)} MiB`;
  return `${(bytes / GIB).toFixed(2)} GiB`;
}

/** Large counts as "950", "12.3 K", "4.09 G" (decimal prefixes, as MAC counts are quoted). */
export function formatCount(n: number): string {
  const abs = Math.abs(n);
  if (abs < 1e3) return String(n);
  if (abs < 1e6) return `${(n / 1e3).toFixed(1)} K`;
  if (abs < 1e9) return `${(n / 1e6).toFixed(2)} M`;
  return `${(n / 1e9).toFixed(2)} G`;
}

/** A fraction as a percentage with one decimal: 0.4871 → "48.7%". */
export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

/**
 * part / whole as a percentage with one decimal, rounded down, so that it never shows a whole
 * it is not: 99.997% is "99.9%", 0.004% is "< 0.1%" (MACs left to the CPU must not vanish).
 */
export function formatShare(part: number, whole: number): string {
  if (whole <= 0 || part >= whole) return '100%';
  if (part <= 0) return '0%';
  const tenths = Math.floor((1000 * part) / whole);
  if (tenths === 0) return '< 0.1%';
  return `${(tenths / 10).toFixed(1)}%`;
}

/** Groups thousands: 4089184256 → "4,089,184,256". */
export function formatInteger(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Seconds as microseconds with three decimals (1 ns), as the paper quotes layer times. */
export function formatMicros(seconds: number): string {
  return (seconds * 1e6).toFixed(3);
}

/** A signed µs delta: "+12.345" / "-0.500" / "0". */
export function formatDeltaMicros(seconds: number): string {
  if (seconds === 0) return '0';
  return `${seconds > 0 ? '+' : '-'}${formatMicros(Math.abs(seconds))}`;
}

/**
 * A long name shortened in the middle, where layer names differ least ('/model/layer4/…/conv2/Conv'
 * keeps its start and its end): at most `max` characters.
 */
export function middleEllipsis(name: string, max: number): string {
  if (name.length <= max || max < 3) return name;
  const head = Math.ceil((max - 1) / 2);
  const tail = Math.floor((max - 1) / 2);
  return `${name.slice(0, head)}…${name.slice(name.length - tail)}`;
}
