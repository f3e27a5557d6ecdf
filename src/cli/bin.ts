import { runCli } from './main';

// Exceptions here are bugs in blocksparse itself, not problems with the user's model.
try {
  process.exitCode = runCli(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`blocksparse: internal error: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 70;
}
