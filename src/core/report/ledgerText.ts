import type { AssumptionLedger } from '../estimate/assumptionLedger';
import type { EstimateModel } from '../estimate/assumptions';
import { ASSUMPTION_NAMES } from '../estimate/assumptions';
import type { WhyRow } from '../estimate/whyNotFaster';
import { formatDeltaMicros, formatMicros } from '../units';
import { textTable } from './textTable';

/** "refined (all assumptions on)" / "refined, off: prefetch, channels" / "paper". */
export function modelLabel(model: EstimateModel): string {
  if (model.kind === 'paper') return 'paper';
  const off = ASSUMPTION_NAMES.filter((n) => !model.assumptions[n]);
  return off.length === 0 ? 'refined (all assumptions on)' : `refined (off: ${off.join(', ')})`;
}

/** The ledger as a table: paper, each assumption with its Δ and the layer it moves most, refined. */
export function ledgerText(l: AssumptionLedger): string {
  const rows = [
    ['paper', formatMicros(l.paper.dense), formatMicros(l.paper.sparse), '', '', ''],
    ...l.steps.map((s) => [
      s.on ? `+ ${s.assumption}` : `  ${s.assumption} (off)`,
      formatMicros(s.dense),
      formatMicros(s.sparse),
      formatDeltaMicros(s.deltaDense),
      formatDeltaMicros(s.deltaSparse),
      s.movers[0]
        ? `${s.movers[0].name} ${formatDeltaMicros(s.movers[0].deltaDense)}/${formatDeltaMicros(s.movers[0].deltaSparse)}`
        : '',
    ]),
    ['refined', formatMicros(l.refined.dense), formatMicros(l.refined.sparse), '', '', ''],
  ];
  return textTable(
    ['Step', 'Dense µs', 'Sparse µs', 'Δ dense', 'Δ sparse', 'Moves most (dense/sparse µs)'],
    rows,
    [false, true, true, true, true, false],
  );
}

/** "Why isn't it faster?" as lines: each cause with its µs and share, and the top layers. */
export function whyText(rows: readonly WhyRow[]): string {
  return rows
    .map(
      (r) =>
        `  ${formatMicros(r.seconds).padStart(12)} µs ${(r.share * 100).toFixed(1).padStart(5)}%  ${r.title}` +
        (r.layers.length
          ? `: ${r.layers
              .slice(0, 3)
              .map((x) => x.name)
              .join(', ')}`
          : ''),
    )
    .join('\n');
}
