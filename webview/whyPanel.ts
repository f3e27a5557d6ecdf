/**
 * "Why isn't it faster?": where the sparse time goes, cause by cause, ranked by the µs each costs
 * (then its share of the total); each cause opens to the layers it costs most in, and the layers
 * that gain less than 1.5× are grouped by reason, the costliest group and layer first. Every
 * layer name jumps to its row in the Layers table (and scrolls to it).
 */
import { formatMicros, formatPercent } from '../src/shared/format';
import type { ModelViewReport, SimLayer } from '../src/shared/protocol';
import { dataTable, el, layerLink } from './dom';
import { layerRows, speedupOf, speedupText, type LayerRow } from './layerRows';
import { diagnosticItems } from './summaryView';

/** Layers gaining less than this are explained one by one. */
const SLOW_SPEEDUP = 1.5;

/** Why one layer gains little: a reason kind (the group) and its specific text. */
interface SlowReason {
  readonly kind: string;
  readonly text: string;
}

const REASON_TITLES: Readonly<Record<string, string>> = {
  'not-sparsifiable': 'not sparsifiable',
  'no-zero-blocks': 'no zero blocks',
  'ddr-bound': 'DDR-bound',
  'memtile-core-bound': 'memtile–core bound',
  'dense-cin-split': 'the dense copy needs a CIN split',
  'cin-split': 'CIN split (partial sums)',
  'wider-chunk': 'compressed chunks hold more input channels',
  'kept-dense': 'kept dense',
  'weight-groups': 'weights in several groups',
  'ddr-stream': 'activations stream from DDR',
  spill: 'activations spill to DDR',
  uneven: 'uneven blocks across cores',
};

function slowReasons(r: LayerRow, report: ModelViewReport): SlowReason[] {
  const { layer, dense, sparse } = r;
  const out: SlowReason[] = [];
  const add = (kind: string, text: string) => out.push({ kind, text });
  if (!layer.sparsifiable)
    add(
      'not-sparsifiable',
      'not sparsifiable (fewer than 8 input channels per group, or depthwise)',
    );
  else if (layer.zeroBlocks === 0)
    add('no-zero-blocks', 'no zero blocks: run Sparsify… to create them');
  if (sparse?.bound === 'ddr')
    add(
      'ddr-bound',
      'DDR-bound: loading weights/activations dominates, skipping compute does not help',
    );
  if (sparse?.bound === 'memtile-core')
    add('memtile-core-bound', 'memtile–core bound: moving tiles to the cores dominates');
  const serialized = report.simulation?.timeModel !== 'paper';
  if (serialized && dense && sparse && dense.splits.cinSlices > 1 && sparse.splits.cinSlices === 1)
    add(
      'dense-cin-split',
      'dense needs a CIN split: its sparse copy does not, so COMP falls less than the sparsity',
    );
  if (serialized && sparse && sparse.splits.cinSlices > 1)
    add(
      'cin-split',
      `CIN split into ${sparse.splits.cinSlices} slices (partial sums, no streaming)`,
    );
  const ci = (l: SimLayer) => l.subvolume.W[3] ?? 0;
  if (dense && sparse && !sparse.keptDense && ci(sparse) > ci(dense))
    add(
      'wider-chunk',
      `the compressed chunk holds ${ci(sparse)} input channels where the dense one holds ${ci(dense)}: COMP per iteration grows with them, so it falls less than the sparsity`,
    );
  if (sparse?.keptDense)
    add(
      'kept-dense',
      'kept dense: compressed, this layer would run slower than with its zero blocks',
    );
  if (sparse && sparse.splits.weightGroups > 1)
    add(
      'weight-groups',
      `weights in ${sparse.splits.weightGroups} groups: each group is a pass over all rows`,
    );
  if (sparse?.memory === 'ddr')
    add(
      'ddr-stream',
      `streams from DDR in ${sparse.splits.ddrTiles} tile${sparse.splits.ddrTiles === 1 ? '' : 's'}: its activations do not fit the memtiles`,
    );
  else if (sparse && sparse.spillBytes > 0) add('spill', 'activations spill to DDR');
  if (
    layer.zeroBlocks > 0 &&
    sparse &&
    sparse.rho > layer.blockSparsity &&
    sparse.rho > 1 - layer.blockSparsity + 0.05
  )
    add(
      'uneven',
      `uneven blocks: the busiest core keeps ${formatPercent(sparse.rho)} of its blocks, the layer ${formatPercent(1 - layer.blockSparsity)}`,
    );
  return out;
}

/** A layer's time in the estimate the panel explains (sparse, else dense). */
const secondsOf = (r: LayerRow) => r.sparse?.seconds ?? r.dense?.seconds ?? 0;

interface SlowGroup {
  readonly kind: string;
  readonly seconds: number;
  readonly rows: readonly { readonly row: LayerRow; readonly text: string }[];
}

