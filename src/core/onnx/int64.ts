/** Conversion of protobuf int64 values (numbers or long.js objects) to plain numbers. */

interface LongLike {
  readonly low: number;
  readonly high: number;
  readonly unsigned: boolean;
  toNumber(): number;
}

function isLongLike(v: unknown): v is LongLike {
  return typeof v === 'object' && v !== null && 'low' in v && 'high' in v;
}

/**
 * Converts an int64 to a number. Returns undefined when the value is outside ±2^53, where a
 * double would silently round it.
 */
export function int64ToNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : undefined;
  if (typeof v === 'string') {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  if (isLongLike(v)) {
    const n = v.toNumber();
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return 0;
}

/** Converts an int64 to a number, or returns NaN for values beyond ±2^53. */
export function int64ToNumberOrNaN(v: unknown): number {
  const n = int64ToNumber(v);
  return n === undefined ? Number.NaN : n;
}
