/**
 * The "Sparsify…" command as a flow over a small UI interface, so the decisions it makes
 * (defaults, validation, overwrite confirmation, what the report says) are unit-tested without
 * VS Code. sparsifyCommand.ts implements the interface with the real VS Code API.
 */
import * as fs from 'node:fs';
import { parseBlockShape } from '../core/blocks/blockGrid';
import type { AieArchitecture } from '../core/target/architecture';
import type { Precision } from '../core/target/precision';
import { balanceLines } from '../core/report/balanceLines';
import type { Diagnostic } from '../core/diagnostics';
import { CRITERIA, type Criterion } from '../core/blocks/blockScores';
import { MAX_TARGET, type Scope } from '../core/sparsify/sparsifyOptions';
import { formatBytes, formatPercent } from '../core/units';
import type { WorkerOutcome } from '../node/runWorker';
import { defaultOutputPath } from '../node/sparsifyFile';
import type { SparsifyJobRequest, SparsifyJobResult } from '../node/sparsifyJob';

/** Defaults from the blockSparse.sparsify.* settings. */
export interface SparsifyDefaults {
  readonly target: number;
  readonly block: string;
  readonly criterion: Criterion;
  readonly scope: Scope;
  readonly keepRowsCols: boolean;
  /** Global scope's per-layer ceiling (blockSparse.sparsify.maxLayerRatio). */
  readonly maxLayerRatio: number;
  readonly verify: boolean;
  readonly inputShapes: readonly (readonly [string, readonly number[]])[];
  readonly dynamicDim: number;
  readonly arch: AieArchitecture | undefined;
  /** The precision estimates (and balancing) compile for (blockSparse.precision). */
  readonly precision: Precision;
}

/** A choice in a quick pick. */
export interface Choice<T> {
  readonly label: string;
  readonly description?: string;
  readonly value: T;
}

/** What the flow needs from the editor. */
export interface SparsifyUi {
  readonly trusted: boolean;
  pick<T>(title: string, choices: readonly Choice<T>[], current: T): Promise<T | undefined>;
  /** Free-text entry; `validate` returns an error message or undefined. */
  input(
    title: string,
    value: string,
    validate: (v: string) => string | undefined,
  ): Promise<string | undefined>;
  confirm(message: string, action: string): Promise<boolean>;
  /** Runs the job with a cancellable progress notification. */
  progress<T>(
    title: string,
    task: (report: (done: number, total: number) => void, signal: AbortSignal) => Promise<T>,
  ): Promise<T>;
  /** Shows the summary; resolves to the button pressed. */
  done(summary: string, details: string, actions: readonly string[]): Promise<string | undefined>;
  error(message: string): void;
  openModel(file: string): Promise<void>;
  compare(original: string, sparse: string): Promise<void>;
  /** Accuracy of both models on the configured data (blockSparse.evaluation.data), as report lines. */
  accuracy?(original: string, sparse: string): Promise<readonly string[] | undefined>;
  /** "Export Fine-Tuning Kit…" for the new model. */
  exportKit?(sparse: string): Promise<void>;
}

export type JobRunner = (
  request: SparsifyJobRequest,
  onProgress: (done: number, total: number) => void,
  signal: AbortSignal,
) => Promise<WorkerOutcome<SparsifyJobResult, Diagnostic>>;

export const OPEN = 'Open Model';
export const COMPARE = 'Compare with Original';
export const KIT = 'Export Fine-Tuning Kit…';

const TARGETS = [0.25, 0.5, 0.75, 0.9];

