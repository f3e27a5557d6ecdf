import { strict as assert } from 'node:assert';
import {
  ALL_ASSUMPTIONS,
  ASSUMPTION_NAMES,
  DEFAULT_EFFICIENCY,
  NO_ASSUMPTIONS,
  PAPER_MODEL,
  REFINED_MODEL,
  type EstimateModel,
} from '../../../../src/core/estimate/assumptions';
import { assumptionLedger } from '../../../../src/core/estimate/assumptionLedger';
import { simulate } from '../../../../src/core/estimate/simulate';
import type { ModeResult, SimLayer } from '../../../../src/core/estimate/simulationReport';
import { whyNotFaster } from '../../../../src/core/estimate/whyNotFaster';
import type { CompilerInput } from '../../../../src/core/compiler/compilerInput';
import { parseArchitecture, type AieArchitecture } from '../../../../src/core/target/architecture';
import { PRECISION_INFO } from '../../../../src/core/target/precision';
import { ARCHITECTURE_PRESETS } from '../../../../src/core/target/presets';
import { toChromeTrace } from '../../../../src/core/estimate/chromeTrace';
import {
  depthwiseNet,
  inceptionBlock,
  resnetMini,
  vgg16,
  vggStack,
} from '../../../fixtures/models';
import { compileInputOf, preset } from '../../../support/compileBytes';
import { paperModels } from '../../../support/paperFidelity';

const refined = (over: Partial<Record<(typeof ASSUMPTION_NAMES)[number], boolean>>) =>
  ({
    kind: 'refined',
    assumptions: { ...ALL_ASSUMPTIONS, ...over },
    efficiency: DEFAULT_EFFICIENCY,
  }) as EstimateModel;

const FIXTURES: [string, () => CompilerInput, string][] = [
  ['resnet-mini', () => compileInputOf(resnetMini({ zeroFraction: 0.5 }).bytes), 'paper-4x4'],
  ['inception-block', () => compileInputOf(inceptionBlock().bytes), 'paper-3x3'],
  ['vgg-stack', () => compileInputOf(vggStack({ widthDivisor: 1, size: 112 }).bytes), 'paper-2x2'],
  ['depthwise', () => compileInputOf(depthwiseNet().bytes), 'npu-strix'],
];

/** The layer's seconds can never beat its compute roofline (all cores at the MAC peak). */
function computeRoofline(l: SimLayer, m: ModeResult, arch: AieArchitecture, mpc: number): number {
  if (!l.op.startsWith('conv')) return 0;
  const density = m.mode === 'sparse' && !l.keptDense ? l.layerDensity : 1;
  return (l.macs * density) / (arch.columns * arch.rows * mpc * arch.clockHz);
}

/**
 * Nor its DDR roofline: the bytes it moves in one memtile over every DDR channel of its column,
 * reads and writes at once (AM020: two MM2S and two S2MM channels of 4 B/cycle).
 */
function ddrRoofline(l: SimLayer, arch: AieArchitecture): number {
  return l.ddrBytes / (2 * arch.ddrChannelsPerMemtile * arch.ddrChannelBytesPerSecond);
}

