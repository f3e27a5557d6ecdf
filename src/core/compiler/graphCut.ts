import type { CompilerInput } from './compilerInput';
import type { CpuNode, LoweredNetwork, LoweredOp } from './network';
import type { PassContext } from './passContext';

/** Which ops the array runs, and what was left to the CPU because of the cut. */
export interface GraphCut {
  /** Ops on the array, by id. */
  readonly kept: readonly number[];
  /** The first CPU-only node when the graph is cut there (paper mode), else null. */
  readonly at: CpuNode | null;
  /** Accelerator ops after the cut: they run on the CPU too. */
  readonly cutOps: readonly LoweredOp[];
  /** MACs left to the CPU by the cut (cut convs and CPU layers after the cut). */
  readonly cutMacs: number;
  /** Layers (nodes with a weight) the cut leaves to the CPU, in topological order. */
  readonly cutLayers: readonly string[];
  /** Activations the array must leave in DDR: graph outputs and what the CPU reads. */
  readonly toDdr: ReadonlySet<string>;
}

/**
 * The graph cut (PAPER-COMPILER.md rule 1): the paper's compiler takes the graph up to its first
 * CPU-only node, in topological order, and drops everything after it; for torchvision CNNs that
 * node is the Flatten before the classifier, so the classifier never runs on the array. With the
 * classifier on the array (refined mode) nothing is cut and CPU ops simply run beside the array.
 */
export function cutGraph(net: LoweredNetwork, input: CompilerInput, ctx: PassContext): GraphCut {
  const at = ctx.choices.classifier === 'cut' ? (net.cpuNodes[0] ?? null) : null;
  const kept = net.ops.filter((op) => !at || op.order < at.order).map((op) => op.id);
  const keptSet = new Set(kept);
  const cutOps = net.ops.filter((op) => !keptSet.has(op.id));
  const producedByKept = new Set(kept.map((id) => net.ops[id].output));
  const onArray = (t: string) => producedByKept.has(t) || net.tensors.get(t)?.origin === 'input';
  const toDdr = new Set<string>();
  for (const o of net.graphOutputs) if (producedByKept.has(o)) toDdr.add(o);
  for (const n of net.cpuNodes) for (const i of n.activationInputs) if (onArray(i)) toDdr.add(i);
  for (const op of cutOps) for (const i of op.inputs) if (producedByKept.has(i)) toDdr.add(i);

  const cpuAfter = at ? net.cpuNodes.filter((n) => n.order >= at.order) : [];
  const cutMacs =
    cutOps.reduce((a, op) => a + (op.kind === 'conv' ? op.macs : 0), 0) +
    cpuAfter.reduce((a, n) => a + (input.layers.get(n.name)?.macs ?? 0), 0);
  const layersCut = [
    ...cutOps.filter((op) => op.kind === 'conv').map((op) => op.name),
    ...cpuAfter.filter((n) => input.layers.has(n.name)).map((n) => n.name),
  ];
  if (at && (cutOps.length > 0 || cpuAfter.length > 1)) {
    const total =
      net.ops.reduce((a, op) => a + (op.kind === 'conv' ? op.macs : 0), 0) +
      net.cpuNodes.reduce((a, n) => a + (input.layers.get(n.name)?.macs ?? 0), 0);
    const share = total > 0 ? cutMacs / total : 0;
    ctx.diagnostics.push(
      'BS4005',
      share > 0.1 ? 'warning' : 'info',
      `the graph is cut at its first CPU-only node, ${at.opType} '${at.name}', as the paper's compiler does: ` +
        `${cutOps.length + cpuAfter.length} nodes after it run on the CPU (${cutMacs.toLocaleString('en-US')} MACs, ` +
        `${(share * 100).toFixed(1)}% of the network's)` +
        (layersCut.length ? `, among them ${layersCut.slice(0, 3).join(', ')}` : '') +
        (layersCut.length > 3 ? ` and ${layersCut.length - 3} more layers` : ''),
      at.name,
    );
  }
  return { kept, at, cutOps, cutMacs, cutLayers: layersCut, toDdr };
}
