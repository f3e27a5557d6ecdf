import type { CompilePlan } from '../compiler/compile';
import type { CompilerInput } from '../compiler/compilerInput';
import type { NodeClass } from '../compiler/network';

/** A node of the main graph the array does not run, with what it costs. */
export interface OffArrayNode {
  readonly name: string;
  readonly opType: string;
  readonly class: 'cpu' | 'unplaced';
  readonly reason: string;
  /** Its layer MACs (and those of the layers in its subgraphs), at the model's batch. */
  readonly macs: number;
}

/**
 * Where every node and MAC of the model went: each main-graph node is in exactly one class, and
 * every MAC of the analysis is on the array or on the CPU (nodes = the sum of the classes,
 * macs = macsAccelerated + macsCpu = the analysis's total).
 */
export interface Coverage {
  readonly nodes: number;
  readonly accelerated: number;
  readonly fused: number;
  readonly removed: number;
  readonly cpu: number;
  readonly unplaced: number;
  readonly macs: number;
  readonly macsAccelerated: number;
  readonly macsCpu: number;
  /** CPU and unplaced nodes, most MACs first (ties in graph order). */
  readonly offArray: readonly OffArrayNode[];
}

/** The coverage of a compiled network (one mode's plan; both modes lower and cut alike). */
export function coverageOf(input: CompilerInput, plan: CompilePlan): Coverage {
  const { network: net, cut, tiles } = plan;
  const cls = new Map<string, NodeClass>(net.nodeClass);
  const reasons = new Map(net.cpuNodes.map((n) => [n.name, n.reason]));
  const cutAt = cut.at ? `${cut.at.opType} '${cut.at.name}'` : '';
  const mark = (names: readonly string[], c: NodeClass, reason: string) => {
    for (const n of names) {
      cls.set(n, c);
      reasons.set(n, reason);
    }
  };
  for (const op of cut.cutOps)
    mark([op.name, ...op.fusedNodes], 'cpu', `after the graph cut at ${cutAt}`);
  for (const id of cut.kept) {
    const op = net.ops[id];
    if (!tiles.has(id))
      mark([op.name, ...op.fusedNodes], 'unplaced', 'it cannot be placed on the array (BS4002)');
  }
  const counts: Record<NodeClass, number> = {
    accelerated: 0,
    fused: 0,
    removed: 0,
    cpu: 0,
    unplaced: 0,
  };
  const offArray: (OffArrayNode & { index: number })[] = [];
  let macsAccelerated = 0;
  input.graph.nodes.forEach((node, index) => {
    // a node the lowering did not class is counted in no class: nodes then exceeds their sum,
    // which the coverage tests check
    const c = cls.get(node.name);
    if (!c) return;
    counts[c]++;
    const macs = (input.layers.get(node.name)?.macs ?? 0) + (input.nestedMacs.get(node.name) ?? 0);
    if (c === 'accelerated') macsAccelerated += input.layers.get(node.name)?.macs ?? 0;
    if (c === 'cpu' || c === 'unplaced')
      offArray.push({
        name: node.name,
        opType: node.opType,
        class: c,
        // the lowering classes only the nodes of a cycle 'unplaced' without a reason
        reason: reasons.get(node.name) ?? 'it is part of a cycle in the graph',
        macs,
        index,
      });
  });
  offArray.sort((a, b) => b.macs - a.macs || a.index - b.index);
  return {
    nodes: input.graph.nodes.length,
    ...counts,
    macs: input.totalMacs,
    macsAccelerated,
    macsCpu: input.totalMacs - macsAccelerated,
    offArray: offArray.map(({ index: _, ...n }) => n),
  };
}
