import { strict as assert } from 'node:assert';
import { runCli } from '../../src/cli/main';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

/** Runs a synchronous CLI command in-process and captures its exit code, stdout and stderr. */
export function run(args: string[]) {
  const c = capture();
  const code = runCli(args, c.io);
  assert.equal(typeof code, 'number', 'a synchronous command');
  return { code: code as number, out: c.out.join('\n'), err: c.err.join('\n') };
}

/** Runs any CLI command in-process, awaiting commands that return a promise. */
export async function runAsync(args: string[]) {
  const c = capture();
  const code = await runCli(args, c.io);
  return { code, out: c.out.join('\n'), err: c.err.join('\n') };
}
