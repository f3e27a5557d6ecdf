/** The Memory and ledger tabs of the model view (they change with the report only). */
import { formatBytes, formatPercent } from '../src/shared/format';
import { formatDeltaMicros, formatMicros } from '../src/shared/format';
import type { ModelViewReport } from '../src/shared/protocol';
import { layerRows } from './layerRows';
import { el, layerLink } from './dom';

function bar(fraction: number, cls = 'bar-fill'): HTMLElement {
  const b = el('span', undefined, 'bar wide');
  const f = el('span', undefined, cls);
  f.style.width = `${Math.max(0, Math.min(100, fraction * 100))}%`;
  b.append(f);
  return b;
}

/** Memory: weights dense vs compressed, the memtile occupancy against capacity, DDR spills. */
export function memoryPanel(report: ModelViewReport): HTMLElement {
  const sim = report.simulation;
  const capacity = sim ? sim.arch.memtileBytes * sim.arch.memtilesPerColumn : 0;
  const maxWeights = Math.max(1, ...report.analysis.layers.map((l) => l.denseBytesInt8));
  const table = el('table', undefined, 'layers memory');
  const head = el('tr');
  const heads: [string, string][] = [
    ['Layer', ''],
    ['Weights: dense', 'int8 weights with the zero blocks'],
    [
      'compressed',
      'analysed: the non-zero 8x8 blocks plus their per-channel and per-block overhead',
    ],
    [
      'compiled (sparse)',
      'as the compiler stores them: every per-core chunk, bias repeated per slice',
    ],
    ['Memtile use (sparse)', ''],
    ['', ''],
    ['DDR', ''],
  ];
  for (const [h, tip] of heads) {
    const th = el('th', h);
    if (tip) th.title = tip;
    head.append(th);
  }
  const thead = el('thead');
  thead.append(head);
  const body = el('tbody');
  let cumulative = 0;
  for (const r of layerRows(report)) {
    cumulative += r.layer.compressedBytesInt8;
    const tr = el('tr');
    const use = r.sparse?.memtileBytes ?? 0;
    const spill = r.sparse && (r.sparse.memory === 'ddr' || r.sparse.spillBytes > 0);
    tr.append(
      el('td', r.layer.name),
      el('td', formatBytes(r.layer.denseBytesInt8), 'num'),
      el('td', formatBytes(r.layer.compressedBytesInt8), 'num'),
      el('td', r.sparse ? formatBytes(r.sparse.compiledWeightBytes) : '', 'num'),
    );
    const barCell = el('td');
    barCell.append(bar(capacity ? use / capacity : 0, spill ? 'bar-fill warn' : 'bar-fill'));
    tr.append(
      barCell,
      el('td', capacity ? `${formatBytes(use)} of ${formatBytes(capacity)}` : '', 'num'),
    );
    const tiles = r.sparse?.splits.ddrTiles ?? 0;
    const ddr = [
      r.sparse?.memory === 'ddr' ? `DDR step, ${tiles} tile${tiles === 1 ? '' : 's'}` : '',
      r.sparse && r.sparse.spillBytes > 0 ? `spill ${formatBytes(r.sparse.spillBytes)}` : '',
    ].filter(Boolean);
    tr.append(el('td', ddr.join(', ')));
    tr.title = `cumulative compressed weights so far: ${formatBytes(cumulative)}; weights ${formatPercent(r.layer.denseBytesInt8 / maxWeights)} of the largest layer`;
    body.append(tr);
  }
  table.append(thead, body);
  const wrap = el('section');
  wrap.append(
    el(
      'p',
      `Compressed int8 weights in total: ${formatBytes(cumulative)}${capacity ? `; memtile capacity per column ${formatBytes(capacity)}` : ''}.`,
      'count',
    ),
    table,
  );
  return wrap;
}

/** The assumption ledger: paper → refined one assumption at a time, each with what it moves. */
export function ledgerPanel(
  report: ModelViewReport,
  onSelect: (layer: string) => void,
): HTMLElement {
  const wrap = el('section', undefined, 'ledger');
  wrap.append(el('h2', 'Paper → refined, one assumption at a time'));
  const l = report.ledger;
  if (!l) {
    wrap.append(
      el(
        'p',
        'Choose the refined estimate (the Estimate picker, or the blockSparse.timeModel setting) to see how each of its assumptions moves the paper estimate.',
      ),
    );
    return wrap;
  }
  const table = el('table', undefined, 'ledger-table');
  const head = el('tr');
  for (const h of [
    'Step',
    'Dense µs',
    'Sparse µs',
    'Δ dense',
    'Δ sparse',
    'Moves most',
    'What it assumes',
  ])
    head.append(el('th', h));
  table.append(el('thead'));
  table.tHead?.append(head);
  const body = el('tbody');
  const row = (cells: (string | HTMLElement)[], cls?: string) => {
    const tr = el('tr', undefined, cls);
    cells.forEach((c, i) => {
      const td = el(
        'td',
        typeof c === 'string' ? c : undefined,
        i >= 1 && i <= 4 ? 'num' : undefined,
      );
      if (typeof c !== 'string') td.append(c);
      tr.append(td);
    });
    body.append(tr);
  };
  row(
    [
      'paper',
      formatMicros(l.paper.dense),
      formatMicros(l.paper.sparse),
      '',
      '',
      '',
      "the paper's estimator",
    ],
    'total',
  );
  for (const s of l.steps) {
    const movers = el('span');
    s.movers.slice(0, 2).forEach((m, i) => {
      if (i > 0) movers.append(document.createTextNode('; '));
      movers.append(
        layerLink(m.name, onSelect),
        document.createTextNode(
          ` ${formatDeltaMicros(m.deltaDense)} / ${formatDeltaMicros(m.deltaSparse)}`,
        ),
      );
    });
    row(
      [
        s.on ? `+ ${s.assumption}` : `${s.assumption} (off)`,
        formatMicros(s.dense),
        formatMicros(s.sparse),
        formatDeltaMicros(s.deltaDense),
        formatDeltaMicros(s.deltaSparse),
        movers,
        s.summary,
      ],
      s.on ? undefined : 'off',
    );
  }
  row(
    [
      'refined',
      formatMicros(l.refined.dense),
      formatMicros(l.refined.sparse),
      formatDeltaMicros(l.refined.dense - l.paper.dense),
      formatDeltaMicros(l.refined.sparse - l.paper.sparse),
      '',
      'the sum of the steps',
    ],
    'total',
  );
  table.append(body);
  wrap.append(table);
  const sim = report.simulation;
  const runs = sim?.modes.dense?.depthRuns ?? [];
  if (runs.length > 0) {
    const saved = runs.reduce((a, r) => a + r.savedBytes, 0);
    wrap.append(
      el(
        'p',
        `Depth tiling (dense): ${runs.length} run${runs.length === 1 ? '' : 's'} of layers tiled together by height save ${formatBytes(saved)} of DDR traffic per memtile: ` +
          runs
            .map(
              (r) =>
                `${r.layers[0]} … ${r.layers[r.layers.length - 1]} (${r.layers.length} layers, ${r.tiles} tiles)`,
            )
            .join('; '),
      ),
    );
  }
  return wrap;
}
