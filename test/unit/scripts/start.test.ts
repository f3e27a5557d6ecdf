import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../../support/tempDir';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SAMPLE = path.join(ROOT, 'samples', 'resnet50-quarter-bs50.onnx');

/** `npm start -- --dry-run …`: what it would launch, with `PATH` as given. */
function dryRun(args: string[], pathEnv: string) {
  const r = spawnSync(process.execPath, ['scripts/start.mjs', '--dry-run', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, PATH: pathEnv },
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n');
}

describe('npm start (scripts/start.mjs, dry run)', () => {
  const noCode = path.dirname(process.execPath); // node only: no `code` on it

  it('without desktop VS Code: code-server with its own profile, the sample named, the URL', () => {
    const [launch, url] = dryRun(['--port', '8123'], noCode);
    assert.ok(launch.startsWith(`BLOCK_SPARSE_OPEN_ON_START=${SAMPLE} `), launch);
    assert.match(launch, /code-server --auth none --bind-addr 127\.0\.0\.1:8123 /);
    assert.ok(
      launch.includes(`--extensions-dir ${path.join(ROOT, '.cache', 'start', 'extensions')}`),
    );
    assert.ok(launch.endsWith(` ${path.join(ROOT, 'samples')}`), 'the samples folder is opened');
    assert.equal(
      url,
      `http://127.0.0.1:8123/?folder=${encodeURIComponent(path.join(ROOT, 'samples'))}`,
    );
  });

  it('with `code` on PATH: desktop VS Code with this folder as the extension; --browser overrides', () => {
    const tmp = tempDir();
    try {
      const code = tmp.file('code', '#!/bin/sh\nexit 0\n');
      fs.chmodSync(code, 0o755);
      const withCode = `${tmp.dir}${path.delimiter}${noCode}`;
      assert.deepEqual(dryRun([], withCode), [
        `code --extensionDevelopmentPath ${ROOT} --new-window ${path.join(ROOT, 'samples')} ${SAMPLE}`,
      ]);
      assert.match(
        dryRun(['--browser', '--port', '9000'], withCode)[0],
        /code-server .*127\.0\.0\.1:9000/,
      );
    } finally {
      tmp.remove();
    }
  });
});
