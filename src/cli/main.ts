import { parseArgs } from 'node:util';
import { parseBlockShape } from '../core/analysis/blockGrid';
import type { Diagnostic } from '../core/diagnostics';
import { analyzeFile } from '../node/analyzeFile';
import { analysisTable } from '../core/report/analysisTable';
import { HELP } from './help';
import { parseInputShapes } from './inputShapes';
import { analysisJson } from './reportJson';

declare const BLOCKSPARSE_VERSION: string;

/** Where the CLI writes; injectable so tests run it in-process. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: CliIo = {
  out: (t) => process.stdout.write(t + '\n'),
  err: (t) => process.stderr.write(t + '\n'),
};

class UsageError extends Error {}

function oneLine(file: string, d: Diagnostic): string {
  return `blocksparse: ${file}: ${d.message} [${d.code}]`;
}

function analyze(args: string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      block: { type: 'string', default: '8x8' },
      input: { type: 'string', multiple: true, default: [] },
      'dynamic-dim': { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('analyze takes exactly one model file');
  const file = positionals[0];
  const block = parseBlockShape(values.block ?? '8x8');
  if (!block) throw new UsageError(`--block '${values.block}': expected OxI, e.g. 8x8`);
  const inputShapes = parseInputShapes(values.input ?? []);
  if (typeof inputShapes === 'string') throw new UsageError(inputShapes);
  let dynamicDim: number | undefined;
  if (values['dynamic-dim'] !== undefined) {
    dynamicDim = Number(values['dynamic-dim']);
    if (!Number.isInteger(dynamicDim) || dynamicDim < 1)
      throw new UsageError('--dynamic-dim takes a positive integer');
  }
  const result = analyzeFile(file, { block, inputShapes, dynamicDim });
  if (!result.ok) {
    io.err(oneLine(file, result.error));
    return 2;
  }
  const report = result.report;
  if (values.json) {
    io.out(JSON.stringify(analysisJson(file, report), null, 2));
  } else {
    io.out(analysisTable(file, report));
    for (const d of report.diagnostics) {
      io.err(`${d.severity} ${d.code}${d.node ? ` (${d.node})` : ''}: ${d.message}`);
    }
  }
  return 0;
}

/** Runs the CLI with arguments (without node and script) and returns the exit code. */
export function runCli(argv: string[], io: CliIo = processIo): number {
  const [command, ...rest] = argv;
  try {
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      io.out(HELP);
      return command ? 0 : 1;
    }
    if (command === '--version' || command === '-v') {
      io.out(typeof BLOCKSPARSE_VERSION === 'string' ? BLOCKSPARSE_VERSION : 'dev');
      return 0;
    }
    if (command === 'analyze') {
      if (rest.includes('--help') || rest.includes('-h')) {
        io.out(HELP);
        return 0;
      }
      return analyze(rest, io);
    }
    throw new UsageError(`unknown command '${command}'`);
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`blocksparse: ${(e as Error).message}\nRun 'blocksparse --help' for usage.`);
      return 1;
    }
    throw e;
  }
}
