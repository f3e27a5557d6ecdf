import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REFINED_CHOICES, type CompilerChoices } from '../../../../src/core/compiler/choices';
import { compile, passDumpName, PASSES } from '../../../../src/core/compiler/compile';
import type { SparsityMode } from '../../../../src/core/compiler/network';
import { depthwiseNet, inceptionBlock, resnetMini, vggStack } from '../../../fixtures/models';
import { compileInputOf, preset } from '../../../support/compileBytes';

/**
 * Golden text dumps of every compiler pass: any change to a decision shows up as a diff.
 * Rewrite them with UPDATE_BASELINES=1 after checking that the change is intended.
 */
const GOLDEN = path.resolve('test/golden/compiler');
const UPDATE = process.env.UPDATE_BASELINES === '1';

const CASES: [string, () => Uint8Array, string, CompilerChoices?][] = [
  ['resnet-mini', () => resnetMini().bytes, 'paper-4x4'],
  ['resnet-mini-refined', () => resnetMini().bytes, 'paper-4x4', REFINED_CHOICES],
  ['inception-block', () => inceptionBlock().bytes, 'paper-4x4'],
  ['inception-block-refined', () => inceptionBlock().bytes, 'paper-4x4', REFINED_CHOICES],
  ['vgg-stack', () => vggStack({ widthDivisor: 1, size: 112 }).bytes, 'paper-2x2'],
  // depth tiling: the stack's first convs stream from DDR one after another on 2x2
  [
    'vgg-stack-refined',
    () => vggStack({ widthDivisor: 1, size: 112 }).bytes,
    'paper-2x2',
    REFINED_CHOICES,
  ],
  ['depthwise', () => depthwiseNet().bytes, 'paper-3x3'],
  ['depthwise-refined', () => depthwiseNet().bytes, 'paper-3x3', REFINED_CHOICES],
];

describe('golden dumps of every compiler pass', () => {
  if (UPDATE) fs.rmSync(GOLDEN, { recursive: true, force: true });
  for (const [name, make, arch, choices] of CASES) {
    for (const mode of ['dense', 'sparse'] as SparsityMode[]) {
      it(`${name} on ${arch}, ${mode}`, () => {
        const dumps: [string, string][] = [];
        const target = { arch: preset(arch), precision: 'int8' as const, mode, choices };
        compile(compileInputOf(make()), target, (pass, value, plan) => {
          dumps.push([`${name}.${arch}.${mode}.${passDumpName(pass)}.txt`, pass.dump(value, plan)]);
        });
        assert.equal(dumps.length, PASSES.length);
        for (const [file, text] of dumps) {
          const target = path.join(GOLDEN, file);
          if (UPDATE) {
            fs.mkdirSync(GOLDEN, { recursive: true });
            fs.writeFileSync(target, text);
            continue;
          }
          assert.ok(
            fs.existsSync(target),
            `missing golden file ${file}: run UPDATE_BASELINES=1 npm test`,
          );
          assert.equal(
            text,
            fs.readFileSync(target, 'utf8'),
            `${file} differs from its golden copy`,
          );
        }
      });
    }
  }
});
