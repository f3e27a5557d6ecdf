import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { vggStack } from '../fixtures/models';
import { tempDir } from '../support/tempDir';

const BIN = path.resolve('bin', 'blocksparse.js');

/** The CLI as a user runs it, with its cache folder under the test's own. */
function cli(args: string[], cacheHome: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, XDG_CACHE_HOME: cacheHome, ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The cache files, each with the commands its header says it has run. */
function caches(cacheHome: string): { file: string; commands: string[] }[] {
  const dir = path.join(cacheHome, 'blocksparse');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.v8cache'))
    .map((f) => {
      const bytes = fs.readFileSync(path.join(dir, f));
      const header = bytes.subarray(4, 4 + bytes.readUInt32LE(0)).toString('utf8');
      return { file: path.join(dir, f), commands: JSON.parse(header).commands };
    });
}

describe('blocksparse CLI code cache (bin/blocksparse.js)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let model: string;
  before(() => {
    tmp = tempDir();
    model = tmp.file('m.onnx', vggStack({ zeroFraction: 0.5 }).bytes);
  });
  after(() => tmp.remove());

  it('is written after a run, once per command, and changes nothing the user sees', () => {
    const home = path.join(tmp.dir, 'cache');
    const plain = cli(['analyze', model], home, { BLOCKSPARSE_CODE_CACHE: '0' });
    assert.equal(plain.code, 0, plain.err);
    assert.deepEqual(caches(home), [], 'BLOCKSPARSE_CODE_CACHE=0 writes none');

    // a cache of an earlier build of the bundle, which the first write removes
    fs.mkdirSync(path.join(home, 'blocksparse'), { recursive: true });
    const stale = path.join(home, 'blocksparse', 'cli-analyze-1-2-3-v20.0.0-x64.v8cache');
    fs.writeFileSync(stale, 'an earlier build');
    const first = cli(['analyze', model], home);
    assert.ok(!fs.existsSync(stale), 'the stale cache is removed');
    assert.deepEqual(first, plain);
    assert.deepEqual(
      caches(home).map((c) => c.commands),
      [['analyze']],
    );
    const written = fs.statSync(caches(home)[0].file).mtimeMs;
    assert.deepEqual(cli(['analyze', model], home), plain, 'from the cache');
    assert.equal(fs.statSync(caches(home)[0].file).mtimeMs, written, 'not rewritten');

    // another command: the whole CLI's bundle, its own cache; analyze keeps the lean one's
    assert.equal(cli(['simulate', model], home).code, 0);
    assert.equal(cli(['archs'], home).code, 0);
    assert.deepEqual(
      caches(home)
        .map((c) => [path.basename(c.file).replace(/-\d.*$/, ''), c.commands])
        .sort(),
      [
        ['cli', ['simulate', 'archs']],
        ['cli-analyze', ['analyze']],
      ],
    );
    assert.deepEqual(cli(['analyze', model], home), plain);
  });

  it('a corrupt or foreign cache file is ignored and replaced', () => {
    const home = path.join(tmp.dir, 'cache2');
    const plain = cli(['analyze', model, '--json'], home, { BLOCKSPARSE_CODE_CACHE: '0' });
    assert.equal(cli(['analyze', model, '--json'], home).code, 0);
    const [cache] = caches(home);
    for (const junk of [
      Buffer.from('garbage'),
      Buffer.concat([fs.readFileSync(cache.file).subarray(0, 40), Buffer.alloc(5000, 7)]),
    ]) {
      fs.writeFileSync(cache.file, junk);
      assert.deepEqual(cli(['analyze', model, '--json'], home), plain);
      assert.deepEqual(
        caches(home).map((c) => c.commands),
        [['analyze']],
        'rewritten',
      );
    }
  });

  it('an unwritable cache folder only costs the compile', () => {
    const home = path.join(tmp.dir, 'not-a-folder');
    fs.writeFileSync(home, 'a file where the cache folder would go');
    const r = cli(['analyze', model], home);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '');
  });
});
