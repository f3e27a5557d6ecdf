import {
  forEachInBlock,
  scoreBlockBands,
  scoreBlocks,
  type BlockScores,
  type Criterion,
} from '../blocks/blockScores';
import { countOnes } from '../blocks/countOnes';
import { PairList } from './pairList';
import { emptyRowsCols, selectBalanced, selectGlobal, selectLayer } from './selectBlocks';
import { matchesPattern, type SparsifyOptions } from './sparsifyOptions';
import { blockRowsContiguous, type BlockShape, type WeightLayout } from '../blocks/blockGrid';
import { LAYER_OPS, layerWeight } from '../blocks/layerWeights';
import { diag, type Diagnostic } from '../diagnostics';
import type { ExternalDataResolver } from '../onnx/byteSource';
import { ConstantScope, type ConstantValue } from '../onnx/constantScope';
import { readWeightBands } from '../onnx/constantValue';
import { MAX_ARENA_WEIGHT } from '../onnx/scanArena';
import type { GraphIR, ModelIR, TensorIR } from '../onnx/ir';
import { elementCount, readFloat32BandsInPlace } from '../onnx/tensorValues';

/** What Sparsify did to one layer. */
export interface LayerSparsity {
  readonly name: string;
  readonly weight: string;
  readonly blocks: number;
  readonly zeroBlocksBefore: number;
  readonly zeroBlocksAfter: number;
  /** The target this layer was given; null when it was left alone. */
  readonly target: number | null;
  /** Why it was left alone (not sparsifiable, skipped by name, weight not writable). */
  readonly skipped: string | null;
  /**
   * Σ score² of the blocks this run zeroed: with the L2 criterion, the squared L2 norm of the
   * weights given up (balanced Sparsify compares it with and without balancing).
   */
  readonly givenUp: number;
  /** 1 per zero block after the run (block order (g·rows + r)·cols + c), for estimates; null when left alone. */
  readonly zeroMask: Uint8Array | null;
}

/** Elements of one stored tensor to set to their zero value. */
export interface TensorPatch {
  readonly tensor: TensorIR;
  /** 1 for every stored element to zero. */
  readonly mask: Uint8Array;
  /** More elements to zero, as flat [start, end) pairs: the common case, cheaper than the mask. */
  readonly runs: ArrayLike<number>;
  /** False while no element of the mask is set: writers need not search 25 M zero bytes. */
  readonly masked: boolean;
  /** The stored value meaning zero: one for all, or one per element (per-axis zero points). */
  readonly zeroValue: number | Float64Array;
}

export interface SparsifyPlan {
  readonly layers: readonly LayerSparsity[];
  readonly patches: ReadonlyMap<string, TensorPatch>;
  readonly diagnostics: readonly Diagnostic[];
  readonly cancelled: boolean;
  /** True when every sparsified weight went to the sink, patched, in file order. */
  readonly streamed: boolean;
}

/** A layer to sparsify, before its weight is read. */
interface Pending {
  readonly name: string;
  readonly weight: ConstantValue;
  readonly layout: WeightLayout;
  readonly target: number;
  readonly global: boolean;
  readonly block: BlockShape;
  /** Records the layer as left alone (its weight could not be read). */
  readonly leave: (why: string) => void;
}

interface Candidate extends Pending {
  readonly scores: BlockScores;
}

/**
 * Where a single-pass Sparsify writes (sparsifyFile): every sparsified weight, in file order,
 * while its bytes are in memory. The planner hands weights over only when it can do so for all
 * of them (plan.streamed); otherwise it calls nothing and the caller writes a second pass.
 */
export interface WeightSink {
  /**
   * `bytes`: the weight's raw float32 bytes as stored at `offset` of the file, valid until the
   * next weight is read (the scan arena); `patch`: its newly zero elements, if any.
   */
  weight(offset: number, bytes: Uint8Array, patch: TensorPatch | undefined): void;
}

/** Every graph of the model with its constant scope (subgraphs see their parents' constants). */
export function graphsOf(
  model: ModelIR,
  resolver: ExternalDataResolver | undefined,
): [GraphIR, ConstantScope][] {
  const out: [GraphIR, ConstantScope][] = [];
  const visit = (g: GraphIR, scope: ConstantScope) => {
    out.push([g, scope]);
    for (const n of g.nodes) {
      for (const a of n.attributes.values()) {
        const subs = a.type === 'graph' ? [a.value] : a.type === 'graphs' ? a.value : [];
        for (const sub of subs) visit(sub, scope.child(sub));
      }
    }
  };
  visit(model.graph, ConstantScope.forModel(model, resolver));
  return out;
}

