import { DataType } from '../onnx/dataTypes';
import { readIntoTarget, type ByteSource } from '../onnx/byteSource';
import type { TopLevelField } from '../onnx/modelSkeleton';
import { PairList } from './pairList';
import type { TensorPatch } from './planSparsify';
import { metadataKeyOf, metadataTail } from './writeSparseModel';

const MODEL_METADATA = 14;

/**
 * The sparse model as a copy of the input file: the byte ranges kept, the weights zeroed
 * within them, and the bytes after. The same file writeSparseModel makes, written without the
 * input in memory: a streamed copy reads and writes it a chunk at a time.
 */
export interface SparseCopyPlan {
  /** [start, end) byte ranges of the input, in order: all but the replaced metadata entries. */
  readonly keep: readonly (readonly [number, number])[];
  /** The weights to zero, in file order: where each starts, and its runs of float32 elements. */
  readonly weights: readonly ZeroedWeight[];
  /** Written after the kept bytes: the blocksparse.* metadata entries. */
  readonly tail: Uint8Array;
}

/** A weight's zero runs: flat [start, end) element pairs, ascending, from byte `offset`. */
export interface ZeroedWeight {
  readonly offset: number;
  readonly runs: ArrayLike<number>;
}

/**
 * The copy plan of a model decoded from its skeleton, or undefined when a streamed copy
 * cannot write it and writeSparseModel must: a weight not left in the file as raw float32
 * (raw_data of a Constant node or a subgraph, float_data, int8 with its zero points) or a
 * model with external data (its locations move).
 */
export function sparseCopyPlan(
  size: number,
  topLevel: readonly TopLevelField[],
  patches: ReadonlyMap<string, TensorPatch>,
  metadata: readonly (readonly [string, string])[],
  hasExternalData: boolean,
): SparseCopyPlan | undefined {
  if (hasExternalData) return undefined;
  const ranged: { offset: number; patch: TensorPatch }[] = [];
  for (const p of patches.values()) {
    const storage = p.tensor.storage;
    if (storage.kind !== 'ranged' || p.tensor.dataType !== DataType.FLOAT || p.zeroValue !== 0)
      return undefined;
    ranged.push({ offset: storage.offset, patch: p });
  }
  // the runs stay the planner's (1.6 million in ResNet-50): no array per run, no sort of them
  ranged.sort((a, b) => a.offset - b.offset);
  const weights = ranged.map(({ offset, patch }): ZeroedWeight => {
    const runs = ascendingPairs(patch.runs);
    // the mask's runs, when a patch has any (a weight two layers share), merged in: both ascend
    return { offset, runs: patch.masked ? merged(runs, runsOfMask(patch.mask)) : runs };
  });
  const keep = keptRanges(size, topLevel, new Set(metadata.map(([k]) => k)));
  return { keep, weights, tail: metadataTail(metadata) };
}

/**
 * [start, end) byte ranges of a model file, in order: all but its metadata entries with one of
 * `keys` (the entries the new metadata replaces, written after the kept bytes).
 */
export function keptRanges(
  size: number,
  topLevel: readonly TopLevelField[],
  keys: ReadonlySet<string>,
): [number, number][] {
  const keep: [number, number][] = [];
  let at = 0;
  for (const f of topLevel) {
    if (f.field !== MODEL_METADATA || f.wireType !== 2 || !f.metadata) continue;
    if (!keys.has(metadataKeyOf(f.metadata))) continue;
    if (f.start > at) keep.push([at, f.start]);
    at = f.end;
  }
  if (size > at) keep.push([at, size]);
  return keep;
}

/**
 * Runs a copy plan over the input: calls `write` with each chunk of the output in order, read
 * into `buffer` (reused: valid until the next call) with its zero runs applied.
 */
export function forEachCopyChunk(
  source: ByteSource,
  plan: SparseCopyPlan,
  buffer: Uint8Array,
  write: (bytes: Uint8Array) => void,
): void {
  const { weights } = plan;
  // a cursor over every weight's runs, in file order: each run is passed once
  let w = 0;
  let r = 0;
  for (const [start, end] of plan.keep) {
    for (let at = start; at < end; at += buffer.length) {
      const chunk = buffer.subarray(0, Math.min(buffer.length, end - at));
      readIntoTarget(source, at, chunk);
      for (; w < weights.length; w++, r = 0) {
        const { offset, runs } = weights[w];
        if (offset >= at + chunk.length) break;
        r = zeroRunsInChunk(chunk, at, offset, runs, r);
        // the weight's runs go on past the chunk: take them up again with the next one
        if (r < runs.length) break;
      }
      write(chunk);
    }
  }
  write(plan.tail);
}

/**
 * Zeroes in `chunk` — the file's bytes from `at` — the runs of a weight stored at `offset`
 * ([start, end) element pairs, float32), from run index `r` on. Returns the index of the first
 * run not finished inside the chunk (runs.length when all are): the next chunk starts there.
 */
export function zeroRunsInChunk(
  chunk: Uint8Array,
  at: number,
  offset: number,
  runs: ArrayLike<number>,
  r: number,
): number {
  const stop = at + chunk.length;
  for (; r < runs.length; r += 2) {
    const a = offset + 4 * runs[r];
    const b = offset + 4 * runs[r + 1];
    if (a >= stop) break;
    if (b > at) chunk.fill(0, Math.max(a, at) - at, Math.min(b, stop) - at);
    if (b > stop) break;
  }
  return r;
}

/** [start, end) element runs where a mask is 1, as flat pairs. */
function runsOfMask(mask: Uint8Array): Float64Array {
  const out = new PairList();
  for (let i = mask.indexOf(1); i >= 0;) {
    const end = mask.indexOf(0, i);
    const stop = end < 0 ? mask.length : end;
    out.push(i, stop);
    i = end < 0 ? -1 : mask.indexOf(1, end);
  }
  return out.values();
}

/** Flat [start, end) pairs in ascending order of start (already so in the usual case). */
function ascendingPairs(pairs: ArrayLike<number>): ArrayLike<number> {
  let sorted = true;
  for (let i = 2; i < pairs.length && sorted; i += 2) sorted = pairs[i - 2] <= pairs[i];
  if (sorted) return pairs;
  const order = Array.from({ length: pairs.length / 2 }, (_, i) => i);
  order.sort((a, b) => pairs[2 * a] - pairs[2 * b]);
  return order.flatMap((i) => [pairs[2 * i], pairs[2 * i + 1]]);
}

/** Two ascending lists of flat pairs as one. */
function merged(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const out = new PairList();
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i] <= b[j])) {
      out.push(a[i], a[i + 1]);
      i += 2;
    } else {
      out.push(b[j], b[j + 1]);
      j += 2;
    }
  }
  return out.values();
}
