import { UsageError, type CliIo } from './cliSupport';
import { HELP } from './help';

/** The CLI's output: stdout and stderr, a line at a time. */
export const processIo: CliIo = {
  out: (t) => process.stdout.write(t + '\n'),
  err: (t) => process.stderr.write(t + '\n'),
};

/** A command's entry: its arguments after the command name; an exit code or its promise. */
export type Command = (args: string[], io: CliIo) => number | Promise<number>;

/** Runs one command: --help anywhere prints the usage; a usage error is exit 1 with a hint. */
export function runCommand(run: Command, args: string[], io: CliIo): number | Promise<number> {
  try {
    if (args.includes('--help') || args.includes('-h')) {
      io.out(HELP);
      return 0;
    }
    const code = run(args, io);
    return typeof code === 'number' ? code : code.catch((e: unknown) => usageOrThrow(e, io));
  } catch (e) {
    return usageOrThrow(e, io);
  }
}

/** A usage error as exit 1 with a hint; anything else is a bug and thrown on. */
export function usageOrThrow(e: unknown, io: CliIo): number {
  if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    io.err(`blocksparse: ${(e as Error).message}\nRun 'blocksparse --help' for usage.`);
    return 1;
  }
  throw e;
}

/** A bundle's main: runs the command line and sets the exit code; exceptions are exit 70. */
export function runBin(run: (argv: string[]) => number | Promise<number>): void {
  // exceptions here are bugs in blocksparse itself, not problems with the user's model
  const internalError = (e: unknown) => {
    process.stderr.write(`blocksparse: internal error: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 70;
  };
  try {
    const code = run(process.argv.slice(2));
    if (typeof code === 'number') process.exitCode = code;
    else code.then((c) => (process.exitCode = c), internalError);
  } catch (e) {
    internalError(e);
  }
}
