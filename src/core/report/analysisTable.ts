import type { AnalysisReport } from '../analysis/analysisReport';
import { formatBytes, formatCount, formatInteger, formatPercent } from '../units';
import { textTable } from './textTable';

const shape = (s: readonly number[] | null) => (s ? s.join('x') : '?');

/** The human-readable analysis: model line, aligned per-layer table, totals line. */
export function analysisTable(file: string, report: AnalysisReport): string {
  const m = report.model;
  const head = `${file}: ${m.producer || 'unknown producer'}, opset ${m.opset}, ${m.nodes} nodes, input ${m.inputs
    .map((i) => `${i.name} ${shape(i.shape)}`)
    .join(', ')}; block ${report.block.out}x${report.block.in}`;
  const rows = report.layers.map((l) => [
    l.name,
    l.op,
    shape(l.weightShape),
    shape(l.outputShape),
    l.macs === null ? '?' : formatCount(l.macs),
    String(l.blocks),
    String(l.zeroBlocks),
    formatPercent(l.blockSparsity),
    formatPercent(l.elementSparsity),
    formatBytes(l.denseBytesInt8),
    formatBytes(l.compressedBytesInt8),
    l.sparsifiable ? 'yes' : 'no',
  ]);
  const header = [
    'Layer',
    'Op',
    'Weight',
    'Output',
    'MACs',
    'Blocks',
    'Zero',
    'Block sp',
    'Elem sp',
    'Dense int8',
    'Compressed',
    'Sparsifiable',
  ];
  const right = [false, false, false, false, true, true, true, true, true, true, true, false];
  const t = report.totals;
  const blockSp = t.blocks ? t.zeroBlocks / t.blocks : 0;
  const totals =
    `Total: ${t.layers} layers, ${formatInteger(t.params)} params, ${formatInteger(t.macs)} MACs, ` +
    `${t.zeroBlocks}/${t.blocks} zero blocks (${formatPercent(blockSp)}), ` +
    `int8 weights ${formatBytes(t.denseBytesInt8)} dense -> ${formatBytes(t.compressedBytesInt8)} compressed`;
  return [head, '', textTable(header, rows, right), '', totals].join('\n');
}
