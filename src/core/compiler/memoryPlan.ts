import { columnMemtileBytes, type AieArchitecture } from '../target/architecture';
import { PRECISION_INFO, type Precision } from '../target/precision';
import type { ActTensor, Compression, LoweredNetwork, MemoryDecision, Tiling } from './plan';
import { roundUp } from './subvolume';

/** Bytes of a tensor's width slice in one memtile: H · ⌈W/cols⌉ · ⌈C⌉8 · e (AIE2-MODEL.md §4). */
export function sliceBytes(t: ActTensor, arch: AieArchitecture, precision: Precision): number {
  return t.h * Math.ceil(t.w / arch.columns) * roundUp(t.c, 8) * PRECISION_INFO[precision].bytes;
}

/** Memory plan of one op, plus the DDR width tiles it needs when it does not fit at all. */
export interface PlannedMemory {
  readonly decision: MemoryDecision;
  readonly widthTiles: number;
}

/**
 * The memtile plan (AIE2-MODEL.md §3.3, §4): walks the schedule keeping every live activation
 * in the memtiles while the op's inputs, output and weights fit beside them. When they do not,
 * all live tensors are evicted to DDR (WRITE) and read back by their consumers (LOAD); an op
 * that does not fit even alone is computed in DDR width tiles, input in by LOAD, output out by
 * WRITE. Weights always come from DDR (LOADW). Outputs needed by the CPU or returned by the
 * network are written to DDR.
 */
export function planMemory(
  net: LoweredNetwork,
  order: readonly number[],
  tilings: ReadonlyMap<number, Tiling>,
  compressions: ReadonlyMap<number, Compression>,
  arch: AieArchitecture,
  precision: Precision,
): Map<number, PlannedMemory> {
  const cap = columnMemtileBytes(arch);
  const size = (name: string) => {
    const t = net.tensors.get(name);
    return t ? sliceBytes(t, arch, precision) : 0;
  };
  const lastUse = new Map<string, number>();
  order.forEach((id, step) => {
    for (const i of net.ops[id].inputs) lastUse.set(i, step);
  });
  const inMemtile = new Set<string>();
  const result = new Map<number, PlannedMemory>();

  order.forEach((id, step) => {
    const op = net.ops[id];
    const inputs = [...new Set(op.inputs)];
    if (op.kind === 'concat') {
      result.set(id, {
        decision: concatDecision(inputs, op.output, inMemtile, size),
        widthTiles: 1,
      });
      return;
    }
    const fromOp = (n: string) => net.tensors.get(n)?.origin === 'op';
    const tiling = tilings.get(id);
    const comp = compressions.get(id);
    const weights =
      tiling && comp
        ? (tiling.splits.chunksPerMemtile * comp.chunkBytes) / Math.max(1, tiling.splits.coutGroups)
        : 0;
    const need = inputs.reduce((a, n) => a + size(n), 0) + size(op.output) + weights;
    const others = [...inMemtile].filter(
      (t) => !inputs.includes(t) && (lastUse.get(t) ?? -1) > step,
    );
    const othersBytes = others.reduce((a, n) => a + size(n), 0);

    let load = 0;
    let write = 0;
    let spill = 0;
    let inDdr = false;
    let widthTiles = 1;
    let evicted: string[] = [];
    let peak = othersBytes + need;
    if (othersBytes + need > cap) {
      evicted = [...inMemtile].filter((t) => (lastUse.get(t) ?? -1) >= step);
      const bytes = evicted.reduce((a, n) => a + size(n), 0);
      write += bytes;
      spill += bytes;
      evicted.forEach((t) => inMemtile.delete(t));
      peak = need;
      if (need > cap) {
        inDdr = true;
        const acts = need - weights;
        const room = Math.max(1, cap - weights);
        const maxTiles = Math.max(
          1,
          Math.ceil((net.tensors.get(op.output)?.w ?? 1) / arch.columns),
        );
        widthTiles = Math.min(maxTiles, Math.max(2, Math.ceil(acts / room)));
        peak = Math.min(cap, acts / widthTiles + weights);
      }
    }
    for (const n of inputs) {
      if (!inMemtile.has(n)) {
        load += size(n);
        if (fromOp(n)) spill += size(n);
      }
    }
    if (inDdr || net.ddrConsumed.has(op.output)) {
      write += size(op.output);
      if (!net.ddrConsumed.has(op.output)) spill += size(op.output);
    }
    for (const n of inputs) if ((lastUse.get(n) ?? -1) <= step) inMemtile.delete(n);
    if (!inDdr) {
      inMemtile.add(op.output);
      for (const n of inputs) if ((lastUse.get(n) ?? -1) > step) inMemtile.add(n);
    }
    result.set(id, {
      decision: {
        loadBytes: load,
        writeBytes: write,
        spillBytes: spill,
        memtileBytes: Math.min(cap, peak),
        inDdr,
        evicted,
      },
      widthTiles,
    });
  });
  return result;
}

/**
 * Concat costs nothing: producers write into slices of its output. When some inputs were
 * already evicted, the output lives in DDR and the memtile-resident inputs are written there.
 */
function concatDecision(
  inputs: readonly string[],
  output: string,
  inMemtile: Set<string>,
  size: (n: string) => number,
): MemoryDecision {
  const resident = inputs.filter((n) => inMemtile.has(n));
  const bytes = inputs.reduce((a, n) => a + size(n), 0);
  inputs.forEach((n) => inMemtile.delete(n));
  if (resident.length === inputs.length) {
    inMemtile.add(output);
    return {
      loadBytes: 0,
      writeBytes: 0,
      spillBytes: 0,
      memtileBytes: bytes,
      inDdr: false,
      evicted: [],
    };
  }
  const moved = resident.reduce((a, n) => a + size(n), 0);
  return {
    loadBytes: 0,
    writeBytes: moved,
    spillBytes: moved,
    memtileBytes: bytes,
    inDdr: true,
    evicted: resident,
  };
}
