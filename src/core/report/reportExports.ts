import { LAYER_SUMMARY_KEYS } from './layerSummary';
import type { ModelViewReport } from './modelViewReport';
import type { AnalysisReport } from '../analysis/analysisReport';

function csvCell(v: string | number | boolean | null | undefined): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The layer table as CSV: analysis columns, then dense and sparse estimates when present. */
export function layersCsv(report: ModelViewReport): string {
  const sim = report.simulation?.modes;
  const dense = new Map((sim?.dense?.layers ?? []).map((l) => [l.name, l]));
  const sparse = new Map((sim?.sparse?.layers ?? []).map((l) => [l.name, l]));
  const header = [
    ...LAYER_SUMMARY_KEYS,
    'denseMicros',
    'sparseMicros',
    'speedup',
    'bound',
    'subvolumeW',
    'subvolumeI',
    'subvolumeO',
  ];
  const rows = report.analysis.layers.map((l) => {
    const d = dense.get(l.name);
    const s = sparse.get(l.name);
    return [
      // shapes as 1x64x56x56: one cell, no commas to quote
      ...LAYER_SUMMARY_KEYS.map((k) => {
        const v = l[k];
        return Array.isArray(v) ? v.join('x') : (v as string | number | boolean | null);
      }),
      d ? d.seconds * 1e6 : null,
      s ? s.seconds * 1e6 : null,
      d && s && s.seconds > 0 ? d.seconds / s.seconds : null,
      s?.bound ?? d?.bound,
      s?.subvolume.W.join('x'),
      s?.subvolume.I.join('x'),
      s?.subvolume.O.join('x'),
    ].map(csvCell);
  });
  return [header.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n';
}

/** The analysis with each layer's block mask and shades as plain arrays (JSON has no typed arrays). */
export function withPlainArrays(analysis: AnalysisReport) {
  return {
    ...analysis,
    layers: analysis.layers.map((l) => ({
      ...l,
      detail: {
        ...l.detail,
        blockMask: Array.from(l.detail.blockMask),
        blockShade: l.detail.blockShade && Array.from(l.detail.blockShade),
      },
    })),
  };
}

/** The whole report as JSON (block masks as arrays of 0/1; the timeline trace left out). */
export function reportJson(file: string, report: ModelViewReport): string {
  const analysis = withPlainArrays(report.analysis);
  const simulation = report.simulation && {
    ...report.simulation,
    modes: Object.fromEntries(
      Object.entries(report.simulation.modes).map(([k, m]) => [k, m && { ...m, trace: undefined }]),
    ),
  };
  return JSON.stringify({ file, analysis, simulation }, null, 2) + '\n';
}
