import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeModel } from '../../../src/core/analysis/analyzeModel';
import { analyzeFile, loadModelFile, openModelFile } from '../../../src/node/analyzeFile';
import { createExternalDataResolver } from '../../../src/node/externalDataResolver';
import { resnetMini, vggStack } from '../../fixtures/models';
import { oneConvModel } from '../../fixtures/specialModels';
import { assertMatchesTruths } from '../../support/analyzeBytes';
import { tempDir } from '../../support/tempDir';

/** A one-Conv model whose weight lives in external data at the given location and offset. */
function externalModel(location: string, offset = 0, length = 8 * 8 * 4) {
  return oneConvModel({
    data_location: 1,
    external_data: [
      { key: 'location', value: location },
      { key: 'offset', value: String(offset) },
      { key: 'length', value: String(length) },
    ],
  });
}

describe('analyzeFile (Node adapter)', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.remove());

  it('analyses a model with external data next to it', () => {
    const f = resnetMini({ storage: 'external', externalLocation: 'data/mini.weights' });
    assert.ok(f.externalData);
    tmp.file('data/mini.weights', f.externalData);
    const result = analyzeFile(tmp.file('mini.onnx', f.bytes));
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    assertMatchesTruths(result.report, f.truths);
  });

  for (const [what, location] of [
    ['..', '../secret.bin'],
    ['.. inside the path', 'data/../../secret.bin'],
    ['an absolute path', '/etc/passwd'],
    ['a Windows drive', 'C:\\Windows\\win.ini'],
    ['a UNC path', '\\\\server\\share\\w.bin'],
    ['an encoded separator', '..%2fsecret.bin'],
    ['encoded dots', '%2e%2e/secret.bin'],
    ['an encoded backslash', '..%5csecret.bin'],
    ['a double-encoded separator', '..%252fsecret.bin'],
    ['backslashes', '..\\secret.bin'],
    ['a drive-relative path', 'c:secret.bin'],
    ['a forward-slash UNC path', '//server/share/w.bin'],
    ['a device path', '\\\\?\\C:\\secret.bin'],
    ['an NTFS stream', 'w.bin:secret'],
    ['a file URL', 'file:///etc/passwd'],
    ['trailing dots (Windows reads ... as ..)', '.../secret.bin'],
    ['dots and a space', '.. /secret.bin'],
    ['full-width dots', '\uff0e\uff0e/secret.bin'],
    ['a full-width solidus', '..\uff0fsecret.bin'],
    ['a division slash', '..\u2215secret.bin'],
    ['a one-dot leader', '\u2024\u2024/secret.bin'],
    ['a right-to-left override', 'nib.\u202eterces'],
    ['a zero-width space', '.\u200b./secret.bin'],
    ['a NUL character', 'w.bin\u0000../../secret.bin'],
    ['a Windows device name', 'CON'],
    ['a Windows device name with an extension', 'data/nul.bin'],
  ]) {
    it(`refuses external data through ${what} (BS1010)`, () => {
      tmp.file('secret.bin', new Uint8Array(256));
      const model = tmp.file('inner/m.onnx', externalModel(location));
      const result = analyzeFile(model);
      assert.ok(!result.ok);
      assert.equal(result.error.code, 'BS1010');
    });
  }

  it('refuses a symlink that leaves the model folder (BS1010)', () => {
    tmp.file('outside/secret.bin', new Uint8Array(256));
    fs.mkdirSync(path.join(tmp.dir, 'inner'));
    fs.symlinkSync(
      path.join(tmp.dir, 'outside', 'secret.bin'),
      path.join(tmp.dir, 'inner', 'w.bin'),
    );
    const result = analyzeFile(tmp.file('inner/m.onnx', externalModel('w.bin')));
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'BS1010');
  });

  it('refuses a symlinked folder on the way out of the model folder (BS1010)', () => {
    tmp.file('outside/w.bin', new Uint8Array(256));
    fs.mkdirSync(path.join(tmp.dir, 'inner'));
    fs.symlinkSync(path.join(tmp.dir, 'outside'), path.join(tmp.dir, 'inner', 'data'));
    const result = analyzeFile(tmp.file('inner/m.onnx', externalModel('data/w.bin')));
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'BS1010');
  });

  it('follows a symlink that stays inside the model folder', () => {
    tmp.file('inner/real/w.bin', new Uint8Array(256));
    fs.symlinkSync(
      path.join(tmp.dir, 'inner', 'real', 'w.bin'),
      path.join(tmp.dir, 'inner', 'w.bin'),
    );
    const result = analyzeFile(tmp.file('inner/m.onnx', externalModel('w.bin')));
    assert.ok(result.ok, result.ok ? '' : result.error.message);
  });

  it('plain relative locations, ./ and sub-folders are read', () => {
    tmp.file('inner/data/w 1.bin', new Uint8Array(256));
    for (const location of ['./data/w 1.bin', 'data/w 1.bin', 'data//w 1.bin', 'data\\w 1.bin']) {
      if (location.includes('\\') && path.sep === '/') continue; // a backslash is a name char here
      const result = analyzeFile(tmp.file('inner/m.onnx', externalModel(location)));
      assert.ok(result.ok, `${location}: ${result.ok ? '' : result.error.message}`);
    }
  });

  it('a FIFO named as external data is refused without waiting for a writer', () => {
    fs.mkdirSync(path.join(tmp.dir, 'inner'));
    const fifo = path.join(tmp.dir, 'inner', 'w.bin');
    const made = spawnSync('mkfifo', [fifo]);
    assert.equal(made.status, 0, 'mkfifo');
    const result = analyzeFile(tmp.file('inner/m.onnx', externalModel('w.bin')));
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'BS1011');
  });

  it('a model file over 2 GiB is refused before it is read, pointing to external data (BS1006)', () => {
    const big = tmp.file('big.onnx');
    const fd = fs.openSync(big, 'w');
    fs.ftruncateSync(fd, 2 ** 31 + 1); // sparse: no 2 GiB written
    fs.closeSync(fd);
    const result = analyzeFile(big);
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'BS1006');
    assert.match(result.error.message, /2 GiB.*external data/);
  });

  it('a length prefix claiming over 2 GiB is a clear error, with nothing allocated for it', () => {
    // ModelProto.graph (field 7) claiming 2^31 + 5 bytes in a 12-byte file
    const bytes = Uint8Array.from([0x08, 0x08, 0x3a, 0x85, 0x80, 0x80, 0x80, 0x08, 0, 0, 0, 0]);
    const before = process.memoryUsage().arrayBuffers;
    const result = analyzeFile(tmp.file('claim.onnx', bytes));
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'BS1001');
    assert.match(result.error.message, /claims 2 GiB or more.*external data/);
    assert.ok(process.memoryUsage().arrayBuffers - before < 64 * 1024 * 1024);
  });

  it('a missing external file is BS1011', () => {
    const result = analyzeFile(tmp.file('m.onnx', externalModel('nowhere.bin')));
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'BS1011');
  });

  it('a range past the end of the external file is BS1012', () => {
    tmp.file('w.bin', new Uint8Array(100));
    const result = analyzeFile(tmp.file('m.onnx', externalModel('w.bin', 50)));
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'BS1012');
  });

  it('reads external data beyond 2 GiB and 4 GiB offsets (sparse file)', () => {
    const big = tmp.file('big.bin');
    const fd = fs.openSync(big, 'w');
    const offsets = [2 ** 31 + 64, 2 ** 32 + 128];
    const w = new Float32Array(64).fill(0.5);
    for (let o = 0; o < 8; o++) w[o * 8] = 0; // zero the first input channel only: no zero block
    for (const offset of offsets) fs.writeSync(fd, new Uint8Array(w.buffer), 0, 256, offset);
    fs.closeSync(fd);
    for (const offset of offsets) {
      const result = analyzeFile(tmp.file(`m${offset}.onnx`, externalModel('big.bin', offset)));
      assert.ok(result.ok, result.ok ? '' : result.error.message);
      assert.equal(result.report.layers[0].zeroBlocks, 0);
      assert.equal(result.report.layers[0].elementSparsity, 8 / 64);
    }
  });

  it('a missing model file is BS1000; a folder is BS1000', () => {
    const missing = analyzeFile(path.join(tmp.dir, 'none.onnx'));
    assert.ok(
      !missing.ok &&
        missing.error.code === 'BS1000' &&
        /does not exist/.test(missing.error.message),
    );
    const folder = analyzeFile(tmp.dir);
    assert.ok(!folder.ok && folder.error.code === 'BS1000');
  });

  it('reads the structure first and each weight when it is scanned: same report as the whole file', () => {
    // VGG's first blocks at an eighth of their width: its larger weights are over 64 KiB
    const file = tmp.file('m.onnx', vggStack({ zeroFraction: 0.5 }).bytes);
    const opened = openModelFile(file);
    assert.ok(opened.ok);
    try {
      const ranged = [...opened.model.graph.initializers.values()].filter(
        (t) => t.storage.kind === 'ranged',
      );
      assert.ok(ranged.length > 0, 'the large weights were left in the file');
      const whole = loadModelFile(file);
      assert.ok(whole.ok);
      assert.deepEqual(
        JSON.stringify(analyzeModel(opened.model)),
        JSON.stringify(analyzeModel(whole.model)),
      );
    } finally {
      opened.close();
    }
  });

  it('a model file cut short after it was opened is an error diagnostic, not a crash', () => {
    const file = tmp.file('m.onnx', vggStack({ zeroFraction: 0.5 }).bytes);
    const opened = openModelFile(file);
    assert.ok(opened.ok);
    try {
      fs.truncateSync(file, 1000);
      const report = analyzeModel(opened.model);
      const error = report.diagnostics.find((d) => d.severity === 'error');
      assert.ok(error, 'an error is reported');
      assert.equal(error.code, 'BS1000');
      assert.match(error.message, /changed while it was analysed/);
    } finally {
      opened.close();
    }
  });

  it('a file that is not a model gets the same diagnostic whichever way it is read', () => {
    for (const bytes of [
      new TextEncoder().encode('{"not": "a model"}'),
      resnetMini().bytes.subarray(0, 5000),
      new Uint8Array(0),
    ]) {
      const file = tmp.file('bad.onnx', bytes);
      const opened = openModelFile(file);
      const whole = loadModelFile(file);
      assert.ok(!opened.ok && !whole.ok);
      assert.deepEqual(opened.error, whole.error);
    }
  });

  it('the resolver reuses one open file per location and closes it on dispose', () => {
    tmp.file('w.bin', new Uint8Array(10));
    const r = createExternalDataResolver(path.join(tmp.dir, 'm.onnx'));
    const a = r.open('w.bin');
    assert.equal(r.open('w.bin'), a);
    r.dispose();
  });
});
