import { runCli } from '../../src/cli/main';

/** Runs the CLI in-process and captures its exit code, stdout and stderr. */
export function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runCli(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
