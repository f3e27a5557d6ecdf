/**
 * Entry of the test extension that runs inside a real VS Code's extension host (code-server).
 * It runs the bundled suites with mocha (loaded from the repository by absolute path) against
 * the real vscode API and writes the results where the harness waits for them.
 */
import * as fs from 'node:fs';
import type MochaType from 'mocha';

interface TestResult {
  readonly title: string;
  readonly ok: boolean;
  readonly error?: string;
}

export async function activate(): Promise<void> {
  const out = process.env.BSS_INTEGRATION_RESULTS;
  const mochaPath = process.env.BSS_MOCHA;
  if (!out || !mochaPath) return;
  const results: TestResult[] = [];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Mocha = require(mochaPath) as typeof MochaType;
    const mocha = new Mocha({ timeout: 60000, reporter: 'dot' });
    mocha.suite.emit('pre-require', globalThis, 'suites.js', mocha);
    // the Restricted Mode session runs its own suites (the others expect a trusted workspace)
    if (process.env.BSS_SUITES === 'restricted') {
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
  fs.writeFileSync(out + '.tmp', JSON.stringify(results, null, 2));
  fs.renameSync(out + '.tmp', out);
}

export function deactivate(): void {
  // nothing to release
}
