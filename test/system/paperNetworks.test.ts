import { strict as assert } from 'node:assert';
import type { CompilerInput } from '../../src/core/compiler/compilerInput';
import { LANES } from '../../src/core/compiler/program';
import { simulate } from '../../src/core/estimate/simulate';
import type { ModeResult } from '../../src/core/estimate/simulationReport';
import { ARCHITECTURE_PRESETS } from '../../src/core/target/presets';
import { inceptionV3, resnet50, vgg16 } from '../fixtures/models';
import { compileInputOf } from '../support/compileBytes';

// The paper's full-size networks on every paper array (test/unit/core/estimate/simulate.test.ts
// has the rest of the simulator): a system test, 2.7 s of the unit suite's 20.
const PAPER = ARCHITECTURE_PRESETS.filter((a) => a.name.startsWith('paper-'));
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const close = (a: number, b: number, what: string) =>
  assert.ok(Math.abs(a - b) <= 1e-12 + 1e-9 * Math.abs(b), `${what}: ${a} vs ${b}`);

function assertTotals(m: ModeResult) {
  close(m.seconds, sum(m.layers.map((l) => l.seconds)), 'seconds');
  for (const lane of LANES) close(m.lanes[lane], sum(m.layers.map((l) => l.lanes[lane])), lane);
  close(
    m.compiledWeightBytes,
    sum(m.layers.map((l) => l.compiledWeightBytes)),
    'compiled weight bytes',
  );
  assert.equal(m.peakMemtileBytes, Math.max(...m.layers.map((l) => l.memtileBytes)));
  m.layers.forEach(
    (l, i) =>
      i > 0 &&
      close(l.start, m.layers[i - 1].start + m.layers[i - 1].seconds, 'layers run back to back'),
  );
}

describe('simulate (paper mode) on the paper networks', () => {
  describe('the paper networks on every paper array, both modes', function () {
    this.timeout(180000);
    const nets: [string, () => CompilerInput][] = [
      ['ResNet-50', () => compileInputOf(resnet50({ zeroFraction: 0.5 }).bytes)],
      ['Inception-v3', () => compileInputOf(inceptionV3({ zeroFraction: 0.5 }).bytes)],
      ['VGG-16 (no FC)', () => compileInputOf(vgg16({ zeroFraction: 0.5 }).bytes)],
    ];
    for (const [name, make] of nets) {
      it(`${name}: compiles everywhere, sums add up, sparse never slower, MACs independent of the array`, () => {
        const input = make();
        let macs: number | undefined;
        for (const arch of PAPER) {
          const r = simulate(input, { arch, trace: false });
          const { dense, sparse } = r.modes;
          assert.ok(dense && sparse);
          assert.deepEqual(
            r.diagnostics.filter((d) => d.code === 'BS4002'),
            [],
            `${arch.name}: every layer placed`,
          );
          assertTotals(dense);
          assertTotals(sparse);
          assert.ok(
            sparse.seconds <= dense.seconds,
            `${arch.name}: sparse ${sparse.seconds} > dense ${dense.seconds}`,
          );
          // the same steps in both modes; no layer slower sparse (those are kept dense)
          assert.deepEqual(
            sparse.layers.map((l) => l.name),
            dense.layers.map((l) => l.name),
          );
          sparse.layers.forEach((l, i) => {
            const d = dense.layers[i];
            assert.ok(l.seconds <= d.seconds * (1 + 1e-12), `${arch.name} ${l.name} slower sparse`);
            assert.ok(l.compiledWeightBytes <= d.compiledWeightBytes, l.name);
            if (l.keptDense) assert.equal(l.rho, 1, `${l.name}: kept dense means ρ = 1`);
          });
          // rule 1: the classifier is cut at the Flatten and reported as CPU work
          if (name !== 'VGG-16 (no FC)') {
            assert.match(r.cpu.cutAt ?? '', /Flatten/);
            assert.ok(r.cpu.cutMacs > 0);
          }
          assert.ok(r.speedup !== null && r.speedup >= 1);
          macs ??= dense.macs;
          assert.equal(dense.macs, macs, `${arch.name}: total MACs`);
          assert.equal(sparse.macs, macs);
        }
      });
    }
  });
});