/**
 * Chooses the blocks to zero (AIE2-MODEL.md §1: score every block, zero the lowest fraction per
 * layer or under one global threshold) and the stored elements that become zero.
 */
export function planSparsify(
  model: ModelIR,
  options: SparsifyOptions,
  resolver?: ExternalDataResolver,
  onProgress?: (done: number, total: number) => void,
  isCancelled?: () => boolean,
  sink?: WeightSink,
): SparsifyPlan {
  const diagnostics: Diagnostic[] = [];
  const layers: LayerSparsity[] = [];
  const pending: Pending[] = [];
  const candidates: Candidate[] = [];
  const cancelled = (): SparsifyPlan => ({
    layers,
    patches: new Map(),
    diagnostics,
    cancelled: true,
    streamed: false,
  });
  const nodes = graphsOf(model, resolver).flatMap(([g, scope]) =>
    g.nodes
      .filter((n) => LAYER_OPS.has(n.opType) && (n.domain === '' || n.domain === 'ai.onnx'))
      .map((n) => ({ g, scope, n })),
  );
  let done = 0;
  for (const { g, scope, n } of nodes) {
    if (isCancelled?.()) return cancelled();
    onProgress?.(++done, nodes.length * 2);
    const use = LAYER_OPS.get(n.opType);
    if (!use) continue;
    const name = g.path ? `${g.path}/${n.name}` : n.name;
    const found = layerWeight(n, use, scope, name);
    if ('missing' in found) {
      // activation x activation (or a run-time zero point): nothing stored to zero
      layers.push({
        name,
        weight: n.inputs[use.weightInput] ?? '',
        blocks: 0,
        zeroBlocksBefore: 0,
        zeroBlocksAfter: 0,
        target: null,
        skipped: `the ${found.missing} is computed at run time`,
        givenUp: 0,
        zeroMask: null,
      });
      continue;
    }
    const weight = found.weight;
    const layout = use.layout(n, weight.dims);
    if (typeof layout === 'string') continue;
    const rows = Math.ceil(layout.coutPerGroup / options.block.out);
    const cols = Math.ceil(layout.cinPerGroup / options.block.in);
    const blocks = layout.groups * rows * cols;
    const leave = (why: string, zeroBlocks = 0) =>
      layers.push({
        name,
        weight: weight.sourceName,
        blocks,
        zeroBlocksBefore: zeroBlocks,
        zeroBlocksAfter: zeroBlocks,
        target: null,
        skipped: why,
        givenUp: 0,
        zeroMask: null,
      });
    const depthwise = layout.groups > 1 && layout.cinPerGroup === 1;
    if (layout.cinPerGroup < options.block.in || depthwise) {
      leave(depthwise ? 'depthwise' : `fewer than ${options.block.in} input channels per group`);
      continue;
    }
    if (options.skip.some((p) => matchesPattern(name, p))) {
      leave('skipped by name');
      continue;
    }
    if (!weight.stored) {
      if (weight.folded) {
        // a ConstantOfShape or an op of constants has no stored elements to zero
        const why = `weight is computed from constants (${weight.via.join(' → ')}); it cannot be zeroed in place`;
        diagnostics.push(diag('BS5004', 'warning', `${name}: ${why}`, name));
        leave(why);
      } else leave('weight is written inline in an attribute');
      continue;
    }
    const explicit = options.targets.find(([p]) => matchesPattern(name, p));
    const p: Pending = {
      name,
      weight,
      layout,
      target: explicit ? explicit[1] : options.target,
      global: options.scope === 'global' && !explicit,
      block: options.block,
      leave,
    };
    // without a sink each weight is scored as its layer is met, as always; with one they wait
    // to be read in file order
    if (sink) pending.push(p);
    else score(p, weightScores(weight, layout, options.block, options.criterion, name));
  }

  /** The layer's scores as a candidate, or its error as a diagnostic and the layer left alone. */
  function score(p: Pending, scores: BlockScores | Diagnostic): Candidate | undefined {
    if ('code' in scores) {
      diagnostics.push({ ...scores, node: p.name });
      p.leave('weight cannot be read');
      return undefined;
    }
    const c = { ...p, scores };
    candidates.push(c);
    return c;
  }

  const masks = new Map<Candidate, Uint8Array>();
  const patches = new Map<string, TensorPatch>();
  const streamed = sink !== undefined && streamable(pending, options);
  if (streamed) {
    // single pass: each weight read whole, scored, selected, patched and handed to the sink
    // before the next is read — the file is read once, not once to plan and once to copy
    for (const p of [...pending].sort((a, b) => offsetOf(a) - offsetOf(b))) {
      if (isCancelled?.()) return cancelled();
      // bands read in place: each scored while in the cache, the weight whole at the end
      const bands = readFloat32BandsInPlace(p.weight.stored!.tensor, p.name)!;
      const c = score(p, scoreBlockBands(bands, p.layout, options.block, options.criterion)!);
      if (!c) continue;
      const mask = selectLayer(c.scores, c.target, options.keepRowsCols);
      masks.set(c, mask);
      const newly = countOnes(mask) - countOnes(c.scores.zero);
      if (newly > 0) addPatch(patches, c, mask, newly, diagnostics);
      sink.weight(offsetOf(p), bands.bytes, patches.get(p.weight.stored!.tensor.name));
    }
  } else {
    for (const p of pending)
      score(p, weightScores(p.weight, p.layout, options.block, options.criterion, p.name));
  }

  const pooled = candidates.filter((c) => c.global);
  selectGlobal(
    pooled.map((c) => c.scores),
    options.target,
    options.keepRowsCols,
    options.maxLayerRatio,
  ).forEach((m, i) => masks.set(pooled[i], m));
  for (const c of candidates) {
    if (c.global || masks.has(c)) continue;
    const chunk = options.chunks?.get(c.name);
    masks.set(
      c,
      chunk
        ? selectBalanced(c.scores, c.target, chunk, c.layout.coutPerGroup)
        : selectLayer(c.scores, c.target, options.keepRowsCols),
    );
  }

  // guard rails: say which layers end past the ceiling or with a dead block-row or -column
  for (const c of candidates) {
    const mask = masks.get(c) ?? c.scores.zero;
    const zero = countOnes(mask);
    const ratio = mask.length ? zero / mask.length : 0;
    const { rows, cols } = emptyRowsCols(c.scores, mask);
    const problems = [
      ...(ratio > options.maxLayerRatio + 1e-9
        ? [
            `${(ratio * 100).toFixed(1)}% of its blocks zero, above the ${options.maxLayerRatio} ceiling`,
          ]
        : []),
      ...(rows > 0
        ? [`${rows} block-row${rows === 1 ? '' : 's'} (8 output channels each) all zero`]
        : []),
      ...(cols > 0
        ? [`${cols} block-column${cols === 1 ? '' : 's'} (8 input channels each) all zero`]
        : []),
    ];
    if (problems.length > 0)
      diagnostics.push(
        diag(
          'BS5007',
          'warning',
          `${c.name}: ${problems.join('; ')} (--keep-rows-cols keeps one block per row and column)`,
          c.name,
        ),
      );
  }

  for (const c of candidates) {
    if (isCancelled?.()) return cancelled();
    onProgress?.(++done, nodes.length * 2);
    const mask = masks.get(c) ?? c.scores.zero;
    const before = countOnes(c.scores.zero);
    const after = countOnes(mask);
    let givenUp = 0;
    for (let b = 0; b < mask.length; b++)
      if (mask[b] && !c.scores.zero[b]) givenUp += (c.scores.score[b] || 0) ** 2;
    layers.push({
      name: c.name,
      weight: c.weight.sourceName,
      blocks: mask.length,
      zeroBlocksBefore: before,
      zeroBlocksAfter: after,
      target: c.target,
      skipped: null,
      givenUp,
      zeroMask: mask,
    });
    if (after > before && !streamed) addPatch(patches, c, mask, after - before, diagnostics);
  }
  const order = new Map(nodes.map(({ g, n }, i) => [g.path ? `${g.path}/${n.name}` : n.name, i]));
  layers.sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0));
  return { layers, patches, diagnostics, cancelled: false, streamed };
}

