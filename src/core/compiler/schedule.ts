import type { GraphCut } from './graphCut';
import type { LoweredNetwork } from './network';

/** One step of the schedule: the ops that run together (one per step; room for sub-graph tiling). */
export interface Step {
  readonly ops: readonly number[];
}

export type Schedule = readonly Step[];

/**
 * The schedule (AIE2-MODEL.md §3.2): a topological order, taken depth first. Ops become ready
 * when their last input is produced and the most recently readied op runs next (Kahn's algorithm
 * with a stack, consumers readied in graph order). This is the order of the paper's logs: a ResNet
 * block's downsample runs before its conv1 (the later consumer of the block input is readied last
 * and runs first), and an Inception block's branches run one after another, each to its end.
 */
export function scheduleSteps(net: LoweredNetwork, cut: GraphCut): Schedule {
  const kept = new Set(cut.kept);
  const producer = new Map<string, number>();
  for (const id of cut.kept) producer.set(net.ops[id].output, id);
  const pending = new Map<number, number>();
  const consumers = new Map<number, number[]>();
  for (const id of cut.kept) {
    const deps = new Set(
      net.ops[id].inputs.filter((t) => producer.has(t)).map((t) => producer.get(t) as number),
    );
    deps.delete(id);
    pending.set(id, deps.size);
    for (const d of deps) consumers.set(d, [...(consumers.get(d) ?? []), id]);
  }
  const stack = cut.kept.filter((id) => pending.get(id) === 0).reverse();
  const steps: Step[] = [];
  while (stack.length > 0) {
    const id = stack.pop() as number;
    steps.push({ ops: [id] });
    for (const c of consumers.get(id) ?? []) {
      const left = (pending.get(c) ?? 0) - 1;
      pending.set(c, left);
      if (left === 0 && kept.has(c)) stack.push(c);
    }
  }
  return steps;
}
