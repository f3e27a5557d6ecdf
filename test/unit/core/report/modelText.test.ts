import { strict as assert } from 'node:assert';
import { decodeModel } from '../../../../src/core/onnx/decodeModel';
import { printModel, tensorAt } from '../../../../src/core/report/modelText';
import { resnetMini } from '../../../fixtures/models';
import { metadataModel, subgraphModel } from '../../../fixtures/specialModels';

function printed(bytes: Uint8Array) {
  const model = decodeModel(bytes).model;
  assert.ok(model);
  return { model, text: printModel(model) };
}

describe('model as text (onnx.printer style)', () => {
  const { model, text } = printed(resnetMini().bytes);
  const lines = text.text.split('\n');

  it('prints the header, the signature, initializers by shape only and one node per line', () => {
    assert.equal(lines[0], '<');
    assert.match(text.text, /opset_import: \["" : 17\],/);
    assert.match(
      lines.find((l) => l.startsWith('main_graph')) ?? '',
      /^main_graph \(float\[N,3,32,32\] image\) => \(float\[1,10\] \w+\)$/,
    );
    assert.ok(lines.some((l) => l.trim() === 'float[16,3,3,3] stem.conv.weight,'));
    assert.equal(text.nodes.length, model.graph.nodes.length);
    for (const n of text.nodes) assert.match(lines[n.line], new RegExp(`= ${n.opType}\\b`));
    const conv = text.nodes.find((n) => n.name === '/stem/conv/Conv');
    assert.ok(conv);
    assert.match(
      lines[conv.line],
      /^ {3}\w+ = Conv <dilations: ints = \[1, 1\], group: int = 1, kernel_shape: ints = \[3, 3\], pads: ints = \[1, 1, 1, 1\], strides: ints = \[1, 1\]> \(image, stem\.conv\.weight\)$/,
    );
    assert.equal(lines[conv.line - 1].trim(), '# /stem/conv/Conv');
  });

  it('every recorded tensor span covers exactly its name in the text', () => {
    for (const s of [...text.definitions, ...text.references]) {
      assert.equal(
        lines[s.line].slice(s.col, s.col + s.length),
        s.name,
        `${s.name} at ${s.line}:${s.col}`,
      );
    }
    const names = new Set(text.definitions.map((d) => d.name));
    for (const i of model.graph.initializers.keys())
      assert.ok(names.has(i), `initializer ${i} has a definition`);
    for (const n of model.graph.nodes)
      for (const o of n.outputs) assert.ok(names.has(o), `output ${o} has a definition`);
  });

  it('finds the tensor under a position (for Go to Definition / Find References)', () => {
    const ref = text.references.find((r) => r.name === 'stem.conv.weight');
    assert.ok(ref);
    assert.equal(tensorAt(text, { line: ref.line, col: ref.col + 2 })?.name, 'stem.conv.weight');
    assert.equal(tensorAt(text, { line: 0, col: 0 }), undefined);
  });

  it('prints subgraphs nested, with path-qualified node names and graph ranges', () => {
    const sub = printed(subgraphModel()).text;
    assert.deepEqual(
      sub.nodes.map((n) => n.name),
      [
        'branch',
        'branch/then_branch/then_conv',
        'branch/else_branch/loop',
        'branch/else_branch/loop/body/body_conv',
        'branch/else_branch/loop/body/cond_out',
        'branch/else_branch/pick',
      ],
    );
    assert.equal(sub.graphs.length, 4);
    for (const g of sub.graphs) assert.ok(g.end > g.start);
  });

  it('keeps model metadata as comments', () => {
    const t = printed(metadataModel()).text;
    assert.match(t.text, /# metadata "author": "tests"/);
    assert.equal(t.nodes[0].name, '/conv/Conv');
  });
});