/** Where a pending layer's weight starts in the file (streamable weights are all ranged). */
function offsetOf(p: Pending): number {
  const storage = p.weight.stored?.tensor.storage;
  return storage?.kind === 'ranged' ? storage.offset : -1;
}

/**
 * True when a single pass can write every layer's weight: per-layer selection (a global or a
 * balanced one needs every score first), each weight a float32 tensor left in the file, small
 * enough for the scan arena, block rows contiguous (read in bands; the planner's run-based
 * patch), and no two weights in the same bytes.
 */
function streamable(pending: readonly Pending[], options: SparsifyOptions): boolean {
  if (options.chunks) return false;
  const spans: [number, number][] = [];
  for (const p of pending) {
    const stored = p.weight.stored;
    const storage = stored?.tensor.storage;
    if (p.global || !stored || storage?.kind !== 'ranged' || stored.uniformZero !== 0) return false;
    // raw float32 read in bands from the file: readWeightBands says when
    if (!readWeightBands(p.weight, p.name) || storage.length > MAX_ARENA_WEIGHT) return false;
    if (!blockRowsContiguous(p.layout, storage.length)) return false;
    spans.push([storage.offset, storage.offset + storage.length]);
  }
  // a weight two layers share is two pending layers in the same bytes: overlapping spans
  spans.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) if (spans[i][0] < spans[i - 1][1]) return false;
  return true;
}

