// `npm test`: type-check, lint, build, unit tests, browser tests of the webview bundle, then the
// integration tests in a real VS Code
// (code-server + headless Chromium; installed on first use by scripts/ensureCodeServer.mjs).
// Stops at the first failing step and exits non-zero; ends with one "N passed, N failed" line
// over all test suites.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const summaries = [];
const summaryFile = (name) => {
  const f = path.join(os.tmpdir(), `bss-${process.pid}-${name}.json`);
  summaries.push(f);
  return f;
};

const steps = [
  ['type-check (node, cli, extension, tests)', 'npx', ['tsc', '-p', 'tsconfig.json']],
  ['type-check (core: no Node, no DOM)', 'npx', ['tsc', '-p', 'tsconfig.core.json']],
  ['type-check (webview)', 'npx', ['tsc', '-p', 'tsconfig.webview.json']],
  ['eslint', 'npx', ['eslint', '--max-warnings', '0', '.']],
  ['prettier', 'npx', ['prettier', '--check', '--log-level', 'warn', '.']],
  ['build', 'node', ['scripts/build.mjs']],
  ['test tools (Chromium, code-server)', 'node', ['scripts/ensureCodeServer.mjs']],
  ['unit tests (npm run test:unit)', 'npx', ['mocha'], summaryFile('unit')],
  [
    'system tests (kill safety, published npm models, full-size networks)',
    'npx',
    ['mocha', '--config', '.mocharc.system.cjs'],
    summaryFile('system'),
  ],
  [
    'fuzz (3,000 seeded cases through analyze, simulate, model view, model text, sparsify)',
    'npx',
    ['tsx', 'test/fuzz/fuzz.ts', '--cases', '3000', '--seed', '1'],
    summaryFile('fuzz'),
  ],
  [
    'accuracy (PyTorch on Fashion-MNIST: sparsify, fine-tune with the kit, evaluate; minutes)',
    'npx',
    ['mocha', '--config', '.mocharc.accuracy.cjs'],
    summaryFile('accuracy'),
  ],
  [
    'browser tests (webview bundle in headless Chromium)',
    'npx',
    ['mocha', '--config', '.mocharc.browser.cjs'],
    summaryFile('browser'),
  ],
  [
    'integration tests (VS Code in code-server, Chromium)',
    'npx',
    ['tsx', 'test/integration/harness.ts'],
    summaryFile('integration'),
  ],
];

let passed = 0;
let failed = 0;
for (const [name, cmd, args, summary] of steps) {
  console.log(`\n== ${name}`);
  const r = spawnSync(cmd, args, {
    stdio: 'inherit',
    env: summary ? { ...process.env, BSS_SUMMARY: summary } : process.env,
  });
  if (summary && fs.existsSync(summary)) {
    const s = JSON.parse(fs.readFileSync(summary, 'utf8'));
    passed += s.passed;
    failed += s.failed;
    fs.rmSync(summary);
  }
  if (r.status !== 0) {
    console.error(`\n${name} failed (exit ${r.status ?? r.signal})`);
    console.log(`\n${passed} passed, ${Math.max(1, failed)} failed`);
    process.exit(r.status || 1);
  }
}
console.log(`\nAll suites: ${passed} passed, ${failed} failed`);
console.log(`${passed} passed, ${failed} failed`);
