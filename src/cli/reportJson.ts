import type { AnalysisReport, LayerReport } from '../core/report/analysisReport';

/** The CLI's JSON contract for one layer: exactly these keys, in this order. */
export function layerJson(l: LayerReport) {
  return {
    name: l.name,
    op: l.op,
    weight: l.weight,
    weightShape: l.weightShape,
    group: l.group,
    params: l.params,
    macs: l.macs,
    inputShape: l.inputShape,
    outputShape: l.outputShape,
    blocks: l.blocks,
    zeroBlocks: l.zeroBlocks,
    blockSparsity: l.blockSparsity,
    elementSparsity: l.elementSparsity,
    denseBytesInt8: l.denseBytesInt8,
    compressedBytesInt8: l.compressedBytesInt8,
    sparsifiable: l.sparsifiable,
  };
}

/** `blocksparse analyze --json` output. */
export function analysisJson(file: string, report: AnalysisReport) {
  return {
    file,
    model: report.model,
    block: `${report.block.out}x${report.block.in}`,
    layers: report.layers.map(layerJson),
    totals: report.totals,
    diagnostics: report.diagnostics.map((d) => ({
      code: d.code,
      severity: d.severity,
      message: d.message,
      node: d.node,
    })),
  };
}
