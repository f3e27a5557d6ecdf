import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { desktopLaunch, parseDesktopArgs, USAGE } from '../../integration/desktop';

const DIRS = {
  root: '/repo',
  bundle: '/tmp/x/tests',
  workspace: '/tmp/x/workspace',
  userData: '/tmp/x/user-data',
  mocha: '/repo/node_modules/mocha/index.js',
};

describe('npm run test:desktop (the @vscode/test-electron launcher)', () => {
  it('an installed VS Code: no download; the harness suites from their bundle, our extension from the repository', () => {
    const o = parseDesktopArgs(['--vscode-executable', '/usr/share/code/code']);
    assert.ok(!('error' in o));
    assert.deepEqual(desktopLaunch(o, DIRS), {
      extensionDevelopmentPath: '/repo',
      extensionTestsPath: path.join('/tmp/x/tests', 'runner.js'),
      vscodeExecutablePath: '/usr/share/code/code',
      launchArgs: [
        '/tmp/x/workspace',
        '--user-data-dir',
        '/tmp/x/user-data',
        '--disable-extensions',
        '--disable-workspace-trust',
      ],
      extensionTestsEnv: { BSS_MOCHA: DIRS.mocha, BSS_SUITES: 'all' },
    });
  });

  it('a version to download; Restricted Mode keeps workspace trust on and runs its own suites', () => {
    const o = parseDesktopArgs(['--version', '1.100.3', '--restricted']);
    assert.ok(!('error' in o));
    const l = desktopLaunch(o, DIRS);
    assert.equal(l.version, '1.100.3');
    assert.equal(l.vscodeExecutablePath, undefined);
    assert.ok(!l.launchArgs.includes('--disable-workspace-trust'));
    assert.equal(l.extensionTestsEnv.BSS_SUITES, 'restricted');
  });

  it('bad arguments are errors; --help and --dry-run launch nothing', () => {
    assert.deepEqual(parseDesktopArgs(['--vscode-executable']), {
      error: '--vscode-executable needs a value',
    });
    assert.deepEqual(parseDesktopArgs(['--fast']), { error: 'unknown option --fast' });
    const run = (args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'test/integration/desktop.ts', ...args], {
        encoding: 'utf8',
      });
    const help = run(['--help']);
    assert.equal(help.status, 0);
    assert.equal(help.stdout.trim(), USAGE);
    const dry = run(['--dry-run', '--vscode-executable', '/opt/code/code']);
    assert.equal(dry.status, 0, dry.stderr);
    const launch = JSON.parse(dry.stdout) as { vscodeExecutablePath: string };
    assert.equal(launch.vscodeExecutablePath, '/opt/code/code');
    assert.equal(run(['--fast']).status, 1);
  });
});