describe('refined mode (named assumptions over the paper estimator)', () => {
  it('with every assumption off it is paper mode exactly, layer by layer and lane by lane', () => {
    for (const [name, make, arch] of FIXTURES) {
      const input = make();
      const paper = simulate(input, { arch: preset(arch), model: PAPER_MODEL, trace: false });
      const off = simulate(input, {
        arch: preset(arch),
        model: { kind: 'refined', assumptions: NO_ASSUMPTIONS, efficiency: DEFAULT_EFFICIENCY },
        trace: false,
      });
      for (const mode of ['dense', 'sparse'] as const) {
        const p = paper.modes[mode];
        const r = off.modes[mode];
        assert.ok(p && r);
        assert.equal(r.seconds, p.seconds, `${name} ${mode}`);
        assert.deepEqual(r.lanes, p.lanes, `${name} ${mode} lanes`);
        assert.deepEqual(
          r.layers.map((l) => [l.name, l.seconds, l.bound]),
          p.layers.map((l) => [l.name, l.seconds, l.bound]),
        );
      }
    }
  });

  it('each assumption on its own moves the estimate of some fixture net (none is dead)', () => {
    const inputs = [
      ...FIXTURES.map(([, make, arch]) => [make(), preset(arch)] as const),
      // narrow tensors: ResNet-mini's last maps are narrower than VE2802's 38 columns
      [compileInputOf(resnetMini({ zeroFraction: 0.5 }).bytes), preset('ve2802')] as const,
    ];
    // depth tiling needs consecutive DDR steps: the VGG stack on 2x2 has them
    for (const a of ASSUMPTION_NAMES) {
      const only = { ...NO_ASSUMPTIONS, [a]: true };
      const moved = inputs.some(([input, arch]) => {
        const base = simulate(input, { arch, model: PAPER_MODEL, trace: false });
        const one = simulate(input, {
          arch,
          model: { kind: 'refined', assumptions: only, efficiency: DEFAULT_EFFICIENCY },
          trace: false,
        });
        return (
          one.modes.dense?.seconds !== base.modes.dense?.seconds ||
          one.modes.sparse?.seconds !== base.modes.sparse?.seconds
        );
      });
      assert.ok(moved, `${a} changes nothing on any fixture`);
    }
  });

  it('every layer of the fixture nets respects its compute and DDR rooflines; why adds up', () => {
    for (const [name, make, archName] of FIXTURES) {
      const arch = preset(archName);
      const r = simulate(make(), { arch, model: REFINED_MODEL, trace: false });
      const mpc = PRECISION_INFO[r.precision].macsPerCycle;
      for (const m of [r.modes.dense, r.modes.sparse]) {
        assert.ok(m);
        for (const l of m.layers) {
          const own = l.seconds + l.prefetchSeconds;
          assert.ok(own >= computeRoofline(l, m, arch, mpc) * (1 - 1e-12), `${name} ${l.name}`);
          assert.ok(own >= ddrRoofline(l, arch) * (1 - 1e-12), `${name} ${l.name} DDR`);
          const p = l.path;
          assert.ok(Math.abs(p.ddr + p.weights + p.compute + p.memtileCore - l.seconds) < 1e-15);
        }
      }
      const why = whyNotFaster(r).reduce((a, w) => a + w.seconds, 0);
      assert.ok(Math.abs(why - (r.modes.sparse?.imageSeconds ?? 0)) < 1e-12, name);
    }
  });

  it('more columns never make a compute-bound layer slower (4 rows, 2 to 8 columns)', () => {
    const arrays = [2, 3, 4, 5, 6, 7, 8].map((columns) => {
      const a = parseArchitecture({ name: `c${columns}`, columns, rows: 4 }, 'test');
      assert.ok(!Array.isArray(a));
      return a;
    });
    for (const input of [
      compileInputOf(resnetMini({ zeroFraction: 0.5 }).bytes),
      compileInputOf(inceptionBlock().bytes),
      compileInputOf(vgg16({ size: 64, widthDivisor: 4 }).bytes),
    ]) {
      const runs = arrays.map(
        (arch) => simulate(input, { arch, model: REFINED_MODEL, trace: false }).modes.dense,
      );
      for (let k = 1; k < runs.length; k++) {
        const before = new Map(runs[k - 1]?.layers.map((l) => [l.name, l]));
        for (const l of runs[k]?.layers ?? []) {
          const b = before.get(l.name);
          if (b?.bound !== 'compute' || l.bound !== 'compute') continue;
          assert.ok(
            l.seconds <= b.seconds * (1 + 1e-12),
            `${l.name}: ${b.seconds} s on ${arrays[k - 1].name}, ${l.seconds} s on ${arrays[k].name}`,
          );
        }
      }
    }
  });

  it("prefetch: weights load during the previous layer's passes; the trace shows the overlap", () => {
    const input = compileInputOf(resnetMini({ zeroFraction: 0.5 }).bytes);
    const arch = preset('paper-4x4');
    const on = simulate(input, { arch, model: REFINED_MODEL, trace: true });
    const off = simulate(input, { arch, model: refined({ prefetch: false }), trace: false });
    const sparse = on.modes.sparse;
    assert.ok(sparse && off.modes.sparse);
    const prefetched = sparse.layers.filter((l) => l.prefetchSeconds > 0);
    assert.ok(prefetched.length > 0, 'some layer prefetches');
    assert.ok(sparse.seconds < off.modes.sparse.seconds);
    // the prefetched LOADW starts before its layer, inside the previous one
    const i = sparse.layers.indexOf(prefetched[0]);
    const loadw = sparse.trace.find((e) => e.layer === i && e.lane === 'LOADW');
    assert.ok(loadw && loadw.start < sparse.layers[i].start);
    assert.ok(loadw.start >= sparse.layers[i - 1].start);
    const chrome = toChromeTrace(on);
    assert.ok(
      chrome.traceEvents.length > 0,
      'the Chrome trace of refined mode opens like paper mode’s',
    );
  });
});

