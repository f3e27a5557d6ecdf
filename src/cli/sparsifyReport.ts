import type { Diagnostic } from '../core/diagnostics';
import { textTable } from '../core/report/textTable';
import { formatPercent } from '../core/units';
import { balanceLines } from '../core/report/balanceLines';
import type { SparsifyFileResult } from '../node/sparsifyFile';
import type { Verification } from '../node/verifySparseModel';

type Written = Extract<SparsifyFileResult, { ok: true }>;

/** `blocksparse sparsify --json`: output path, per-layer block counts, totals, verification. */
export function sparsifyJson(
  r: Written,
  v: Verification | undefined,
  problem: Diagnostic | undefined,
) {
  const layers = r.plan.layers.map((l) => ({
    name: l.name,
    blocks: l.blocks,
    zeroBlocksBefore: l.zeroBlocksBefore,
    zeroBlocksAfter: l.zeroBlocksAfter,
  }));
  const counted = r.plan.layers.filter((l) => l.skipped === null);
  return {
    output: r.output,
    dataFiles: r.dataFiles,
    layers,
    totals: {
      layers: counted.length,
      blocks: counted.reduce((a, l) => a + l.blocks, 0),
      zeroBlocksBefore: counted.reduce((a, l) => a + l.zeroBlocksBefore, 0),
      zeroBlocksAfter: counted.reduce((a, l) => a + l.zeroBlocksAfter, 0),
    },
    balance: r.balance,
    verification: v
      ? {
          runtime: v.runtime,
          samples: v.samples,
          passed: v.problems.length === 0,
          problems: v.problems,
          outputs: v.outputs,
        }
      : null,
    diagnostics: [...r.plan.diagnostics, ...(problem ? [problem] : [])].map((d) => ({
      code: d.code,
      severity: d.severity,
      message: d.message,
      node: d.node,
    })),
  };
}

/** The human-readable sparsify report. */
export function sparsifyText(
  file: string,
  r: Written,
  v: Verification | undefined,
  problem: Diagnostic | undefined,
): string {
  const rows = r.plan.layers.map((l) => [
    l.name,
    String(l.blocks),
    String(l.zeroBlocksBefore),
    String(l.zeroBlocksAfter),
    formatPercent(l.blocks ? l.zeroBlocksAfter / l.blocks : 0),
    l.skipped ?? (l.target === null ? '' : `target ${l.target}`),
  ]);
  const lines = [
    `${file} -> ${r.output}${r.dataFiles.length ? ` (+ ${r.dataFiles.length} data file${r.dataFiles.length > 1 ? 's' : ''})` : ''}`,
    '',
    textTable(['Layer', 'Blocks', 'Zero before', 'Zero after', 'Sparsity', 'Note'], rows, [
      false,
      true,
      true,
      true,
      true,
      false,
    ]),
  ];
  const counted = r.plan.layers.filter((l) => l.skipped === null);
  const blocks = counted.reduce((a, l) => a + l.blocks, 0);
  const after = counted.reduce((a, l) => a + l.zeroBlocksAfter, 0);
  lines.push(
    '',
    `Sparsified ${counted.length} layers: ${after}/${blocks} blocks zero (${formatPercent(blocks ? after / blocks : 0)})`,
  );
  if (r.balance) lines.push('', ...balanceLines(r.balance));
  if (v) {
    lines.push('', `Verification with ${v.runtime} (${v.samples} seeded random inputs):`);
    for (const o of v.outputs) {
      const cls =
        o.top1 === null
          ? ''
          : `, top-1 ${formatPercent(o.top1)}, top-5 ${formatPercent(o.top5 ?? 0)}`;
      lines.push(
        `  ${o.name} [${o.shape.join('x')}]: max |Δ| ${o.maxAbsDiff.toPrecision(4)}, relative L2 ${o.relativeL2.toPrecision(4)}, cosine ${o.cosine.toFixed(6)}${cls}`,
      );
    }
    lines.push(
      v.problems.length
        ? `FAILED: ${v.problems.join('; ')}`
        : 'Passed: same outputs and shapes, all values finite.',
    );
  }
  if (problem) lines.push('', `${problem.severity} ${problem.code}: ${problem.message}`);
  return lines.join('\n');
}
