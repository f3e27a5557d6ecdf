// `npm start`: the product, as a user meets it — the extension built and loaded in a real VS Code
// with the sample model open in the model view. Desktop VS Code (`code --extensionDevelopmentPath`)
// when `code` is on PATH; otherwise the project's code-server (installed into .cache on first
// use) in the browser: the URL is printed, and opened when a browser can be. The CLI stays one
// command away: `npx blocksparse analyze samples/resnet50-quarter-bs50.onnx`.
//
//   npm start                   desktop VS Code if there is one, else code-server
//   npm start -- --browser      code-server even with a desktop VS Code
//   npm start -- --port 8123    code-server's port (default: the first free one from 8080)
//   npm start -- --dry-run      print what would be launched, launch nothing
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import {
  CODE_SERVER_BIN,
  codeServerArgs,
  ensureCodeServerOnly,
  have,
} from './ensureCodeServer.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const dryRun = flag('dry-run');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const samples = path.join(root, 'samples');
const sample = path.join(samples, 'resnet50-quarter-bs50.onnx');

function run(cmd, argv) {
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function freePort(from) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(freePort(from + 1)));
    s.listen(from, '127.0.0.1', () => s.close(() => resolve(from)));
  });
}

if (!dryRun) {
  run(process.execPath, ['scripts/build.mjs']);
  run(process.execPath, ['--import', 'tsx', 'scripts/writeSample.ts']);
}

if (have('code') && !flag('browser')) {
  // desktop VS Code: the extension from this folder, a window on samples/ with the sample open
  const argv = ['--extensionDevelopmentPath', root, '--new-window', samples, sample];
  console.log(`code ${argv.join(' ')}`);
  if (!dryRun) spawn('code', argv, { stdio: 'inherit', detached: true }).unref();
  process.exit(0);
}

// code-server: its own profile under .cache/start, the extension linked in from this folder (a
// rebuild shows after a window reload), the sample opened by the extension when it activates
const home = path.join(root, '.cache', 'start');
const extensions = path.join(home, 'extensions');
const userData = path.join(home, 'user-data');
const port = Number(option('port') ?? (await freePort(8080)));
const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(samples)}`;
const argv = codeServerArgs({
  port,
  extensionsDir: extensions,
  userDataDir: userData,
  folder: samples,
});
console.log(`BLOCK_SPARSE_OPEN_ON_START=${sample} ${CODE_SERVER_BIN} ${argv.join(' ')}`);
if (dryRun) {
  console.log(url);
  process.exit(0);
}
ensureCodeServerOnly();
const link = path.join(extensions, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
fs.mkdirSync(extensions, { recursive: true });
if (!fs.existsSync(link)) fs.symlinkSync(root, link, 'dir');
// the registry an install would write hides linked folders: VS Code scans the folder instead
fs.rmSync(path.join(extensions, 'extensions.json'), { force: true });
const settings = path.join(userData, 'User', 'settings.json');
if (!fs.existsSync(settings)) {
  fs.mkdirSync(path.dirname(settings), { recursive: true });
  fs.writeFileSync(
    settings,
    JSON.stringify(
      {
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'extensions.autoCheckUpdates': false,
        // our walkthrough opens beside the sample; VS Code's own welcome would cover it
        'workbench.startupEditor': 'none',
        // the sample folder sits inside this repository: no offer to open it
        'git.openRepositoryInParentFolders': 'never',
      },
      null,
      2,
    ),
  );
}
const server = spawn(CODE_SERVER_BIN, argv, {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, BLOCK_SPARSE_OPEN_ON_START: sample },
});
let announced = false;
server.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  if (announced || !/HTTP server listening/.test(String(chunk))) return;
  announced = true;
  console.log(`\nBlock Sparse Studio in VS Code (code-server): ${url}`);
  console.log('The sample model opens in the model view; Ctrl+C stops the server.');
  console.log(`The CLI: npx blocksparse analyze ${path.relative(root, sample)}\n`);
  // a desktop session can show it at once; a headless machine prints the URL only
  if (!flag('no-open') && (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) && have('xdg-open'))
    spawn('xdg-open', [url], { stdio: 'ignore', detached: true }).unref();
});
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => {
    server.kill('SIGTERM');
    process.exit(0);
  });
server.on('exit', (code) => process.exit(code ?? 0));