/** The layers that gain less than 1.5×, grouped by reason: costliest group, then layer, first. */
export function slowLayerGroups(report: ModelViewReport): SlowGroup[] {
  const groups = new Map<string, { row: LayerRow; text: string }[]>();
  for (const r of layerRows(report)) {
    const speedup = speedupOf(r) ?? 1;
    if (speedup >= SLOW_SPEEDUP) continue;
    for (const reason of slowReasons(r, report)) {
      const list = groups.get(reason.kind) ?? [];
      list.push({ row: r, text: reason.text });
      groups.set(reason.kind, list);
    }
  }
  return [...groups]
    .map(([kind, rows]) => ({
      kind,
      seconds: rows.reduce((a, x) => a + secondsOf(x.row), 0),
      rows: [...rows].sort((a, b) => secondsOf(b.row) - secondsOf(a.row)),
    }))
    .sort((a, b) => b.seconds - a.seconds);
}

/** Where the time goes, largest cause first, each opening to its layers. */
function causesTable(report: ModelViewReport, onSelect: (layer: string) => void): HTMLElement {
  const mode = report.simulation?.modes.sparse ? 'sparse' : 'dense';
  const total = report.why.reduce((a, r) => a + r.seconds, 0);
  const box = el('section', undefined, 'causes');
  box.append(
    el(
      'p',
      `Where one image's ${mode} time (${formatMicros(total)} µs) goes, largest cause first; open a cause for the layers it costs most in.`,
      'count',
    ),
  );
  // the cause ranking as one table (screen readers, tests), each cause's layers below it
  const t = el('table', undefined, 'causes');
  const head = el('tr');
  for (const h of ['µs', 'Share', 'Cause', 'Costs most in']) head.append(el('th', h));
  t.append(el('thead'));
  t.tHead?.append(head);
  const body = el('tbody');
  for (const r of report.why) {
    const tr = el('tr');
    const layers = el('td');
    r.layers.slice(0, 3).forEach((l, i) => {
      if (i > 0) layers.append(document.createTextNode(', '));
      layers.append(layerLink(l.name, onSelect));
    });
    tr.append(
      el('td', formatMicros(r.seconds), 'num'),
      el('td', formatPercent(r.share), 'num'),
      el('td', r.title),
      layers,
    );
    body.append(tr);
  }
  t.append(body);
  box.append(t);
  report.why.forEach((r, i) => {
    const d = el('details', undefined, 'cause');
    d.open = i === 0;
    d.dataset.cause = r.cause;
    d.append(
      el('summary', `${formatMicros(r.seconds)} µs (${formatPercent(r.share)}) · ${r.title}`),
    );
    d.append(
      dataTable(
        'why-layers',
        `The layers where “${r.title}” costs most`,
        ['Layer', 'µs', 'Share of the total'],
        r.layers.map((l) => [
          layerLink(l.name, onSelect),
          formatMicros(l.seconds),
          formatPercent(total > 0 ? l.seconds / total : 0),
        ]),
        [1, 2],
      ),
    );
    box.append(d);
  });
  return box;
}

export function whyPanel(report: ModelViewReport, onSelect: (layer: string) => void): HTMLElement {
  const wrap = el('section', undefined, 'diagnostics');
  wrap.append(el('h2', "Why isn't it faster?"));
  if (report.why.length > 0) wrap.append(causesTable(report, onSelect));
  const groups = slowLayerGroups(report);
  wrap.append(
    el(
      'h3',
      `Layers that gain less than ${SLOW_SPEEDUP}×, by reason (the costliest reason and layer first)`,
    ),
  );
  if (groups.length === 0)
    wrap.append(el('p', 'Every layer gains at least 1.5× or has nothing to explain.'));
  for (const g of groups) {
    const d = el('details', undefined, 'slow-group');
    d.open = true;
    d.dataset.reason = g.kind;
    d.append(
      el(
        'summary',
        `${REASON_TITLES[g.kind] ?? g.kind}: ${g.rows.length} layer${g.rows.length === 1 ? '' : 's'}, ${formatMicros(g.seconds)} µs`,
      ),
    );
    d.append(
      dataTable(
        'why-layers',
        `Layers ${REASON_TITLES[g.kind] ?? g.kind}`,
        ['Layer', 'µs', 'Speedup', 'Why'],
        g.rows.map(({ row, text }) => [
          layerLink(row.layer.name, onSelect),
          formatMicros(secondsOf(row)),
          speedupText(row),
          text,
        ]),
        [1, 2],
      ),
    );
    wrap.append(d);
  }
  wrap.append(el('h2', 'Diagnostics'));
  const dl = el('ul');
  const items = diagnosticItems(report);
  dl.append(...(items.length ? items : [el('li', 'None.')]));
  wrap.append(dl);
  return wrap;
}
