import { columnMemtileBytes } from '../target/architecture';
import type { WeightPlan } from './compression';
import type { DepthRun } from './depthTiling';
import { fewestGroups, sliceBytes, type StepMemory } from './memory';
import type { LoweredNetwork, LoweredOp } from './network';
import type { PassContext } from './passContext';
import { rowGroups, tileOp, type RowLoop, type Tiling } from './tiles';

/** How a step runs over its output: whole (fm steps), or cut into DDR tiles. */
export interface DdrTiling {
  /** Tiles the step is cut into (1 for fm steps), along the axis of the choices. */
  readonly tiles: number;
  readonly axis: 'height' | 'width';
  /** Weight groups: passes over parts of the weights that do not fit the memtile at once. */
  readonly weightGroups: number;
  /** Activation bytes the tiles stream in from DDR (each tile's input rows, halos included). */
  readonly streamBytes: number;
  /** The sub-volume of each pass (narrower when the width is tiled) and its row loop. */
  readonly tiling: Tiling;
  /** The row loop of each DDR tile, in order (one entry for an untiled step). */
  readonly tileRows: readonly RowLoop[];
  /** Peak bytes one memtile holds during the step. */
  readonly memtileBytes: number;
  /** The depth-tiled run the step belongs to (refined mode's depth tiling), or null. */
  readonly run: DepthRun | null;
}

/** The kernel rows and stride an op's tiles overlap by. */
export function window(op: LoweredOp): { kh: number; sh: number } {
  if (op.conv) return { kh: op.conv.kh, sh: op.conv.sh };
  if (op.pool) return { kh: op.pool.kh, sh: op.pool.sh };
  return { kh: 1, sh: 1 };
}

/**
 * The DDR-tiling pass (PAPER-COMPILER.md rules 6 and 7). A step that streams from DDR gives a
 * third of the memtile to its weights (the paper's logs give the activations 2/3; weight groups
 * split the chunks when they need more) and is cut by height into the fewest equal tiles whose
 * input plus output fit beside one weight group. Each tile is a pass over the full column width
 * that reloads the weights; its input rows overlap its neighbours' by kh − s (the halo). The
 * passes repeat the first tile's row loop: its head iterations, no tail. An fm step runs whole,
 * in the weight groups the memory pass chose.
 */
export function tileForDdr(
  op: LoweredOp,
  net: LoweredNetwork,
  tiling: Tiling,
  weights: WeightPlan,
  memory: StepMemory,
  ctx: PassContext,
): DdrTiling | string {
  const axis = ctx.choices.ddrTiles;
  if (memory.mode === 'fm' || op.kind === 'concat') {
    return {
      tiles: 1,
      axis,
      weightGroups: memory.weightGroups,
      streamBytes: 0,
      tiling,
      tileRows: [tiling.rows],
      memtileBytes: memory.needBytes,
      run: null,
    };
  }
  const { arch } = ctx;
  const cap = columnMemtileBytes(arch);
  const shared = arch.memtiles === 'shared';
  const size = (name: string) => {
    const t = net.tensors.get(name);
    return t ? sliceBytes(t, ctx) : 0;
  };
  const inputs = [...new Set(op.inputs)];
  const weightGroups = fewestGroups(
    weights.memtileBytes,
    tiling.core.chunks,
    shared ? cap / 3 : cap,
  );
  const weightNeed = shared ? weights.memtileBytes / weightGroups : 0;
  const acts = inputs.reduce((a, n) => a + size(n), 0) + size(op.output);
  const room = cap - weightNeed;
  const out = net.tensors.get(op.output);
  const hout = out?.h ?? 1;

  if (axis === 'width') {
    const maxTiles = Math.max(1, Math.ceil((out?.w ?? 1) / arch.columns));
    let tiles = 1;
    while (tiles < maxTiles && acts / tiles > room) tiles++;
    if (acts / tiles > room)
      return `its activations do not fit the memtiles even in ${tiles} width tiles`;
    const narrow = tiles > 1 ? tileOp(op, net, ctx, tiles) : tiling;
    if (typeof narrow === 'string') return `${narrow} (in ${tiles} DDR width tiles)`;
    return {
      tiles,
      axis,
      weightGroups,
      streamBytes: inputs.reduce((a, n) => a + size(n), 0),
      tiling: narrow,
      tileRows: Array.from({ length: tiles }, () => narrow.rows),
      memtileBytes: acts / tiles + weightNeed,
      run: null,
    };
  }

  let tiles = 0;
  for (let t = 1; t <= hout; t++) {
    if (hout % t === 0 && acts / t <= room) {
      tiles = t;
      break;
    }
  }
  if (tiles === 0) {
    return `its input and output do not fit the ${cap} B memtile even one output row at a time`;
  }
  const { kh, sh } = window(op);
  const streamBytes = inputs.reduce((a, n) => {
    const t = net.tensors.get(n);
    if (!t) return a;
    const rows = Math.max(1, t.h + (tiles - 1) * (kh - sh));
    return a + (size(n) / t.h) * rows;
  }, 0);
  return {
    tiles,
    axis,
    weightGroups,
    streamBytes,
    tiling,
    tileRows: tiles === 1 ? [tiling.rows] : heightTileRows(op, net, tiling, tiles),
    memtileBytes: acts / tiles + weightNeed,
    run: null,
  };
}

/**
 * The row loops of a step cut into height tiles. The first tile keeps the layer's head (its
 * window really starts above row 0); every other tile applies the padding rule to its own input
 * rows, clipped to the tensor: a middle tile has all the rows it needs (no head), the last one
 * lacks the bottom padding and the paper counts that shortfall as a head. No tile has a tail.
 * This reproduces the calibration logs (VGG-16 f2 on 4x4, ResNet-50 conv1 on 2x2); the paper's
 * compiler evidently runs the padding rule per tile.
 */
function heightTileRows(
  op: LoweredOp,
  net: LoweredNetwork,
  tiling: Tiling,
  tiles: number,
): RowLoop[] {
  const { kh, sh } = window(op);
  const hin = net.tensors.get(op.inputs[0] ?? '')?.h ?? 1;
  const hout = tiling.rows.outRows;
  const rows = hout / tiles;
  const oh = tiling.sub.O[0];
  const n = Math.ceil(rows / oh);
  const top = Math.ceil(Math.max(0, (hout - 1) * sh + kh - hin) / 2);
  return Array.from({ length: tiles }, (_, i) => {
    let head: number;
    if (i === 0) head = Math.min(tiling.rows.head, n);
    else {
      const first = Math.max(0, i * rows * sh - top);
      const end = Math.min(hin, ((i + 1) * rows - 1) * sh - top + kh);
      head = Math.min(n, rowGroups(Math.max(1, end - first), rows, sh, kh, oh).head);
    }
    return { outRows: rows, iterations: n, head, body: n - head, tail: 0 };
  });
}
