/** The model view's header: the model's facts, its inputs (with a shape editor), the estimate. */
import {
  formatBytes,
  formatCount,
  formatInteger,
  formatPercent,
  formatShare,
  weightBytesAt,
} from '../src/shared/format';
import { MAX_INPUT_DIM, type InputShape, type ModelViewReport } from '../src/shared/protocol';
import { el } from './dom';
import type { ViewContext } from './panelView';
import type { ShownModel, ViewOptions } from './viewStore';

const shape = (s: readonly number[] | null) => (s ? s.join('×') : '?');
const millis = (s: number) => `${(s * 1e3).toFixed(3)} ms`;

/** Parses '1x3x640x640' (or with ×); undefined when it is not 1 to 8 positive sizes. */
export function parseInputShape(text: string): number[] | undefined {
  const parts = text.trim().split(/\s*[x×,]\s*/i);
  if (parts.length < 1 || parts.length > 8) return undefined;
  const dims = parts.map(Number);
  return dims.every((d) => Number.isInteger(d) && d >= 1 && d <= MAX_INPUT_DIM) ? dims : undefined;
}

const isDynamic = (declared: readonly (number | string | null)[] | null) =>
  declared === null || declared.some((d) => typeof d !== 'number');

/**
 * The model's inputs: each with its shape as analysed; a dynamic one says so (which dims) and
 * gets an editor, whose shapes are kept for this model file only.
 */
function inputsEditor(
  report: ModelViewReport,
  own: readonly InputShape[],
  ctx: ViewContext,
): HTMLElement {
  const setShapes = (shapes: readonly InputShape[]) => ctx.post({ type: 'setInputShapes', shapes });
  const box = el('div', undefined, 'inputs');
  for (const i of report.analysis.model.inputs) {
    const line = el('div', undefined, 'input');
    const dynamic = isDynamic(i.declared);
    const chosen = own.find(([n]) => n === i.name);
    line.append(el('span', `${i.name} ${shape(i.shape)}`, 'input-shape'));
    if (!dynamic) {
      box.append(line);
      continue;
    }
    const dims = i.declared
      ? i.declared.map((d, k) => (typeof d === 'number' ? null : (d ?? `dim ${k}`))).filter(Boolean)
      : ['rank and sizes'];
    line.append(
      el(
        'span',
        chosen
          ? ` (dynamic ${dims.join(', ')}: set here)`
          : ` (dynamic ${dims.join(', ')}: assumed)`,
        'dynamic',
      ),
    );
    const field = document.createElement('vscode-textfield') as HTMLElement & { value: string };
    field.value = (chosen?.[1] ?? i.shape ?? []).join('x');
    field.setAttribute('aria-label', `Shape of input ${i.name}`);
    field.dataset.input = i.name;
    field.className = 'shape-field';
    const apply = document.createElement('vscode-button');
    apply.textContent = 'Apply';
    apply.setAttribute('secondary', '');
    apply.dataset.applyInput = i.name;
    const problem = el('span', '', 'problem');
    const commit = () => {
      const parsed = parseInputShape(field.value);
      if (!parsed) {
        problem.textContent = ` expected sizes like 1x3x640x640 (1 to ${MAX_INPUT_DIM} each)`;
        return;
      }
      setShapes([...own.filter(([n]) => n !== i.name), [i.name, parsed]]);
    };
    apply.addEventListener('click', commit);
    field.addEventListener('keydown', (e) => e.key === 'Enter' && commit());
    line.append(field, apply);
    if (chosen) {
      const reset = document.createElement('vscode-button');
      reset.textContent = 'Reset';
      reset.setAttribute('secondary', '');
      reset.addEventListener('click', () => setShapes(own.filter(([n]) => n !== i.name)));
      line.append(reset);
    }
    line.append(problem);
    box.append(line);
  }
  return box;
}

