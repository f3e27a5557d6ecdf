import { strict as assert } from 'node:assert';
import {
  bodiesToShow,
  buildScene,
  fitTransform,
  nodeAt,
  searchNodes,
  visible,
  zoomAround,
} from '../../../webview/graphScene';
import { metricColours } from '../../../webview/graphMetrics';
import { graphSvg } from '../../../webview/graphExport';
import { modelViewReportOf } from '../../support/modelViewReport';
import { resnetMini } from '../../fixtures/models';
import { subgraphModel } from '../../fixtures/specialModels';

describe('Graph tab scene (pure)', () => {
  const report = modelViewReportOf(resnetMini({ zeroFraction: 0.5 }).bytes);
  const graph = report.graph;
  const layout = report.graphLayout;
  assert.ok(graph && layout);

  it('the scene holds every node of the main graph; visible() returns what the window touches', () => {
    const scene = buildScene(graph, layout, new Set());
    assert.equal(scene.nodes.length, graph.bodies[0].nodes.length);
    const fit = fitTransform(scene.bounds, 800, 600);
    assert.equal(visible(scene, fit, 800, 600).nodes.length, scene.nodes.length, 'fitted: all');
    // a window around one node at 2x holds that node and far fewer than all
    const p = scene.nodes[5];
    const t = { scale: 2, dx: 100 - (p.x + p.w / 2) * 2, dy: 100 - (p.y + p.h / 2) * 2 };
    const v = visible(scene, t, 200, 200);
    assert.ok(v.nodes.includes(5));
    assert.ok(v.nodes.length < scene.nodes.length / 2, `${v.nodes.length}`);
    // every node inside the window is reported (the grid misses none)
    const inside = scene.nodes.filter((n) => {
      const x0 = n.x * 2 + t.dx;
      const y0 = n.y * 2 + t.dy;
      return x0 + n.w * 2 >= 0 && x0 <= 200 && y0 + n.h * 2 >= 0 && y0 <= 200;
    }).length;
    assert.equal(v.nodes.length, inside);
    assert.equal(nodeAt(scene, t, 100, 100), 5);
    assert.equal(nodeAt(scene, t, -500, -500), undefined);
  });

  it('zoom keeps the point under the pointer; fit centres the box', () => {
    const t = zoomAround({ scale: 1, dx: 10, dy: 20 }, 300, 200, 2);
    assert.deepEqual([(300 - t.dx) / t.scale, (200 - t.dy) / t.scale], [290, 180]);
    const f = fitTransform({ x: 0, y: 0, w: 1000, h: 100 }, 500, 500, 0);
    assert.equal(f.scale, 0.5);
    assert.equal(f.dy + 50 * f.scale, 250);
  });

  it('an expanded body is placed beside its owner; search by name or op; the bodies to open for a node', () => {
    const r = modelViewReportOf(subgraphModel());
    const g = r.graph;
    assert.ok(g && r.graphLayout);
    const iff = g.nodes.findIndex((n) => n.op === 'If');
    const then = g.nodes[iff].bodies[0];
    const closed = buildScene(g, r.graphLayout, new Set());
    const open = buildScene(g, r.graphLayout, new Set([then]));
    assert.equal(open.nodes.length, closed.nodes.length + g.bodies[then].nodes.length);
    assert.equal(open.panels.length, 2);
    const owner = open.nodes[open.placed.get(iff) as number];
    assert.ok(open.panels[1].x >= owner.x + owner.w, 'beside the If');
    const conv = g.nodes.findIndex((n) => n.name === 'body_conv');
    const path = bodiesToShow(g, conv);
    assert.equal(path.length, 2, 'the else branch, then the Loop body');
    assert.equal(buildScene(g, r.graphLayout, new Set(path)).placed.has(conv), true);
    assert.deepEqual(searchNodes(g, 'BODY_CONV'), [conv]);
    assert.ok(searchNodes(g, 'conv').length >= 2);
  });

  it('metric colours: block sparsity on layers only; the SVG has one group per placed node', () => {
    const m = metricColours(report, 'blockSparsity');
    graph.nodes.forEach((n, i) => {
      const l = n.layer >= 0 ? report.analysis.layers[n.layer] : undefined;
      if (l && l.blocks > 0) assert.deepEqual(m.colours[i], { ramp: l.blockSparsity });
      else assert.equal(m.colours[i], null);
    });
    const ops = metricColours(report, 'op');
    assert.equal(ops.legend.kind, 'categories');
    const scene = buildScene(graph, layout, new Set());
    const svg = graphSvg(graph, scene, m, {
      background: '#fff',
      foreground: '#000',
      border: '#888',
      neutral: '#eee',
    });
    assert.equal((svg.match(/<g data-id=/g) ?? []).length, scene.nodes.length);
    assert.ok(svg.startsWith('<svg') && svg.endsWith('</svg>'));
  });
});
