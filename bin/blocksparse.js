#!/usr/bin/env node
'use strict';
// The CLI is bundled into dist/ by `npm run build` (run by `npm install` via "prepare").
//
// The bundle is loaded with V8's code cache: compiling its 800 KB is a sixth of an `analyze`
// run, and Node 20 has no module.enableCompileCache. The cache lives in the user's cache folder
// (never a shared temp folder: it is code), named after the bundle's size, time and inode and
// the Node version, so a rebuilt bundle or another Node never meets a stale cache; V8 checks it
// again and rejects one that does not fit. It is written after a run, when it holds the
// functions that ran, and again after the first run of each other command, whose functions it
// lacked. Failing to read or write it only costs the compile. BLOCKSPARSE_CODE_CACHE=0 turns it
// off.
const fs = require('node:fs');
const path = require('node:path');

// `analyze` has a bundle of its own, a third of the CLI's code (src/cli/analyzeBin.ts)
const bundle = path.join(
  __dirname,
  '..',
  'dist',
  process.argv[2] === 'analyze' ? 'cli-analyze.js' : 'cli.js',
);

function cacheFolder() {
  if (process.env.XDG_CACHE_HOME) return path.join(process.env.XDG_CACHE_HOME, 'blocksparse');
  const home = require('node:os').homedir();
  if (process.platform === 'win32' && process.env.LOCALAPPDATA)
    return path.join(process.env.LOCALAPPDATA, 'blocksparse', 'cache');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'blocksparse');
  return path.join(home, '.cache', 'blocksparse');
}

/** The cache file: [4-byte length][JSON: the commands it has run][V8 code cache]. */
function readCache(file) {
  try {
    const bytes = fs.readFileSync(file);
    const length = bytes.readUInt32LE(0);
    const { commands } = JSON.parse(bytes.subarray(4, 4 + length).toString('utf8'));
    return { commands, data: bytes.subarray(4 + length) };
  } catch {
    return undefined;
  }
}

/** Writes under a temporary name and renames: a reader never sees half a file. */
function writeCache(file, commands, script) {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const header = Buffer.from(JSON.stringify({ commands }), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32LE(header.length, 0);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, Buffer.concat([length, header, script.createCachedData()]));
    fs.renameSync(tmp, file);
    // the caches of earlier builds of this bundle are stale for good: remove them
    const prefix = `${path.basename(bundle, '.js')}-`;
    for (const old of fs.readdirSync(path.dirname(file))) {
      const stale = old.startsWith(prefix) && /^\d/.test(old.slice(prefix.length));
      if (stale && old.endsWith('.v8cache') && old !== path.basename(file))
        fs.rmSync(path.join(path.dirname(file), old), { force: true });
    }
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // nothing was written where nothing can be
    }
  }
}

function runCached() {
  const vm = require('node:vm');
  const Module = require('node:module');
  const source = fs.readFileSync(bundle, 'utf8');
  const stat = fs.statSync(bundle);
  const key = `${stat.size}-${Math.round(stat.mtimeMs * 1000)}-${stat.ino}`;
  const name = path.basename(bundle, '.js');
  const file = path.join(
    cacheFolder(),
    `${name}-${key}-${process.version}-${process.arch}.v8cache`,
  );
  const cached = readCache(file);
  const script = new vm.Script(Module.wrap(source), {
    filename: bundle,
    cachedData: cached?.data,
  });
  const command = String(process.argv[2] ?? '');
  const commands = script.cachedDataRejected ? [] : (cached?.commands ?? []);
  if (!commands.includes(command)) {
    process.once('exit', () => writeCache(file, [...commands, command], script));
  }
  const mod = new Module(bundle, module);
  mod.filename = bundle;
  mod.paths = Module._nodeModulePaths(path.dirname(bundle));
  const requireFromBundle = Module.createRequire(bundle);
  const dirname = path.dirname(bundle);
  script.runInThisContext().call(mod.exports, mod.exports, requireFromBundle, mod, bundle, dirname);
}

/**
 * Command lines that may load ONNX Runtime: its WebAssembly build is loaded with import(), which
 * a vm.Script can only do through an experimental option, and code from a V8 code cache not at
 * all (the host options import() needs are not in the cache: nodejs/node#43663,
 * zertosh/v8-compile-cache#30). They are loaded as any required file.
 */
function mayImport(argv) {
  return argv[0] === 'evaluate' || argv.includes('--verify');
}

if (process.env.BLOCKSPARSE_CODE_CACHE === '0' || mayImport(process.argv.slice(2))) require(bundle);
else runCached();
