/**
 * The test entry that runs inside a real VS Code's extension host, on either host: as the test
 * extension's activate() in code-server (harness.ts), or as @vscode/test-electron's tests module
 * (run(), desktop.ts). Either way it runs the bundled suites with mocha (loaded from the
 * repository by absolute path) against the real vscode API.
 */
import * as fs from 'node:fs';
import type MochaType from 'mocha';

interface TestResult {
  readonly title: string;
  readonly ok: boolean;
  readonly error?: string;
}

/** Runs the suites of a session ('restricted' or all the others) with mocha from `mochaPath`. */
async function runSuites(which: string, mochaPath: string): Promise<TestResult[]> {
  const results: TestResult[] = [];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Mocha = require(mochaPath) as typeof MochaType;
    const mocha = new Mocha({ timeout: 60000, reporter: 'dot' });
    mocha.suite.emit('pre-require', globalThis, 'suites.js', mocha);
    // the Restricted Mode session runs its own suites (the others expect a trusted workspace)
    if (which === 'restricted') {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('./restrictedSuites.js');
    } else {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('./suites.js');
    }
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on('pass', (t) => results.push({ title: t.fullTitle(), ok: true }));
      runner.on('fail', (t, err: Error) =>
        results.push({ title: t.fullTitle(), ok: false, error: err.stack ?? String(err) }),
      );
    });
  } catch (e) {
    results.push({
      title: 'integration runner',
      ok: false,
      error: (e as Error).stack ?? String(e),
    });
  }
  return results;
}

/** code-server: the test extension activates, runs the suites, writes where the harness waits. */
export async function activate(): Promise<void> {
  const out = process.env.BSS_INTEGRATION_RESULTS;
  const mochaPath = process.env.BSS_MOCHA;
  if (!out || !mochaPath) return;
  const results = await runSuites(process.env.BSS_SUITES ?? 'all', mochaPath);
  fs.writeFileSync(out + '.tmp', JSON.stringify(results, null, 2));
  fs.renameSync(out + '.tmp', out);
}

/** Desktop VS Code (@vscode/test-electron's extensionTestsPath): the same suites; fails if one does. */
export async function run(): Promise<void> {
  const results = await runSuites(
    process.env.BSS_SUITES ?? 'all',
    process.env.BSS_MOCHA ?? 'mocha',
  );
  for (const r of results)
    console.log(`${r.ok ? '  ✔' : '  ✖'} ${r.title}${r.ok ? '' : `\n      ${r.error ?? ''}`}`);
  const failed = results.filter((r) => !r.ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  if (failed > 0 || results.length === 0) throw new Error(`${failed} of ${results.length} failed`);
}

export function deactivate(): void {
  // nothing to release
}
