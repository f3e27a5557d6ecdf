import { columnMemtileBytes } from '../target/architecture';
import type { WeightPlan } from './compression';
import { window, type DdrTiling } from './ddrTiling';
import type { GraphCut } from './graphCut';
import { sliceBytes, type StepMemory } from './memory';
import type { ActTensor, LoweredNetwork, LoweredOp } from './network';
import type { PassContext } from './passContext';
import { roundUp, type RowLoop } from './tiles';

/** A run of consecutive steps tiled together by height (depth-wise, sub-graph tiling). */
export interface DepthRun {
  /** The members' op ids, in schedule order; each reads the previous one's output. */
  readonly ops: readonly number[];
  /** Height tiles the run is cut into: each tile runs every member, one after another. */
  readonly tiles: number;
  /** DDR bytes (one memtile's share) the run saves against its steps streaming one by one. */
  readonly savedBytes: number;
}

const RUN_KINDS: ReadonlySet<LoweredOp['kind']> = new Set(['conv', 'maxpool', 'avgpool']);

interface Member {
  readonly op: LoweredOp;
  readonly input: ActTensor;
  readonly output: ActTensor;
  readonly d: DdrTiling;
  readonly m: StepMemory;
  readonly weightBytes: number;
}

/**
 * Depth-wise tiling (the paper's VGG-16 section, refined mode): where consecutive steps of a
 * chain each stream from DDR, the tensor between two of them is written out and read straight
 * back. Tiled together by height, each tile of the run's last output needs a band of rows of
 * every earlier tensor (the kernels' halos, counted back through the strides); the band of the
 * first input streams in, the bands between members stay in the memtile, and only the last
 * member's output is written. The run takes the fewest tiles whose every member's input band,
 * output band and weights fit one memtile; the weights are reloaded per tile. A run is kept only
 * when it moves fewer DDR bytes than its steps did one by one; MACs never change (the halo rows
 * are recomputed per tile, as a height-tiled step's are).
 */
export function planDepthRuns(
  net: LoweredNetwork,
  cut: GraphCut,
  order: readonly number[],
  weights: ReadonlyMap<number, WeightPlan>,
  memory: ReadonlyMap<number, StepMemory>,
  ddr: Map<number, DdrTiling>,
  ctx: PassContext,
): DepthRun[] {
  const { arch } = ctx;
  const cap = columnMemtileBytes(arch);
  const readers = new Map<string, number>();
  for (const op of net.ops)
    for (const i of new Set(op.inputs)) readers.set(i, (readers.get(i) ?? 0) + 1);
  for (const n of net.cpuNodes)
    for (const i of n.activationInputs) readers.set(i, (readers.get(i) ?? 0) + 1);
  const rowBytes = (t: ActTensor) => sliceBytes(t, ctx) / Math.max(1, t.h);

  const member = (id: number): Member | null => {
    const op = net.ops[id];
    const d = ddr.get(id);
    const m = memory.get(id);
    const w = weights.get(id);
    const input = net.tensors.get(op.inputs[0] ?? '');
    const output = net.tensors.get(op.output);
    if (!d || !m || !w || !input || !output) return null;
    if (!RUN_KINDS.has(op.kind) || new Set(op.inputs).size !== 1 || m.mode !== 'ddr') return null;
    const weightBytes = arch.memtiles === 'shared' ? w.memtileBytes : 0;
    // a member's weights must fit whole beside its bands (no weight groups inside a run)
    if (weightBytes > cap / 3) return null;
    return { op, input, output, d, m, weightBytes };
  };
  const links = (a: Member, b: Member) =>
    b.op.inputs[0] === a.op.output && readers.get(a.op.output) === 1 && !cut.toDdr.has(a.op.output);

  const runs: DepthRun[] = [];
  let i = 0;
  while (i < order.length) {
    const first = member(order[i]);
    if (!first) {
      i++;
      continue;
    }
    const chain = [first];
    for (let k = i + 1; k < order.length; k++) {
      const next = member(order[k]);
      if (!next || !links(chain[chain.length - 1], next)) break;
      chain.push(next);
    }
    // the longest prefix of the chain (two members or more) that pays off
    let taken = 0;
    for (let len = chain.length; len >= 2 && taken === 0; len--) {
      const plan = tileRun(chain.slice(0, len), cap, rowBytes);
      if (!plan) continue;
      const run: DepthRun = {
        ops: plan.members.map((x) => x.op.id),
        tiles: plan.tiles,
        savedBytes: plan.saved,
      };
      plan.members.forEach((x, j) => ddr.set(x.op.id, plan.tilings[j](run)));
      runs.push(run);
      taken = len;
    }
    i += Math.max(1, taken);
  }
  return runs;
}

/** LOADW bytes of a member's weights loaded `times` times (the program's rounding). */
const loadw = (x: Member, times: number) => roundUp(x.weightBytes, 128) * times;

function tileRun(
  members: readonly Member[],
  cap: number,
  rowBytes: (t: ActTensor) => number,
): {
  tiles: number;
  saved: number;
  members: readonly Member[];
  tilings: ((run: DepthRun) => DdrTiling)[];
} | null {
  const last = members[members.length - 1];
  const hLast = last.output.h;
  for (let tiles = 1; tiles <= hLast; tiles++) {
    // output rows of each member one tile needs, counted back from the last member's band
    const need: number[] = new Array<number>(members.length);
    need[members.length - 1] = Math.ceil(hLast / tiles);
    for (let j = members.length - 2; j >= 0; j--) {
      const { kh, sh } = window(members[j + 1].op);
      need[j] = Math.min(members[j].output.h, (need[j + 1] - 1) * sh + kh);
    }
    const w0 = window(members[0].op);
    const inRows0 = Math.min(members[0].input.h, (need[0] - 1) * w0.sh + w0.kh);
    const bands = members.map((x, j) => {
      const inRows = j === 0 ? inRows0 : need[j - 1];
      return inRows * rowBytes(x.input) + need[j] * rowBytes(x.output) + x.weightBytes;
    });
    if (bands.some((b) => b > cap)) continue;
    const streamBytes = tiles * inRows0 * rowBytes(members[0].input);
    const alone = members.reduce(
      (a, x, j) =>
        a +
        x.d.streamBytes +
        (j > 0 ? x.m.preloadBytes : 0) +
        loadw(x, x.d.tiles) +
        (j < members.length - 1 ? x.m.outputWriteBytes : 0),
      0,
    );
    const together = streamBytes + members.reduce((a, x) => a + loadw(x, tiles), 0);
    const saved = alone - together;
    if (saved <= 0) return null;
    const tilings = members.map((x, j) => (run: DepthRun): DdrTiling => {
      const rows = x.d.tiling.rows;
      const n = Math.max(1, Math.ceil(need[j] / Math.max(1, x.d.tiling.sub.O[0])));
      const tileRows: RowLoop[] = Array.from({ length: tiles }, (_, k) => {
        const head = k === 0 ? Math.min(rows.head, n) : 0;
        const tail = k === tiles - 1 ? Math.min(rows.tail, n - head) : 0;
        return { outRows: need[j], iterations: n, head, body: n - head - tail, tail };
      });
      return {
        tiles,
        axis: 'height',
        weightGroups: 1,
        streamBytes: j === 0 ? streamBytes : 0,
        tiling: x.d.tiling,
        tileRows,
        memtileBytes: bands[j],
        run,
      };
    });
    return { tiles, saved, members, tilings };
  }
  return null;
}
