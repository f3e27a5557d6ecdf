import { strict as assert } from 'node:assert';
import type { SimulationReport } from '../../../../src/core/estimate/simulationReport';
import type { PaperNet } from '../../../fixtures/paper/publishedTimes';
import { calibrationTables } from '../../../support/paperCalibration';
import {
  calibrationRunOf,
  compareCalibration,
  fidelitySummary,
  paperFidelity,
  paperModels,
  type FidelityRow,
} from '../../../support/paperFidelity';

/**
 * Paper mode against the paper. The calibration tables (test/fixtures/paper/calibration.md,
 * copied from PAPER-COMPILER.md, read off the authors' compiler logs) are golden tests of every
 * decision; the 32 published totals the tables do not cover (test/fixtures/paper/publishedTimes.ts,
 * the logs' "Total time" lines) are the held-out check. Where paper mode is known to differ
 * from the logs, the layer or configuration is listed here and in README.md ("Interpretations",
 * open items): a change that fixes one fails too, so the lists stay true.
 */

/** Calibration layers whose decisions (W, I, O, head/body/tail, passes) differ from the log. */
const OPEN_DECISIONS: Record<string, string[]> = {
  'Res4-dense': [],
  'Res4-sparse': [],
  'Res2-dense': [],
  // VGG 4x4 features.7 takes 4 DDR tiles where 2 fit (rule 7's exception)
  'VGG4-dense': ['f7'],
  'Res6-dense': [],
  // Inception's first conv runs 149 one-row DDR tiles; Mixed_6a's branch runs twice (extra passes)
  'Inc4-dense': ['Conv2d_1a_3x3', 'Mixed_6a/branch3x3dbl_3'],
};

/** Calibration layers more than 10 ns off (decisions above, or DDR traffic). */
const OPEN_TIMES: Record<string, string[]> = {
  'Res4-dense': [],
  'Res4-sparse': [],
  // the log runs layer2.x.conv3 from DDR although its step fits our memtile count by 37 KiB;
  // the adds then LOAD both operands, and layer3.0's downsample evicts differently
  'Res2-dense': [
    'layer2.1.conv3',
    'layer2.1.add',
    'layer2.2.conv3',
    'layer2.2.add',
    'layer2.3.conv3',
    'layer2.3.add',
    'layer3.0.downsample',
  ],
  'VGG4-dense': ['f7'],
  'Res6-dense': [],
  // Conv2d_2b_3x3: LOAD and WRITE differ by 160 and 224 B (0.04 µs)
  'Inc4-dense': ['Conv2d_1a_3x3', 'Conv2d_2b_3x3', 'Mixed_6a/branch3x3dbl_3'],
};

/** Held-out configurations outside the bounds (ResNet-50 and VGG-16 8%, Inception 30%). */
const OPEN_CONFIGURATIONS = [
  'resnet50 3x3 dense',
  'inception3 2x2 dense',
  'vgg16 2x2 dense',
  'vgg16 2x2 sparse',
];

const BOUND: Record<PaperNet, number> = { resnet50: 0.08, vgg16: 0.08, inception3: 0.3 };

describe('paper mode against the paper (calibration logs and published times)', function () {
  this.timeout(300000);
  let rows: FidelityRow[] = [];
  let reports = new Map<string, SimulationReport>();
  before(() => {
    ({ rows, reports } = paperFidelity(paperModels()));
  });

  for (const table of calibrationTables()) {
    it(`${table.run}: every layer's decisions and time match the log, but the open items`, () => {
      const run = calibrationRunOf(table.run);
      const report = reports.get(`${run.net}/${run.size}`);
      assert.ok(report, table.run);
      const c = compareCalibration(table, run, report);
      assert.ok(c.rows >= 8, `${table.run} has ${c.rows} layers`);
      assert.deepEqual(c.decisionMisses, OPEN_DECISIONS[table.run] ?? []);
      assert.deepEqual(
        c.misses.map((m) => m.layer),
        OPEN_TIMES[table.run] ?? [],
        c.misses.map((m) => `${m.layer}: ${m.why}`).join('\n'),
      );
    });
  }

  it('all 42 configurations compile and no layer is slower sparse than dense', () => {
    assert.equal(rows.length, 42);
    const s = fidelitySummary(rows);
    assert.equal(s.compiled, 42);
    assert.equal(s.sparseSlower, 0);
  });

  it('held out: median |error| ≤ 3%, speedup error ≤ 0.05; calibration totals within 1%', () => {
    const s = fidelitySummary(rows);
    assert.equal(s.heldOut, 32);
    assert.ok(s.medianAbsError <= 0.03, `median |error| ${s.medianAbsError}`);
    assert.ok(s.medianSpeedupError <= 0.05, `speedup error ${s.medianSpeedupError}`);
    for (const r of rows.filter((x) => x.calibration && x.error !== null)) {
      // Res2-dense: the layer2.x.conv3 DDR steps above (−1.7%)
      const bound = r.net === 'resnet50' && r.size === 2 ? 0.02 : 0.01;
      assert.ok(
        Math.abs(r.error ?? 0) <= bound,
        `${r.net} ${r.size}x${r.size} ${r.mode}: ${r.error}`,
      );
    }
  });

  it('held out: every configuration within its bound, but the open items', () => {
    const outside = rows
      .filter((r) => !r.calibration && r.error !== null && Math.abs(r.error) > BOUND[r.net])
      .map((r) => `${r.net} ${r.size}x${r.size} ${r.mode}`);
    assert.deepEqual(outside, OPEN_CONFIGURATIONS);
  });
});
