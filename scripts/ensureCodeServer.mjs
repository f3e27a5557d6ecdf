// Makes sure the integration tests can run on this machine: Debian's chromium and ripgrep, and a
// real VS Code (code-server 4.100.3, the newest that runs on Node 20) installed offline into
// .cache/code-server, as ../shared/docs/TESTING.md describes. Idempotent; prints what it does.
import { execFileSync, execSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
export const CODE_SERVER_DIR = path.join(root, '.cache', 'code-server');
export const CODE_SERVER_BIN = path.join(CODE_SERVER_DIR, 'node_modules', '.bin', 'code-server');
const READY = path.join(CODE_SERVER_DIR, '.ready-4.100.3');

/** A command on PATH. */
export function have(cmd) {
  try {
    execSync(`command -v ${cmd}`, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function ensureAptPackages(commands = ['chromium', 'rg']) {
  const missing = commands.filter((c) => !have(c));
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `integration tests need ${missing.join(', ')}: sudo apt-get install -y chromium ripgrep libkrb5-dev pkg-config`,
    );
  }
  console.log(
    `installing Debian packages for the integration tests (${missing.join(', ')} missing)…`,
  );
  execSync('apt-get update -qq', { stdio: 'inherit' });
  execSync(
    'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium ripgrep libkrb5-dev pkg-config',
    { stdio: 'inherit' },
  );
}

function ensureCodeServer() {
  if (fs.existsSync(READY)) return;
  console.log('installing code-server 4.100.3 into .cache/code-server (a few minutes, once)…');
  fs.mkdirSync(CODE_SERVER_DIR, { recursive: true });
  fs.writeFileSync(
    path.join(CODE_SERVER_DIR, 'package.json'),
    JSON.stringify(
      {
        name: 'bss-code-server',
        private: true,
        dependencies: { 'code-server': '4.100.3' },
        allowScripts: { 'code-server': true, argon2: true },
      },
      null,
      2,
    ),
  );
  // @vscode/ripgrep downloads rg from GitHub unless it finds this cached archive: give it Debian's
  const cache = path.join(os.tmpdir(), 'vscode-ripgrep-cache-1.15.11');
  fs.mkdirSync(cache, { recursive: true });
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-'));
  fs.copyFileSync(execSync('command -v rg').toString().trim(), path.join(staging, 'rg'));
  execFileSync('tar', [
    '-czf',
    path.join(cache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz'),
    '-C',
    staging,
    'rg',
  ]);
  execSync('npm install --no-audit --no-fund', {
    cwd: CODE_SERVER_DIR,
    stdio: 'inherit',
    env: { ...process.env, npm_config_unsafe_perm: 'true', npm_config_yes: 'true' },
  });
  if (!fs.existsSync(CODE_SERVER_BIN)) throw new Error('code-server did not install');
  fs.writeFileSync(READY, new Date().toISOString());
}

export function ensureIntegrationTools() {
  ensureAptPackages();
  ensureCodeServer();
}

/**
 * code-server's command line for a local session: no auth, on 127.0.0.1:port, nothing phoning
 * home, its own extensions and user data, the folder to open (trusted unless `restricted`).
 */
export function codeServerArgs({ port, extensionsDir, userDataDir, folder, restricted = false }) {
  return [
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    ...(restricted ? [] : ['--disable-workspace-trust']),
    '--extensions-dir',
    extensionsDir,
    '--user-data-dir',
    userDataDir,
    folder,
  ];
}

/** What `npm start` needs: code-server (its install takes ripgrep from Debian), no browser. */
export function ensureCodeServerOnly() {
  ensureAptPackages(['rg']);
  ensureCodeServer();
}

if (
  process.argv[1] &&
  path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)
) {
  ensureIntegrationTools();
  console.log('integration tools ready');
}
