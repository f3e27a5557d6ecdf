/**
 * A generated graph of about `n` nodes for the Graph tab's benchmark: Inception-like blocks (a
 * fan-out into three branches of two ops each, joined by a Concat) in a chain, between one input
 * and one output — wide and deep as real large models are.
 */
import type { GraphNode, GraphValue, ModelGraph } from '../src/core/report/modelGraph';

export function syntheticGraph(n: number): ModelGraph {
  const nodes: GraphNode[] = [];
  const edges: { from: number; to: number; value: string }[] = [];
  const value = (name: string): GraphValue => ({
    name,
    shape: [1, 64, 28, 28],
    dtype: 'float32',
    constant: false,
  });
  const add = (op: string, name: string, kind: GraphNode['kind'] = 'op', from: number[] = []) => {
    const i = nodes.length;
    nodes.push({
      id: name,
      name,
      op,
      domain: '',
      kind,
      body: 0,
      attributes: [],
      inputs: from.map((f) => value(`${nodes[f].name}:0`)),
      outputs: [value(`${name}:0`)],
      weights: [],
      layer: -1,
      bodies: [],
    });
    for (const f of from) edges.push({ from: f, to: i, value: `${nodes[f].name}:0` });
    return i;
  };
  let x = add('input', 'input', 'input');
  for (let b = 0; nodes.length + 8 < n; b++) {
    const ends = ['a', 'b', 'c'].map((br, k) => {
      const first = add(k === 2 ? 'MaxPool' : 'Conv', `/block${b}/branch_${br}/first`, 'op', [x]);
      return add(k === 0 ? 'Relu' : 'Conv', `/block${b}/branch_${br}/second`, 'op', [first]);
    });
    x = add('Concat', `/block${b}/Concat`, 'op', ends);
  }
  while (nodes.length < n - 1) x = add('Relu', `/tail/Relu_${nodes.length}`, 'op', [x]);
  add('output', 'output', 'output', [x]);
  return {
    nodes,
    bodies: [{ path: '', name: 'main', owner: -1, nodes: nodes.map((_, i) => i), edges }],
  };
}
