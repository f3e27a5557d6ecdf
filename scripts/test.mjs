// `npm test`: type-check, lint, build, then every test suite. Stops at the first failing step
// and exits non-zero; mocha's reporter prints the closing "N passed, N failed" line.
import { spawnSync } from 'node:child_process';

const steps = [
  ['type-check (node, cli, extension, tests)', 'npx', ['tsc', '-p', 'tsconfig.json']],
  ['type-check (core: no Node, no DOM)', 'npx', ['tsc', '-p', 'tsconfig.core.json']],
  ['type-check (webview)', 'npx', ['tsc', '-p', 'tsconfig.webview.json']],
  ['eslint', 'npx', ['eslint', '--max-warnings', '0', '.']],
  ['prettier', 'npx', ['prettier', '--check', '--log-level', 'warn', '.']],
  ['build', 'node', ['scripts/build.mjs']],
  ['unit tests', 'npx', ['mocha']],
];

for (const [name, cmd, args] of steps) {
  console.log(`\n== ${name}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\n${name} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}
