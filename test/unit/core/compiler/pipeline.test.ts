import { strict as assert } from 'node:assert';
import { PAPER_CHOICES } from '../../../../src/core/compiler/choices';
import {
  compile,
  PASSES,
  passDumpName,
  runPasses,
  type AnyPass,
} from '../../../../src/core/compiler/compile';
import { CompileDiagnostics, type PassContext } from '../../../../src/core/compiler/passContext';
import { resnetMini } from '../../../fixtures/models';
import { compileInputOf, preset } from '../../../support/compileBytes';

const input = compileInputOf(resnetMini().bytes);
const ctx = (): PassContext => ({
  arch: preset('paper-4x4'),
  precision: 'int8',
  mode: 'sparse',
  choices: PAPER_CHOICES,
  keptDense: new Set(),
  diagnostics: new CompileDiagnostics(),
});
const byName = (name: string): AnyPass => {
  const p = PASSES.find((x) => x.name === name);
  assert.ok(p, name);
  return p;
};

describe('compiler pipeline: named passes, each run once', () => {
  it('the passes write distinct fields and read only what earlier passes wrote', () => {
    const written = new Set<string>();
    for (const p of PASSES) {
      for (const r of p.reads) assert.ok(written.has(r), `${p.name} reads ${r} before it exists`);
      assert.ok(!written.has(p.writes), `${p.writes} written twice`);
      written.add(p.writes);
    }
    assert.deepEqual(
      PASSES.map((p) => p.name),
      ['lower', 'cut', 'schedule', 'subvolume', 'compression', 'memory', 'ddr-tiling', 'program'],
    );
    assert.deepEqual(
      PASSES.map(passDumpName),
      PASSES.map((p, i) => `${i + 1}-${p.name}`),
    );
  });

  it('compile runs every pass once, in order', () => {
    const seen: string[] = [];
    compile(input, { arch: preset('paper-4x4'), precision: 'int8', mode: 'dense' }, (p) =>
      seen.push(p.name),
    );
    assert.deepEqual(
      seen,
      PASSES.map((p) => p.name),
    );
  });

  it('a pass that runs twice is refused', () => {
    const twice = [...PASSES.slice(0, 3), byName('schedule'), ...PASSES.slice(3)];
    assert.throws(
      () => runPasses(twice, input, ctx()),
      /'schedule' would write 'schedule' a second time/,
    );
  });

  it('a pass that reads a later pass’s output is refused', () => {
    const early = [byName('lower'), byName('schedule'), byName('cut')];
    assert.throws(
      () => runPasses(early, input, ctx()),
      /'schedule' reads 'cut' before any pass wrote it/,
    );
  });

  it('a pass that reads a field it does not declare is refused', () => {
    const sneaky: AnyPass = {
      name: 'sneaky',
      reads: ['network'],
      writes: 'cut',
      run: (plan) => plan.schedule,
      dump: () => '',
    };
    const lowerPass = byName('lower');
    const schedulePass = byName('schedule');
    assert.throws(
      () => runPasses([lowerPass, { ...schedulePass, reads: [] }, sneaky], input, ctx()),
      /'schedule' read 'network', which it does not declare/,
    );
    assert.throws(
      () => runPasses([lowerPass, sneaky], input, ctx()),
      /'sneaky' read 'schedule', which it does not declare/,
    );
  });

  it('the full pipeline through runPasses gives the same plan as compile', () => {
    const plan = runPasses(PASSES, input, ctx());
    const viaCompile = compile(input, {
      arch: preset('paper-4x4'),
      precision: 'int8',
      mode: 'sparse',
    }).plan;
    assert.deepEqual([...(plan.program?.keys() ?? [])], [...viaCompile.program.keys()]);
    assert.deepEqual([...(plan.program?.values() ?? [])], [...viaCompile.program.values()]);
  });
});
