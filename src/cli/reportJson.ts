import type { AnalysisReport } from '../core/analysis/analysisReport';
import { layerSummary } from '../core/report/layerSummary';

/** `blocksparse analyze --json` output. */
export function analysisJson(file: string, report: AnalysisReport) {
  return {
    file,
    model: report.model,
    block: `${report.block.out}x${report.block.in}`,
    layers: report.layers.map(layerSummary),
    totals: report.totals,
    diagnostics: report.diagnostics.map((d) => ({
      code: d.code,
      severity: d.severity,
      message: d.message,
      node: d.node,
    })),
  };
}
