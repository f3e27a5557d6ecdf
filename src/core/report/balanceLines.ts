import type { BalanceReport } from '../estimate/balance';
import { formatMicros } from '../units';

/** Balanced Sparsify's report: refined estimates without and with balancing, and its price. */
export function balanceLines(b: BalanceReport): string[] {
  const speed = (x: number | null) => (x === null ? '-' : `${x.toFixed(3)}x`);
  const norm = (x: number) => Math.sqrt(x).toPrecision(6);
  const even = (x: number) => `${((x / b.evenSparse - 1) * 100).toFixed(2)}%`;
  return [
    `Balanced for ${b.arch} (refined estimate, sparse µs and speedup):`,
    `  without balancing: ${formatMicros(b.unbalanced.sparse)} µs, ${speed(b.unbalanced.speedup)} (${even(b.unbalanced.sparse)} over every chunk at its layer's density)`,
    `  balanced:          ${formatMicros(b.balanced.sparse)} µs, ${speed(b.balanced.speedup)} (${even(b.balanced.sparse)} over it)`,
    `  L2 norm of the weights zeroed: ${norm(b.balanced.givenUp)} balanced, ${norm(b.unbalanced.givenUp)} without ` +
      `(+${((Math.sqrt(b.balanced.givenUp / Math.max(b.unbalanced.givenUp, 1e-300)) - 1) * 100).toFixed(3)}%)`,
  ];
}
