import { strict as assert } from 'node:assert';
import { analyzeModelWithShapes } from '../../../../src/core/analysis/analyzeModel';
import { decodeModel } from '../../../../src/core/onnx/decodeModel';
import { layoutGraph } from '../../../../src/core/report/graphLayout';
import { modelGraph } from '../../../../src/core/report/modelGraph';
import { inceptionV3, resnetMini } from '../../../fixtures/models';
import { subgraphModel } from '../../../fixtures/specialModels';

function graphOf(bytes: Uint8Array) {
  const decoded = decodeModel(bytes);
  assert.ok(decoded.model);
  const a = analyzeModelWithShapes(decoded.model, {});
  return {
    model: decoded.model,
    analysis: a.report,
    graph: modelGraph(decoded.model, a.shapes, a.report.layers),
  };
}

describe('modelGraph: the whole graph for the Graph tab', () => {
  it('every node, the graph inputs and outputs; edges follow the tensors; layers matched by name', () => {
    const { model, analysis, graph } = graphOf(resnetMini({ zeroFraction: 0.5 }).bytes);
    const ops = graph.nodes.filter((n) => n.kind === 'op');
    assert.deepEqual(
      ops.map((n) => n.name),
      model.graph.nodes.map((n) => n.name),
    );
    assert.equal(graph.nodes.filter((n) => n.kind === 'input').length, model.graph.inputs.length);
    assert.equal(graph.nodes.filter((n) => n.kind === 'output').length, model.graph.outputs.length);
    // one edge per consumed tensor that some node (or graph input) produces
    const produced = new Set([
      ...model.graph.inputs.map((i) => i.name),
      ...model.graph.nodes.flatMap((n) => n.outputs),
    ]);
    const consumed =
      model.graph.nodes.reduce((s, n) => s + n.inputs.filter((i) => produced.has(i)).length, 0) +
      model.graph.outputs.length;
    assert.equal(graph.bodies[0].edges.length, consumed);
    for (const l of analysis.layers) {
      const n = graph.nodes.find((x) => x.id === l.name);
      assert.ok(n, l.name);
      assert.equal(analysis.layers[n.layer], l);
    }
  });

  it('values carry inferred shapes and element types; weights their dims, zeros and a histogram', () => {
    const { analysis, graph } = graphOf(resnetMini({ zeroFraction: 0.5 }).bytes);
    const layer = analysis.layers[1];
    const conv = graph.nodes[graph.nodes.findIndex((n) => n.id === layer.name)];
    const data = conv.inputs.find((v) => !v.constant);
    assert.deepEqual(data?.shape, layer.inputShape);
    assert.equal(data?.dtype, 'float');
    assert.deepEqual(conv.outputs[0].shape, layer.outputShape);
    const w = conv.weights.find((x) => x.name === layer.weight);
    assert.ok(w && w.histogram);
    assert.deepEqual(w.dims, layer.weightShape);
    assert.equal(
      w.elements,
      layer.weightShape.reduce((a, b) => a * b, 1),
    );
    // the histogram counts every sampled value once; its zeros are the planted zero blocks'
    assert.equal(
      w.histogram.bins.reduce((a, b) => a + b, 0),
      w.sampled,
    );
    assert.ok(w.zeros !== null && Math.abs(w.zeros / w.sampled - layer.elementSparsity) < 0.1);
    // attributes as text
    assert.ok(
      conv.attributes.some(
        (a) => a.name === 'kernel_shape' && a.type === 'ints' && a.value.startsWith('['),
      ),
    );
  });

  it('If/Loop bodies are bodies of their node, nested, with their own nodes', () => {
    const { analysis, graph } = graphOf(subgraphModel());
    const iff = graph.nodes.findIndex((n) => n.op === 'If');
    assert.ok(iff >= 0);
    assert.equal(graph.nodes[iff].bodies.length, 2, 'then and else');
    const loop = graph.nodes.findIndex((n) => n.op === 'Loop');
    assert.ok(loop >= 0 && graph.nodes[loop].bodies.length === 1);
    assert.equal(
      graph.bodies[graph.nodes[loop].body].owner,
      iff,
      'the Loop lives in a branch of the If',
    );
    // the layers inside bodies are the nodes with the analysis' qualified names
    for (const l of analysis.layers.filter((x) => x.detail.graphPath)) {
      const n = graph.nodes.find((x) => x.id === l.name);
      assert.ok(n && n.body > 0, l.name);
    }
  });

  it('layout: every node of every body placed without overlap, an edge polyline per edge; deterministic', () => {
    const { graph } = graphOf(inceptionV3({ widthDivisor: 8 }).bytes);
    const a = layoutGraph(graph);
    assert.equal(a.error, null);
    graph.bodies.forEach((b, i) => {
      const l = a.bodies[i];
      assert.ok(l);
      assert.equal(l.x.length, b.nodes.length);
      assert.equal(l.edges.length, b.edges.length);
      assert.ok(l.edges.every((e) => e.length >= 4));
      // boxes on the same rank never overlap (dagre separates them by nodesep)
      for (let p = 0; p < b.nodes.length; p++)
        for (let q = p + 1; q < b.nodes.length; q++) {
          const dx = Math.abs(l.x[p] - l.x[q]) * 2 < l.w[p] + l.w[q];
          const dy = Math.abs(l.y[p] - l.y[q]) * 2 < l.h[p] + l.h[q];
          assert.ok(!(dx && dy), `nodes ${p} and ${q} overlap`);
        }
    });
    assert.deepEqual(layoutGraph(graph), a);
  });
});
