/**
 * `npm run test:desktop`: the extension-host suites of the code-server harness, in desktop VS Code
 * through @vscode/test-electron (2.5.x, the line that runs on Node 20). Same suites, same test
 * entry (runner.ts), same workspace; only the host differs. It downloads VS Code unless
 * --vscode-executable names an installed one, so it is not part of `npm test` on an offline
 * machine. Usage: see USAGE.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildTestBundle, sessionSettings, writeWorkspace } from './testSession';

export const USAGE = `npm run test:desktop -- [options]

The extension-host suites in desktop VS Code (@vscode/test-electron), the same ones the
code-server harness runs.

  --vscode-executable PATH   an installed VS Code (no download); e.g. /usr/share/code/code
  --version V                the VS Code to download (default: stable)
  --restricted               the Restricted Mode suites, in an untrusted folder
  --dry-run                  print what would be launched, launch nothing
  --prepare DIR              write the suites' bundle and workspace into DIR, launch nothing
                             (the "Extension Tests" configuration of .vscode/launch.json)
  --help                     this text`;

export interface DesktopOptions {
  readonly vscodeExecutable?: string;
  readonly version?: string;
  readonly restricted: boolean;
  readonly dryRun: boolean;
  readonly help: boolean;
  readonly prepare?: string;
}

/** Parses the launcher's arguments; an unknown or incomplete one is an error with the usage. */
export function parseDesktopArgs(argv: readonly string[]): DesktopOptions | { error: string } {
  const o: { -readonly [K in keyof DesktopOptions]: DesktopOptions[K] } = {
    restricted: false,
    dryRun: false,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') o.help = true;
    else if (a === '--dry-run') o.dryRun = true;
    else if (a === '--restricted') o.restricted = true;
    else if (a === '--vscode-executable' || a === '--version' || a === '--prepare') {
      const v = argv[++i];
      if (!v || v.startsWith('--')) return { error: `${a} needs a value` };
      if (a === '--version') o.version = v;
      else if (a === '--prepare') o.prepare = v;
      else o.vscodeExecutable = v;
    } else return { error: `unknown option ${a}` };
  }
  return o;
}

/** What @vscode/test-electron's runTests is given (its TestOptions, the fields used here). */
export interface DesktopLaunch {
  readonly extensionDevelopmentPath: string;
  readonly extensionTestsPath: string;
  readonly vscodeExecutablePath?: string;
  readonly version?: string;
  readonly launchArgs: readonly string[];
  readonly extensionTestsEnv: Readonly<Record<string, string>>;
}

/** The launch for a session: our extension from `root`, the suites' bundle, the workspace. */
export function desktopLaunch(
  o: DesktopOptions,
  dirs: { root: string; bundle: string; workspace: string; userData: string; mocha: string },
): DesktopLaunch {
  return {
    extensionDevelopmentPath: dirs.root,
    extensionTestsPath: path.join(dirs.bundle, 'runner.js'),
    ...(o.vscodeExecutable ? { vscodeExecutablePath: o.vscodeExecutable } : {}),
    ...(o.version && !o.vscodeExecutable ? { version: o.version } : {}),
    launchArgs: [
      dirs.workspace,
      '--user-data-dir',
      dirs.userData,
      // no other installed extension in the way; ours comes from extensionDevelopmentPath
      '--disable-extensions',
      ...(o.restricted ? [] : ['--disable-workspace-trust']),
    ],
    extensionTestsEnv: { BSS_MOCHA: dirs.mocha, BSS_SUITES: o.restricted ? 'restricted' : 'all' },
  };
}

/** The suites' bundle and the workspace they expect. */
async function prepare(bundle: string, workspace: string, restricted: boolean): Promise<void> {
  await buildTestBundle(bundle);
  writeWorkspace(workspace, restricted);
}

async function main(): Promise<number> {
  const o = parseDesktopArgs(process.argv.slice(2));
  if ('error' in o) {
    console.error(`${o.error}\n\n${USAGE}`);
    return 1;
  }
  if (o.help) {
    console.log(USAGE);
    return 0;
  }
  const root = path.resolve(__dirname, '..', '..');
  if (o.prepare) {
    const dir = path.resolve(o.prepare);
    await prepare(path.join(dir, 'tests'), path.join(dir, 'workspace'), o.restricted);
    console.log(
      `prepared ${path.join(dir, 'tests', 'runner.js')} and ${path.join(dir, 'workspace')}`,
    );
    return 0;
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bss-desktop-'));
  const dirs = {
    root,
    bundle: path.join(tmp, 'tests'),
    workspace: path.join(tmp, 'workspace'),
    userData: path.join(tmp, 'user-data'),
    mocha: require.resolve('mocha'),
  };
  const launch = desktopLaunch(o, dirs);
  if (o.dryRun) {
    console.log(JSON.stringify(launch, null, 2));
    fs.rmSync(tmp, { recursive: true, force: true });
    return 0;
  }
  try {
    await prepare(dirs.bundle, dirs.workspace, o.restricted);
    fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
    fs.writeFileSync(
      path.join(dirs.userData, 'User', 'settings.json'),
      JSON.stringify(sessionSettings(o.restricted)),
    );
    // loaded here, not at the top: --help and --dry-run work without it touching the network
    const { runTests } = await import('@vscode/test-electron');
    await runTests({ ...launch, launchArgs: [...launch.launchArgs] });
    return 0;
  } catch (e) {
    console.error((e as Error).message);
    return 1;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) void main().then((code) => process.exit(code));
