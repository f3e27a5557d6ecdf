import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { PRECISIONS, type Precision } from '../core/target/precision';
import { toChromeTrace } from '../core/estimate/chromeTrace';
import { passDumpName } from '../core/compiler/compile';
import type { SparsityMode } from '../core/compiler/network';
import { simulationTable } from '../core/report/simulationTable';
import { writeFileAtomic } from '../node/atomicWrite';
import { resolveArchitecture } from '../node/readArchitecture';
import type { AieArchitecture } from '../core/target/architecture';
import { simulateFile } from '../node/simulateFile';
import {
  oneLine,
  oneModel,
  printDiagnostics,
  SHAPE_OPTIONS,
  shapeOptions,
  UsageError,
  type CliIo,
} from './cliSupport';
import { simulationJson } from './simulationJson';
import {
  DEFAULT_EFFICIENCY,
  parseAssumptions,
  parseEfficiency,
  PAPER_MODEL,
  type EstimateModel,
} from '../core/estimate/assumptions';

/**
 * `--model paper|refined [--assume name=off]… [--efficiency kernel=x]…`: the estimate model.
 * Assumptions and efficiencies only mean something in refined mode, so they need it.
 */
export function estimateModelFrom(values: {
  model?: string;
  assume?: string[];
  efficiency?: string[];
}): EstimateModel {
  const kind = values.model ?? 'paper';
  if (kind !== 'paper' && kind !== 'refined')
    throw new UsageError(`--model '${kind}': expected paper or refined`);
  const assume = values.assume ?? [];
  const efficiency = values.efficiency ?? [];
  if (kind === 'paper') {
    if (assume.length || efficiency.length)
      throw new UsageError('--assume and --efficiency need --model refined');
    return PAPER_MODEL;
  }
  const assumptions = parseAssumptions(assume);
  if (typeof assumptions === 'string') throw new UsageError(`--assume ${assumptions}`);
  const eff = parseEfficiency(efficiency, DEFAULT_EFFICIENCY);
  if (typeof eff === 'string') throw new UsageError(`--efficiency ${eff}`);
  return { kind: 'refined', assumptions, efficiency: eff };
}

/** What --arch/--arch-file, --precision and --model/--assume/--efficiency choose (simulate, diff). */
export interface EstimateSettings {
  readonly arch: AieArchitecture;
  readonly precision: Precision;
  readonly model: EstimateModel;
}

/** The estimate settings, or the exit code after printing why the array cannot be read. */
export function estimateSettingsFrom(
  values: {
    arch?: string;
    'arch-file'?: string;
    precision?: string;
    model?: string;
    assume?: string[];
    efficiency?: string[];
  },
  io: CliIo,
): EstimateSettings | number {
  if (values.arch && values['arch-file'])
    throw new UsageError('give --arch or --arch-file, not both');
  const precision = (values.precision ?? 'int8') as Precision;
  if (!PRECISIONS.includes(precision))
    throw new UsageError(`--precision '${values.precision}': expected ${PRECISIONS.join(', ')}`);
  const model = estimateModelFrom(values);
  const arch = resolveArchitecture(values.arch, values['arch-file']);
  if (Array.isArray(arch)) {
    for (const d of arch) io.err(`blocksparse: ${d.message} [${d.code}]`);
    return values['arch-file'] ? 2 : 1;
  }
  return { arch, precision, model };
}

/** The options estimateSettingsFrom reads. */
export const ESTIMATE_OPTIONS = {
  arch: { type: 'string' },
  'arch-file': { type: 'string' },
  precision: { type: 'string', default: 'int8' },
  model: { type: 'string', default: 'paper' },
  assume: { type: 'string', multiple: true },
  efficiency: { type: 'string', multiple: true },
} as const;

const MODES: Record<string, SparsityMode[]> = {
  dense: ['dense'],
  sparse: ['sparse'],
  both: ['dense', 'sparse'],
};

/**
 * `blocksparse simulate <model.onnx> [--arch paper-4x4 | --arch-file a.json] [--mode both]
 * [--precision int8] [--json] [--trace out.json] [--dump-passes dir]`.
 */
export function simulateCommand(args: string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...ESTIMATE_OPTIONS,
      mode: { type: 'string', default: 'both' },
      json: { type: 'boolean', default: false },
      trace: { type: 'string' },
      'dump-passes': { type: 'string' },
      ...SHAPE_OPTIONS,
    },
  });
  const file = oneModel(positionals, 'simulate');
  const modes = MODES[values.mode ?? 'both'];
  if (!modes) throw new UsageError(`--mode '${values.mode}': expected dense, sparse or both`);
  const settings = estimateSettingsFrom(values, io);
  if (typeof settings === 'number') return settings;
  const { arch, precision, model } = settings;
  const dumpDir = values['dump-passes'];
  if (dumpDir) fs.mkdirSync(dumpDir, { recursive: true });
  const result = simulateFile(file, shapeOptions(values), {
    arch,
    precision,
    modes,
    model,
    ledger: model.kind === 'refined',
    trace: values.trace !== undefined,
    onPass: dumpDir
      ? (mode, pass, value, plan) =>
          writeFileAtomic(
            path.join(dumpDir, `${mode}.${passDumpName(pass)}.txt`),
            pass.dump(value, plan),
          )
      : undefined,
  });
  if (!result.ok) {
    io.err(oneLine(file, result.error));
    return 2;
  }
  const report = result.simulation;
  if (values.trace) writeFileAtomic(values.trace, JSON.stringify(toChromeTrace(report)));
  if (values.json) io.out(JSON.stringify(simulationJson(file, report, result.ledger), null, 2));
  else {
    io.out(simulationTable(file, report, result.ledger));
    printDiagnostics(io, report.diagnostics);
  }
  return 0;
}