/** Marks the stored elements of newly zeroed blocks and their zero values. */
function addPatch(
  patches: Map<string, TensorPatch>,
  c: Candidate,
  mask: Uint8Array,
  newlyZero: number,
  diagnostics: Diagnostic[],
) {
  const stored = c.weight.stored;
  if (!stored) return;
  const n = elementCount(stored.tensor.dims);
  if (!Number.isFinite(n)) {
    diagnostics.push(
      diag('BS1020', 'error', `weight '${c.weight.sourceName}' has an invalid shape`, c.name),
    );
    return;
  }
  const existing = patches.get(stored.tensor.name);
  const patch = existing ?? {
    tensor: stored.tensor,
    mask: new Uint8Array(n),
    runs: [] as ArrayLike<number>,
    masked: false,
    zeroValue: 0 as number | Float64Array,
  };
  let masked = patch.masked;
  let runs = patch.runs;
  let zeroValue = patch.zeroValue;
  const { rows, cols, zero } = c.scores;
  const uniform = stored.uniformZero;
  if (
    uniform !== undefined &&
    uniform !== 0 &&
    typeof zeroValue === 'number' &&
    zeroValue !== uniform
  ) {
    if (existing) zeroValue = new Float64Array(n).fill(zeroValue);
    else zeroValue = uniform;
  }
  const { groupStride, outStride, inStride, kernel, coutPerGroup, cinPerGroup } = c.layout;
  const fast =
    stored.identity &&
    uniform !== undefined &&
    typeof zeroValue === 'number' &&
    inStride === kernel;
  if (fast) {
    // the common case (Conv, Gemm transB, one zero value): per output channel, adjacent zeroed
    // block columns merge into one run of contiguous stored elements
    // at most one run per output channel of each newly zeroed block: room for all at once
    const list = new PairList(patch.runs, 2 * newlyZero * c.block.out);
    const spans: number[] = [];
    for (let g = 0; g < c.layout.groups; g++) {
      for (let r = 0; r < rows; r++) {
        // the block row's newly zeroed column spans, once; then the same spans in each of its
        // output channels (the mask was read once a channel before: 8 times the reads)
        const rowBase = (g * rows + r) * cols;
        spans.length = 0;
        let runStart = -1;
        for (let col = 0; col <= cols; col++) {
          const newly = col < cols && mask[rowBase + col] === 1 && zero[rowBase + col] === 0;
          if (newly && runStart < 0) runStart = col;
          if (!newly && runStart >= 0) {
            spans.push(
              runStart * c.block.in * kernel,
              Math.min(cinPerGroup, col * c.block.in) * kernel,
            );
            runStart = -1;
          }
        }
        if (spans.length === 0) continue;
        const oEnd = Math.min(coutPerGroup, (r + 1) * c.block.out);
        for (let o = r * c.block.out; o < oEnd; o++) {
          const base = g * groupStride + o * outStride;
          for (let k = 0; k < spans.length; k += 2) list.push(base + spans[k], base + spans[k + 1]);
        }
      }
    }
    runs = list.values();
  } else {
    for (let b = 0; b < mask.length; b++) {
      if (!mask[b] || zero[b]) continue;
      const g = Math.floor(b / (rows * cols));
      const r = Math.floor(b / cols) % rows;
      const col = b % cols;
      masked = true;
      forEachInBlock(c.layout, c.block, g, r, col, (i) => {
        const s = stored.indexOf(i);
        patch.mask[s] = 1;
        const zv = stored.zeroAt(i);
        if (typeof zeroValue === 'number' && zv !== zeroValue)
          zeroValue = new Float64Array(n).fill(zeroValue);
        if (typeof zeroValue !== 'number') zeroValue[s] = zv;
      });
    }
  }
  patches.set(stored.tensor.name, { ...patch, runs, masked, zeroValue });
}

/** A weight's block scores: read in bands where it can be (readWeightBands), else whole. */
function weightScores(
  weight: ConstantValue,
  layout: WeightLayout,
  block: BlockShape,
  criterion: Criterion,
  name: string,
): BlockScores | Diagnostic {
  const bands = readWeightBands(weight, name);
  const banded = bands && scoreBlockBands(bands, layout, block, criterion);
  if (banded) return banded;
  const values = weight.readScan();
  return 'code' in values ? values : scoreBlocks(values, layout, block, criterion);
}
