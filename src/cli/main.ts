import { analyzeCommand } from './analyzeCommand';
import { archsCommand } from './archsCommand';
import { diffCommand } from './diffCommand';
import { UsageError, type CliIo } from './cliSupport';
import { evaluateCommand } from './evaluateCommand';
import { finetuneKitCommand } from './finetuneKitCommand';
import { HELP } from './help';
import { masksCommand } from './masksCommand';
import { simulateCommand } from './simulateCommand';
import { sparsifyCommand } from './sparsifyCommand';

export type { CliIo } from './cliSupport';

declare const BLOCKSPARSE_VERSION: string;

const processIo: CliIo = {
  out: (t) => process.stdout.write(t + '\n'),
  err: (t) => process.stderr.write(t + '\n'),
};

export const COMMANDS: Record<string, (args: string[], io: CliIo) => number | Promise<number>> = {
  analyze: analyzeCommand,
  simulate: simulateCommand,
  archs: archsCommand,
  sparsify: sparsifyCommand,
  masks: masksCommand,
  'finetune-kit': finetuneKitCommand,
  evaluate: evaluateCommand,
  diff: diffCommand,
};

/**
 * Runs the CLI with arguments (without node and script) and returns the exit code (a promise
 * for commands that wait on ONNX Runtime).
 */
export function runCli(argv: string[], io: CliIo = processIo): number | Promise<number> {
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
    const run = COMMANDS[command];
    if (!run) throw new UsageError(`unknown command '${command}'`);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(HELP);
      return 0;
    }
    const code = run(rest, io);
    return typeof code === 'number' ? code : code.catch((e: unknown) => usageOrThrow(e, io));
  } catch (e) {
    return usageOrThrow(e, io);
  }
}

function usageOrThrow(e: unknown, io: CliIo): number {
  if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    io.err(`blocksparse: ${(e as Error).message}\nRun 'blocksparse --help' for usage.`);
    return 1;
  }
  throw e;
}
