import { columnMemtileBytes } from '../target/architecture';
import { PRECISION_INFO } from '../target/precision';
import type { WeightPlan } from './compression';
import type { GraphCut } from './graphCut';
import type { ActTensor, LoweredNetwork, LoweredOp } from './network';
import type { PassContext } from './passContext';
import type { Schedule } from './schedule';
import type { Tiling } from './tiles';
import { columnSliceWidth, roundUp } from './tiles';

/** Bytes of a tensor's width slice in one memtile: H · ⌈W / cols⌉ · ⌈C⌉₈ · e (AIE2-MODEL.md §4). */
export function sliceBytes(
  t: ActTensor,
  ctx: Pick<PassContext, 'arch' | 'precision' | 'choices'>,
): number {
  const w = columnSliceWidth(t.w, ctx.arch, ctx.choices.narrowTensors);
  return t.h * w * roundUp(t.c, 8) * PRECISION_INFO[ctx.precision].bytes;
}

/** The memory plan of one step. */
export interface StepMemory {
  /**
   * fm: the step's inputs and output live in the memtiles; ddr: it streams its inputs from DDR
   * and writes its output there (PAPER-COMPILER.md rule 3, all or nothing per step).
   */
  readonly mode: 'fm' | 'ddr';
  /** Why a step runs from DDR. */
  readonly reason: 'network input' | 'does not fit' | null;
  /** Inputs that were only in DDR and were LOADed whole into the memtile first. */
  readonly preloaded: readonly string[];
  readonly preloadBytes: number;
  /** Live tensors written to DDR to make room (a DDR step evicts all it finds resident). */
  readonly evicted: readonly string[];
  readonly evictBytes: number;
  /** The output is written to DDR: a DDR step, a graph output or a CPU op's input. */
  readonly outputToDdr: boolean;
  /** Bytes of the output written to DDR (0 for a Concat whose producers wrote their slices). */
  readonly outputWriteBytes: number;
  /** Weight groups of an fm step: the fewest (dividing the chunks) whose weights fit alone. */
  readonly weightGroups: number;
  /** Bytes the step needs in one memtile: resident activations, output, one weight group. */
  readonly needBytes: number;
  /** Bytes moved only because memtiles were full: evictions and the reloads of evicted tensors. */
  readonly spillBytes: number;
  /** An Add writing into the buffer of this operand (PAPER-COMPILER.md rule 2). */
  readonly inPlaceOf: string | null;
}

/** The fewest groups g dividing n (the chunk count) with bytes / g ≤ room; n if none does. */
export function fewestGroups(bytes: number, n: number, room: number): number {
  if (bytes <= room || n <= 1) return 1;
  for (let g = 2; g <= n; g++) if (n % g === 0 && bytes / g <= room) return g;
  return n;
}

interface Residency {
  /** A DDR copy of the tensor is up to date (loaded from DDR, or produced in place over one). */
  ddrValid: boolean;
}

/**
 * The memory pass (PAPER-COMPILER.md rules 2 and 3, AIE2-MODEL.md §3.3): walks the schedule
 * with the tensors each memtile holds. Before a step, inputs that are only in DDR are LOADed
 * whole if they fit beside what is resident; the step then runs from the memtiles if its
 * resident inputs, its output (an Add writes in place) and one weight group fit. If not, it is a
 * DDR step: every resident tensor is evicted (written to DDR unless an up-to-date copy is there
 * already, the step's own inputs included) and the step streams from DDR in tiles (next pass).
 * The step reading the network input always streams from DDR.
 */