/** Asks for the options; undefined when the user backs out. */
async function askOptions(ui: SparsifyUi, d: SparsifyDefaults) {
  const custom = -1;
  const choices: Choice<number>[] = [...new Set([d.target, ...TARGETS])]
    .sort((a, b) => a - b)
    .map((t) => ({
      label: formatPercent(t).replace('.0%', '%'),
      description: t === d.target ? 'default' : undefined,
      value: t,
    }));
  let target = await ui.pick(
    'Sparsify: fraction of 8x8 blocks to zero per layer',
    [...choices, { label: 'Other…', value: custom }],
    d.target,
  );
  if (target === undefined) return undefined;
  if (target === custom) {
    const text = await ui.input('Target sparsity (0 to 0.95)', String(d.target), (v) =>
      Number(v) >= 0 && Number(v) <= MAX_TARGET ? undefined : `a number from 0 to ${MAX_TARGET}`,
    );
    if (text === undefined) return undefined;
    target = Number(text);
  }
  const block = await ui.pick(
    'Block shape (output x input channels)',
    ['8x8', '4x4', '16x16', '8x4', '4x8'].map((b) => ({
      label: b,
      description: b === '8x8' ? 'AIE2 compiler' : undefined,
      value: b,
    })),
    d.block,
  );
  if (block === undefined) return undefined;
  const criterion = await ui.pick(
    'Score blocks by',
    CRITERIA.map((c) => ({
      label: c === 'l2' ? 'L2 norm' : c === 'l1' ? 'L1 norm' : 'variance',
      value: c,
    })),
    d.criterion,
  );
  if (criterion === undefined) return undefined;
  const scope = await ui.pick<Scope>(
    'Scope',
    [
      { label: 'Per layer', description: 'every layer gets the target', value: 'layer' },
      { label: 'Global', description: 'one threshold over normalised scores', value: 'global' },
    ],
    d.scope,
  );
  if (scope === undefined) return undefined;
  // balancing needs the array's chunks: the hardware's 8x8 blocks, one target per layer
  let balance = false;
  if (d.arch && block === '8x8' && scope === 'layer') {
    const picked = await ui.pick(
      `Balance the blocks for ${d.arch.name}?`,
      [
        { label: 'No', description: 'the lowest-scoring blocks of each layer', value: false },
        {
          label: `Balance for ${d.arch.name}`,
          description: 'every core keeps the same number of non-zero blocks',
          value: true,
        },
      ],
      false,
    );
    if (picked === undefined) return undefined;
    balance = picked;
  }
  return { target, block, criterion, scope, balance };
}

/** The report: per-layer sparsity, bytes saved, estimated speedup, verification figures. */
export function reportText(
  input: string,
  r: SparsifyJobResult,
): { summary: string; details: string } {
  const counted = r.layers.filter((l) => l.skipped === null);
  const blocks = counted.reduce((a, l) => a + l.blocks, 0);
  const zero = counted.reduce((a, l) => a + l.zeroBlocksAfter, 0);
  const saved = r.compressedBytesBefore - r.compressedBytesAfter;
  const parts = [
    `${formatPercent(blocks ? zero / blocks : 0)} of blocks zero in ${counted.length} layers`,
    `int8 weights ${formatBytes(r.compressedBytesBefore)} → ${formatBytes(r.compressedBytesAfter)} (${formatBytes(saved)} saved)`,
  ];
  if (r.estimate)
    parts.push(`estimated ${r.estimate.speedup.toFixed(2)}x faster on ${r.estimate.arch}`);
  if (r.balance)
    parts.push(
      `balanced for ${r.balance.arch}: refined ${r.balance.balanced.speedup?.toFixed(2) ?? '-'}x (${r.balance.unbalanced.speedup?.toFixed(2) ?? '-'}x without)`,
    );
  if (r.verification)
    parts.push(
      r.verification.problems.length ? 'verification FAILED' : 'verified with ONNX Runtime',
    );
  const lines = [`Sparsify ${input} -> ${r.output}`, ''];
  for (const l of r.layers) {
    lines.push(
      `${l.name}: ${l.zeroBlocksAfter}/${l.blocks} zero blocks (${formatPercent(l.blocks ? l.zeroBlocksAfter / l.blocks : 0)})${l.skipped ? `, left alone: ${l.skipped}` : ''}`,
    );
  }
  lines.push(
    '',
    `int8 weights: ${formatBytes(r.denseBytesInt8)} dense, compressed ${formatBytes(r.compressedBytesBefore)} before → ${formatBytes(r.compressedBytesAfter)} after`,
  );
  if (r.balance) lines.push(...balanceLines(r.balance));
  if (r.estimate) {
    lines.push(
      `Estimate on ${r.estimate.arch}: ${(r.estimate.denseSeconds * 1e3).toFixed(3)} ms computing the zeros, ${(r.estimate.sparseSeconds * 1e3).toFixed(3)} ms skipping them: ${r.estimate.speedup.toFixed(3)}x`,
    );
  }
  if (r.verification) {
    lines.push(
      `Verification with ${r.verification.runtime}, ${r.verification.samples} seeded random inputs:`,
    );
    for (const o of r.verification.outputs) {
      const cls =
        o.top1 === null
          ? ''
          : `, top-1 agreement ${formatPercent(o.top1)}, top-5 ${formatPercent(o.top5 ?? 0)}`;
      lines.push(
        `  ${o.name} [${o.shape.join('x')}]: max |Δ| ${o.maxAbsDiff.toPrecision(4)}, relative L2 ${o.relativeL2.toPrecision(4)}, cosine ${o.cosine.toFixed(6)}${cls}`,
      );
    }
    for (const p of r.verification.problems) lines.push(`  problem: ${p}`);
  } else if (r.verificationNote) lines.push(`Verification: ${r.verificationNote}`);
  return { summary: `Sparsified: ${parts.join('; ')}.`, details: lines.join('\n') };
}