describe('refined mode on the paper networks (50% zero blocks), every preset', () => {
  const models = paperModels();
  for (const [net, input] of Object.entries(models)) {
    it(`${net}: both modes on every preset, rooflines held, ledger adds up`, () => {
      for (const arch of ARCHITECTURE_PRESETS) {
        for (const model of [PAPER_MODEL, REFINED_MODEL]) {
          const r = simulate(input, { arch, model, trace: false });
          assert.ok(r.modes.dense && r.modes.sparse, `${net} ${arch.name} ${model.kind}`);
          assert.ok(r.modes.dense.seconds > 0 && r.modes.sparse.seconds > 0);
          if (model.kind === 'paper') continue;
          const mpc = PRECISION_INFO[r.precision].macsPerCycle;
          for (const m of [r.modes.dense, r.modes.sparse])
            for (const l of m.layers) {
              const own = l.seconds + l.prefetchSeconds;
              assert.ok(own >= computeRoofline(l, m, arch, mpc) * (1 - 1e-12), l.name);
              assert.ok(own >= ddrRoofline(l, arch) * (1 - 1e-12), `${l.name} DDR`);
            }
        }
      }
      for (const name of ['paper-4x4', 'npu-strix', 've2802']) {
        const arch = preset(name);
        const l = assumptionLedger(input, {
          arch,
          assumptions: ALL_ASSUMPTIONS,
          efficiency: DEFAULT_EFFICIENCY,
        });
        const r = simulate(input, { arch, model: REFINED_MODEL, trace: false });
        const p = simulate(input, { arch, model: PAPER_MODEL, trace: false });
        assert.equal(l.paper.dense, p.modes.dense?.seconds);
        assert.equal(l.refined.sparse, r.modes.sparse?.seconds);
        for (const mode of ['dense', 'sparse'] as const) {
          const key = mode === 'dense' ? 'deltaDense' : 'deltaSparse';
          const sum = l.steps.reduce((a, s) => a + s[key], 0);
          assert.ok(Math.abs(l.paper[mode] + sum - l.refined[mode]) < 1e-15, `${net} ${name}`);
        }
      }
    });
  }

  it('depth tiling lowers VGG-16 DDR traffic on paper-4x4 and never changes MACs', () => {
    const input = models.vgg16;
    const arch = preset('paper-4x4');
    const on = simulate(input, { arch, model: REFINED_MODEL, trace: false });
    const off = simulate(input, { arch, model: refined({ 'depth-tiling': false }), trace: false });
    for (const mode of ['dense', 'sparse'] as const) {
      const a = on.modes[mode];
      const b = off.modes[mode];
      assert.ok(a && b);
      assert.ok(a.depthRuns.length > 0, `${mode}: runs chosen`);
      assert.ok(a.ddrBytes < b.ddrBytes, `${mode}: ${a.ddrBytes} vs ${b.ddrBytes}`);
      assert.equal(a.macs, b.macs);
      assert.ok(a.seconds < b.seconds, `${mode}: depth tiling saves time too`);
      const saved = a.depthRuns.reduce((x, r) => x + r.savedBytes, 0);
      assert.equal(b.ddrBytes - a.ddrBytes, saved, 'the runs save what the report says');
    }
  });
});
