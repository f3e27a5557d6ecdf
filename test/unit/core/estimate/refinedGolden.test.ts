import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assumptionLedger } from '../../../../src/core/estimate/assumptionLedger';
import {
  ALL_ASSUMPTIONS,
  DEFAULT_EFFICIENCY,
  REFINED_MODEL,
} from '../../../../src/core/estimate/assumptions';
import { simulate } from '../../../../src/core/estimate/simulate';
import { simulationTable } from '../../../../src/core/report/simulationTable';
import { depthwiseNet, inceptionBlock, resnetMini, vggStack } from '../../../fixtures/models';
import { compileInputOf, preset } from '../../../support/compileBytes';

/**
 * Golden text of refined mode's estimate of each fixture net: per-layer dense and sparse µs,
 * totals, the ledger paper → refined and "why isn't it faster?" (the CLI's report, so any change
 * of a refined rule shows as a diff). The compiler's refined decisions have their own golden
 * dumps (goldenDumps.test.ts). Rewrite with UPDATE_BASELINES=1 after checking the change.
 */
const GOLDEN = path.resolve('test/golden/refined');
const UPDATE = process.env.UPDATE_BASELINES === '1';

const CASES: [string, () => Uint8Array, string][] = [
  ['resnet-mini', () => resnetMini({ zeroFraction: 0.5 }).bytes, 'paper-4x4'],
  ['inception-block', () => inceptionBlock().bytes, 'npu-phoenix'],
  ['vgg-stack', () => vggStack({ widthDivisor: 1, size: 112 }).bytes, 'paper-2x2'],
  ['depthwise', () => depthwiseNet().bytes, 've2802'],
];

describe('golden refined-mode estimates of the fixture nets', () => {
  if (UPDATE) fs.rmSync(GOLDEN, { recursive: true, force: true });
  for (const [name, make, archName] of CASES) {
    it(`${name} on ${archName}`, () => {
      const input = compileInputOf(make());
      const arch = preset(archName);
      const report = simulate(input, { arch, model: REFINED_MODEL, trace: false });
      const ledger = assumptionLedger(input, {
        arch,
        assumptions: ALL_ASSUMPTIONS,
        efficiency: DEFAULT_EFFICIENCY,
      });
      const text = simulationTable(`${name}.onnx`, report, ledger) + '\n';
      const file = path.join(GOLDEN, `${name}.${archName}.txt`);
      if (UPDATE) {
        fs.mkdirSync(GOLDEN, { recursive: true });
        fs.writeFileSync(file, text);
        return;
      }
      assert.ok(fs.existsSync(file), `missing ${file}: run UPDATE_BASELINES=1 npm test`);
      assert.equal(text, fs.readFileSync(file, 'utf8'), `${file} differs from its golden copy`);
    });
  }
});