/** Runs the whole command for one model file. Returns the new model's path, or undefined. */
export async function sparsifyFlow(
  input: string,
  defaults: SparsifyDefaults,
  ui: SparsifyUi,
  runJob: JobRunner,
): Promise<string | undefined> {
  if (!ui.trusted) {
    ui.error(
      'Sparsify writes a new model file, which needs a trusted workspace. Viewing and analysing models works in Restricted Mode.',
    );
    return undefined;
  }
  const o = await askOptions(ui, defaults);
  if (!o) return undefined;
  const block = parseBlockShape(o.block);
  if (!block) return undefined;
  const out = defaultOutputPath(input, o.target);
  let force = false;
  if (fs.existsSync(out)) {
    if (!(await ui.confirm(`${out} exists. Replace it?`, 'Replace'))) return undefined;
    force = true;
  }
  const request: SparsifyJobRequest = {
    input,
    options: {
      target: o.target,
      block,
      criterion: o.criterion,
      scope: o.scope,
      keepRowsCols: defaults.keepRowsCols,
      maxLayerRatio: defaults.maxLayerRatio,
      skip: [],
      targets: [],
      out,
      force,
      balance:
        o.balance && defaults.arch
          ? { arch: defaults.arch, precision: defaults.precision }
          : undefined,
    },
    inputShapes: defaults.inputShapes,
    dynamicDim: defaults.dynamicDim,
    verify: defaults.verify,
    arch: defaults.arch,
  };
  const outcome = await ui.progress(
    `Sparsifying to ${formatPercent(o.target)} block sparsity`,
    (report, signal) => runJob(request, report, signal),
  );
  if (outcome.ok === 'cancelled') return undefined;
  if (!outcome.ok) {
    ui.error(`Sparsify failed: ${outcome.error.message} [${outcome.error.code}]`);
    return undefined;
  }
  const { summary, details } = reportText(input, outcome.result);
  const accuracy = await ui.accuracy?.(input, outcome.result.output);
  const full = accuracy ? `${details}\n${accuracy.join('\n')}` : details;
  const action = await ui.done(
    summary,
    full,
    ui.exportKit ? [OPEN, COMPARE, KIT] : [OPEN, COMPARE],
  );
  if (action === OPEN) await ui.openModel(outcome.result.output);
  if (action === COMPARE) await ui.compare(input, outcome.result.output);
  if (action === KIT) await ui.exportKit?.(outcome.result.output);
  return outcome.result.output;
}
