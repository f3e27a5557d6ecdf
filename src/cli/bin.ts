import { runCli } from './main';

// Exceptions here are bugs in blocksparse itself, not problems with the user's model.
function internalError(e: unknown): void {
  process.stderr.write(`blocksparse: internal error: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 70;
}

try {
  const code = runCli(process.argv.slice(2));
  if (typeof code === 'number') process.exitCode = code;
  else code.then((c) => (process.exitCode = c), internalError);
} catch (e) {
  internalError(e);
}
