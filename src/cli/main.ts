import { analyzeCommand } from './analyzeCommand';
import { archsCommand } from './archsCommand';
import { diffCommand } from './diffCommand';
import { UsageError, type CliIo } from './cliSupport';
import { evaluateCommand } from './evaluateCommand';
import { finetuneKitCommand } from './finetuneKitCommand';
import { HELP } from './help';
import { masksCommand } from './masksCommand';
import { simulateCommand } from './simulateCommand';
import { processIo, runCommand, usageOrThrow, type Command } from './runCommand';
import { sparsifyCommand } from './sparsifyCommand';

export type { CliIo } from './cliSupport';

declare const BLOCKSPARSE_VERSION: string;

export const COMMANDS: Record<string, Command> = {
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
    return runCommand(run, rest, io);
  } catch (e) {
    return usageOrThrow(e, io);
  }
}
