import type { Coverage } from '../estimate/coverage';
import { formatBytes, formatCount, formatMicros, formatShare } from '../units';
import type { SimLayer, SimulationReport } from '../estimate/simulationReport';
import type { AssumptionLedger } from '../estimate/assumptionLedger';
import { whyNotFaster } from '../estimate/whyNotFaster';
import { ledgerText, modelLabel, whyText } from './ledgerText';
import { textTable } from './textTable';

const dims = (d: readonly number[]) => d.join('x');

/** The human-readable simulation: per-layer dense and sparse µs, speedup and bound, then totals. */
export function simulationTable(
  file: string,
  r: SimulationReport,
  ledger: AssumptionLedger | null = null,
): string {
  const a = r.arch;
  const head =
    `${file} on ${a.name} (${a.columns} columns x ${a.rows} rows, ${a.columns * a.memtilesPerColumn} memtiles ` +
    `of ${formatBytes(a.memtileBytes)}), ${r.precision}, ${modelLabel(r.model)} estimate`;
  const { dense, sparse } = r.modes;
  const base = dense ?? sparse;
  if (!base) return head;
  const byName = (m: typeof dense) => new Map((m?.layers ?? []).map((l) => [l.name, l]));
  const d = byName(dense);
  const s = byName(sparse);
  const main = (l: SimLayer) => s.get(l.name) ?? l;
  const rows = base.layers.map((l) => {
    const dl = d.get(l.name);
    const sl = s.get(l.name);
    const m = main(l);
    return [
      l.name,
      l.op,
      dl ? formatMicros(dl.seconds) : '',
      sl ? formatMicros(sl.seconds) : '',
      dl && sl && sl.seconds > 0 ? `${(dl.seconds / sl.seconds).toFixed(2)}x` : '',
      m.bound,
      m.subvolume.W[0]
        ? `W ${dims(m.subvolume.W)} I ${dims(m.subvolume.I)} O ${dims(m.subvolume.O)}`
        : `I ${dims(m.subvolume.I)} O ${dims(m.subvolume.O)}`,
      [
        m.splits.weightGroups > 1 ? `weights/${m.splits.weightGroups}` : '',
        m.splits.channelPasses > 1 ? `channels/${m.splits.channelPasses}` : '',
        m.memory === 'ddr' ? `ddr/${m.splits.ddrTiles}` : '',
      ]
        .filter(Boolean)
        .join(' '),
    ];
  });
  const header = [
    'Layer',
    'Op',
    'Dense µs',
    'Sparse µs',
    'Speedup',
    'Bound',
    'Sub-volume',
    'Splits',
  ];
  const right = [false, false, true, true, true, false, false, false];
  const lines = [head, '', textTable(header, rows, right), ''];
  for (const [label, m] of [
    ['Dense', dense],
    ['Sparse', sparse],
  ] as const) {
    if (!m) continue;
    const perImage =
      m.batch > 1 ? ` (${m.batch} images of ${formatMicros(m.imageSeconds)} µs)` : '';
    lines.push(
      `${label}: ${formatMicros(m.seconds)} µs${perImage}, compiled weights ${formatBytes(m.compiledWeightBytes)}, ` +
        `peak memtile ${formatBytes(m.peakMemtileBytes)}, DDR per memtile ${formatBytes(m.ddrBytes)}, ` +
        `utilisation ${(m.utilisation * 100).toFixed(1)}%`,
    );
    if (m.depthRuns.length > 0) {
      const saved = m.depthRuns.reduce((x, run) => x + run.savedBytes, 0);
      lines.push(
        `  depth tiling: ${m.depthRuns.length} run${m.depthRuns.length === 1 ? '' : 's'} (` +
          m.depthRuns.map((run) => `${run.layers.length} layers in ${run.tiles} tiles`).join(', ') +
          `) save ${formatBytes(saved)} of DDR traffic per memtile`,
      );
    }
  }
  if (r.speedup !== null) lines.push(`Speedup (dense / sparse): ${r.speedup.toFixed(3)}x`);
  if (r.cpu.cutAt)
    lines.push(
      `On the CPU: everything from ${r.cpu.cutAt} on (${r.cpu.cutOps + r.cpu.cpuOps} nodes, ${formatCount(r.cpu.cutMacs)} MACs), not in the estimate`,
    );
  lines.push(coverageLine(r.coverage));
  if (ledger) lines.push('', 'Paper → refined, one assumption at a time:', ledgerText(ledger));
  const why = whyNotFaster(r);
  if (why.length > 0)
    lines.push(
      '',
      `Why isn't it faster? (${r.modes.sparse ? 'sparse' : 'dense'}, one image)`,
      whyText(why),
    );
  return lines.join('\n');
}

/** "MACs on the array: 97.3% (…); off the array: …" — what the estimate covers, in one line. */
export function coverageLine(c: Coverage): string {
  const top = c.offArray
    .filter((n) => n.macs > 0)
    .slice(0, 3)
    .map((n) => `${n.name} ${formatCount(n.macs)} (${n.reason})`);
  return (
    `MACs on the array: ${formatShare(c.macsAccelerated, c.macs)} of ${formatCount(c.macs)}; nodes: ${c.accelerated} on the array, ` +
    `${c.fused} fused, ${c.removed} removed, ${c.cpu} on the CPU, ${c.unplaced} not placeable` +
    (top.length ? `; most MACs off the array: ${top.join('; ')}` : '')
  );
}