/** The header of a model, for the options it is shown with. */
export function summaryView(m: ShownModel, o: ViewOptions, ctx: ViewContext): HTMLElement {
  const { file, report } = m;
  const r = report.analysis;
  const t = r.totals;
  const precision = report.simulation?.precision ?? o.precision ?? 'int8';
  const box = el('section', undefined, 'summary');
  box.append(el('h1', file));
  const facts: [string, string | HTMLElement][] = [
    ['Producer', r.model.producer || 'unknown'],
    ['Opset', String(r.model.opset)],
    ['Inputs', inputsEditor(report, m.inputShapes, ctx)],
    ['Layers', String(t.layers)],
    ['Parameters', formatInteger(t.params)],
    ['MACs', `${formatInteger(t.macs)} (${formatCount(t.macs)})`],
    [
      'Block sparsity',
      `${t.zeroBlocks} / ${t.blocks} blocks (${formatPercent(t.blocks ? t.zeroBlocks / t.blocks : 0)}), block ${r.block.out}×${r.block.in}`,
    ],
    (() => {
      const w = weightBytesAt(r.layers, precision);
      return [
        `${precision} weights`,
        `${formatBytes(w.dense)} dense → ${formatBytes(w.compressed)} compressed`,
      ] as [string, string];
    })(),
  ];
  const sim = report.simulation;
  const { dense, sparse } = sim?.modes ?? {};
  if (sim && dense && sparse) {
    // the array the estimate was made for, not the picker's: a re-estimate may be on its way
    facts.push([
      `Estimate on ${sim.arch.name} (${sim.precision}, ${sim.model.kind})`,
      `${millis(dense.seconds)} dense → ${millis(sparse.seconds)} sparse (${(sim.speedup ?? 1).toFixed(2)}× faster)`,
    ]);
    facts.push([
      `Compiled weights (${sim.precision})`,
      `${formatBytes(dense.compiledWeightBytes)} dense → ${formatBytes(sparse.compiledWeightBytes)} sparse, as stored per core`,
    ]);
  }
  if (sim?.cpu.cutAt) {
    const nodes = sim.cpu.cutOps + sim.cpu.cpuOps;
    facts.push([
      'Left to the CPU',
      `the graph is cut at ${sim.cpu.cutAt}: ${nodes} node${nodes === 1 ? '' : 's'}, ${formatCount(sim.cpu.cutMacs)} MACs (not in the estimate)`,
    ]);
  }
  const coverage = sim?.coverage;
  if (coverage) {
    facts.push([
      'MACs on the array',
      `${formatShare(coverage.macsAccelerated, coverage.macs)} of ${formatCount(coverage.macs)}; nodes: ${coverage.accelerated} on the array, ` +
        `${coverage.fused} fused, ${coverage.removed} removed, ${coverage.cpu} on the CPU, ${coverage.unplaced} not placeable`,
    ]);
  }
  const dl = el('dl');
  for (const [k, v] of facts) {
    const dd = el('dd', typeof v === 'string' ? v : undefined);
    if (typeof v !== 'string') dd.append(v);
    dl.append(el('dt', k), dd);
  }
  box.append(dl);
  if (coverage && coverage.offArray.length > 0) box.append(offArrayList(coverage.offArray));
  if (m.partial && !m.report.simulation && o.arch)
    // the analysis is here; the estimate is on its way
    box.append(el('p', `Estimating on ${o.arch || 'the chosen array'}…`, 'status pending'));
  return box;
}

/** Most rows of the off-array list drawn; the rest are counted. */
const OFF_ARRAY_ROWS = 12;

/** What the array does not run, most MACs first, each with its reason (collapsed by default). */
function offArrayList(nodes: NonNullable<ModelViewReport['simulation']>['coverage']['offArray']) {
  const details = el('details', undefined, 'off-array');
  const macs = nodes.reduce((a, n) => a + n.macs, 0);
  details.append(
    el(
      'summary',
      `Not on the array: ${nodes.length} node${nodes.length === 1 ? '' : 's'}, ${formatCount(macs)} MACs`,
    ),
  );
  const list = el('ol');
  for (const n of nodes.slice(0, OFF_ARRAY_ROWS)) {
    const item = el('li');
    item.append(
      el('code', n.name),
      ` ${n.opType}${n.macs > 0 ? `, ${formatCount(n.macs)} MACs` : ''}${n.class === 'unplaced' ? ' (not placeable)' : ''}: ${n.reason}`,
    );
    list.append(item);
  }
  details.append(list);
  if (nodes.length > OFF_ARRAY_ROWS)
    details.append(el('p', `and ${nodes.length - OFF_ARRAY_ROWS} more`));
  return details;
}

/** The analysis and estimate diagnostics, each once, as list items. */
export function diagnosticItems(report: ModelViewReport): HTMLElement[] {
  const all = [...report.analysis.diagnostics, ...(report.simulation?.diagnostics ?? [])];
  return all
    .filter((d, i) => all.findIndex((x) => x.code === d.code && x.message === d.message) === i)
    .map((d) =>
      el('li', `${d.severity} ${d.code}${d.node ? ` (${d.node})` : ''}: ${d.message}`, d.severity),
    );
}

/** The diagnostics section (none when there are none). */
export function diagnosticsList(report: ModelViewReport): HTMLElement | undefined {
  const items = diagnosticItems(report);
  if (items.length === 0) return undefined;
  const box = el('section', undefined, 'diagnostics');
  box.append(el('h2', 'Diagnostics'));
  const ul = el('ul');
  ul.append(...items);
  box.append(ul);
  return box;
}