export function planMemory(
  net: LoweredNetwork,
  cut: GraphCut,
  schedule: Schedule,
  tiles: ReadonlyMap<number, Tiling>,
  weights: ReadonlyMap<number, WeightPlan>,
  ctx: PassContext,
): Map<number, StepMemory> {
  const { arch } = ctx;
  const cap = columnMemtileBytes(arch);
  const weightsShareMemtile = arch.memtiles === 'shared';
  const size = (name: string) => {
    const t = net.tensors.get(name);
    return t ? sliceBytes(t, ctx) : 0;
  };
  const ops = schedule.map((s) => net.ops[s.ops[0]]);
  const lastUse = new Map<string, number>();
  ops.forEach((op, k) => {
    for (const i of op.inputs) lastUse.set(i, k);
  });
  const resident = new Map<string, Residency>();
  const spilled = new Set<string>();
  const residentBytes = () => [...resident.keys()].reduce((a, t) => a + size(t), 0);
  const plans = new Map<number, StepMemory>();

  ops.forEach((op, k) => {
    const inputs = [...new Set(op.inputs)];
    const t = tiles.get(op.id);
    const w = weights.get(op.id);
    let plan: StepMemory;
    if (op.kind === 'concat') {
      plan = concatMemory(op, inputs, resident, size, cut.toDdr.has(op.output));
    } else {
      const preloaded: string[] = [];
      const readsNetworkInput = inputs.some((i) => net.tensors.get(i)?.origin === 'input');
      if (!readsNetworkInput) {
        for (const i of inputs) {
          if (resident.has(i) || size(i) + residentBytes() > cap) continue;
          resident.set(i, { ddrValid: true });
          preloaded.push(i);
        }
      }
      const allResident = inputs.every((i) => resident.has(i));
      const inPlaceOf =
        op.kind === 'add' || op.kind === 'mul'
          ? (inputs.find((i) => resident.has(i) && lastUse.get(i) === k) ?? null)
          : null;
      const chunks = t?.core.chunks ?? 0;
      const weightGroups = w ? fewestGroups(w.memtileBytes, chunks, cap) : 1;
      const weightNeed = weightsShareMemtile && w ? w.memtileBytes / weightGroups : 0;
      const needBytes = residentBytes() + (inPlaceOf ? 0 : size(op.output)) + weightNeed;
      const fm = !readsNetworkInput && allResident && needBytes <= cap;
      const evicted: string[] = [];
      let evictBytes = 0;
      if (!fm) {
        for (const [name, r] of resident) {
          if (!r.ddrValid) {
            evicted.push(name);
            evictBytes += size(name);
            spilled.add(name);
          }
        }
        resident.clear();
      }
      const toDdr = !fm || cut.toDdr.has(op.output);
      if (fm) {
        const inherited = inPlaceOf ? (resident.get(inPlaceOf)?.ddrValid ?? false) : false;
        if (inPlaceOf) resident.delete(inPlaceOf);
        resident.set(op.output, { ddrValid: inherited || toDdr });
      }
      const preloadBytes = preloaded.reduce((a, n) => a + size(n), 0);
      plan = {
        mode: fm ? 'fm' : 'ddr',
        reason: fm ? null : readsNetworkInput ? 'network input' : 'does not fit',
        preloaded,
        preloadBytes,
        evicted,
        evictBytes,
        outputToDdr: toDdr,
        outputWriteBytes: toDdr ? size(op.output) : 0,
        weightGroups,
        needBytes,
        spillBytes:
          evictBytes + preloaded.filter((n) => spilled.has(n)).reduce((a, n) => a + size(n), 0),
        inPlaceOf: fm ? inPlaceOf : null,
      };
    }
    // what this step read for the last time is freed (its buffer is reused)
    for (const i of inputs) if ((lastUse.get(i) ?? -1) <= k) resident.delete(i);
    if (!cut.toDdr.has(op.output) && !lastUse.has(op.output)) resident.delete(op.output);
    plans.set(op.id, plan);
  });
  return plans;
}

/**
 * Concat costs nothing: producers write into slices of its output. When some inputs were
 * already evicted, the output lives in DDR and the resident inputs are written there.
 */
function concatMemory(
  op: LoweredOp,
  inputs: readonly string[],
  resident: Map<string, Residency>,
  size: (n: string) => number,
  toDdr: boolean,
): StepMemory {
  const held = inputs.filter((n) => resident.has(n));
  const bytes = inputs.reduce((a, n) => a + size(n), 0);
  const whole = held.length === inputs.length;
  const toWrite = whole ? [] : held.filter((n) => !resident.get(n)?.ddrValid);
  const ddrValid = held.every((n) => resident.get(n)?.ddrValid);
  for (const n of inputs) resident.delete(n);
  if (whole) resident.set(op.output, { ddrValid });
  const evictBytes = toWrite.reduce((a, n) => a + size(n), 0);
  const writeWhole = whole && toDdr;
  if (writeWhole) resident.set(op.output, { ddrValid: true });
  return {
    mode: whole ? 'fm' : 'ddr',
    reason: whole ? null : 'does not fit',
    preloaded: [],
    preloadBytes: 0,
    evicted: toWrite,
    evictBytes,
    outputToDdr: !whole || toDdr,
    outputWriteBytes: writeWhole ? bytes : 0,
    weightGroups: 1,
    needBytes: bytes,
    spillBytes: evictBytes,
    inPlaceOf: null,
  };
}
