import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFile } from '../../../src/node/analyzeFile';
import { createExternalDataResolver } from '../../../src/node/externalDataResolver';
import { resnetMini } from '../../fixtures/models';
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

  it('the resolver reuses one open file per location and closes it on dispose', () => {
    tmp.file('w.bin', new Uint8Array(10));
    const r = createExternalDataResolver(path.join(tmp.dir, 'm.onnx'));
    const a = r.open('w.bin');
    assert.equal(r.open('w.bin'), a);
    r.dispose();
  });
});
