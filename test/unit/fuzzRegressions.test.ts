import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readTripwire, runCase } from '../fuzz/runCase';

/**
 * Every input the fuzzer once crashed or hung on (test/fuzz/regressions/<name>/: model.onnx,
 * the files beside it, case.json saying what it was) must now end in a result or a diagnostic
 * through every entry point.
 */
const ROOT = path.resolve('test/fuzz/regressions');

describe('fuzz regressions', () => {
  const cases = fs.readdirSync(ROOT).filter((d) => fs.existsSync(path.join(ROOT, d, 'model.onnx')));
  let work: string;
  before(() => (work = fs.mkdtempSync(path.join(os.tmpdir(), 'bss-fuzz-regression-'))));
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it('has regression fixtures', () => assert.ok(cases.length >= 3, cases.join(', ')));

  it('the tripwire outside the model folder notices a read, and not a stat', () => {
    const file = path.join(work, 'tripwire.bin');
    const wire = readTripwire(file);
    fs.statSync(file);
    fs.realpathSync(file);
    assert.equal(wire.wasRead(), false);
    fs.readFileSync(file);
    assert.equal(wire.wasRead(), true);
  });

  for (const name of cases) {
    it(`${name}: a result or a diagnostic from every entry point`, () => {
      const dir = path.join(ROOT, name);
      const bytes = fs.readFileSync(path.join(dir, 'model.onnx'));
      const side = new Map(
        fs
          .readdirSync(dir)
          .filter((f) => f !== 'model.onnx' && f !== 'case.json')
          .map((f) => [f, fs.readFileSync(path.join(dir, f))] as const),
      );
      const info = JSON.parse(fs.readFileSync(path.join(dir, 'case.json'), 'utf8')) as {
        expect?: string[];
      };
      const outcome = runCase(path.join(work, name), bytes, side);
      assert.equal(outcome.crash, undefined, outcome.crash?.message);
      for (const code of info.expect ?? []) assert.ok(outcome.codes.includes(code), code);
    });
  }
});
