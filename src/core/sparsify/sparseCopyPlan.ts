import { DataType } from '../onnx/dataTypes';
import type { ByteSource } from '../onnx/byteSource';
import type { TopLevelField } from '../onnx/modelSkeleton';
import type { TensorPatch } from './planSparsify';
import { metadataKeyOf, metadataTail } from './writeSparseModel';

const MODEL_METADATA = 14;

/**
 * The sparse model as a copy of the input file: the byte ranges kept, the ranges within them
 * written as zeros, and the bytes after. The same file writeSparseModel makes, written without
 * the input in memory: a streamed copy reads and writes it a chunk at a time.
 */
export interface SparseCopyPlan {
  /** [start, end) byte ranges of the input, in order: all but the replaced metadata entries. */
  readonly keep: readonly (readonly [number, number])[];
  /** [start, end) byte ranges of the input written as zero bytes, sorted, as flat pairs. */
  readonly zeros: Float64Array;
  /** Written after the kept bytes: the blocksparse.* metadata entries. */
  readonly tail: Uint8Array;
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
  // a million runs in ResNet-50: flat typed pairs, weight by weight in file order, each weight's
  // runs merged with its mask's (both ascending) — no array per run, no sort of them all
  ranged.sort((a, b) => a.offset - b.offset);
  const zeros = new RangeList();
  for (const { offset, patch } of ranged) {
    const maskRuns = patch.masked ? runsOfMask(patch.mask) : [];
    const runs = ascendingPairs(patch.runs);
    let r = 0;
    let m = 0;
    while (r < runs.length || m < maskRuns.length) {
      const fromRuns = m >= maskRuns.length || (r < runs.length && runs[r] <= maskRuns[m]);
      const [a, b] = fromRuns ? [runs[r], runs[r + 1]] : [maskRuns[m], maskRuns[m + 1]];
      if (fromRuns) r += 2;
      else m += 2;
      zeros.push(offset + 4 * a, offset + 4 * b);
    }
  }
  const keys = new Set(metadata.map(([k]) => k));
  const keep: [number, number][] = [];
  let at = 0;
  for (const f of topLevel) {
    if (f.field !== MODEL_METADATA || f.wireType !== 2 || !f.metadata) continue;
    if (!keys.has(metadataKeyOf(f.metadata))) continue;
    if (f.start > at) keep.push([at, f.start]);
    at = f.end;
  }
  if (size > at) keep.push([at, size]);
  return { keep, zeros: zeros.pairs(), tail: metadataTail(metadata) };
}

/** [start, end) element runs where a mask is 1, as flat pairs. */
function runsOfMask(mask: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = mask.indexOf(1); i >= 0;) {
    const end = mask.indexOf(0, i);
    const stop = end < 0 ? mask.length : end;
    out.push(i, stop);
    i = end < 0 ? -1 : mask.indexOf(1, end);
  }
  return out;
}

/** Flat [start, end) pairs in ascending order of start (already so in the usual case). */
function ascendingPairs(pairs: readonly number[]): readonly number[] {
  let sorted = true;
  for (let i = 2; i < pairs.length && sorted; i += 2) sorted = pairs[i - 2] <= pairs[i];
  if (sorted) return pairs;
  const order = Array.from({ length: pairs.length / 2 }, (_, i) => i);
  order.sort((a, b) => pairs[2 * a] - pairs[2 * b]);
  return order.flatMap((i) => [pairs[2 * i], pairs[2 * i + 1]]);
}

/** A growing list of [start, end) pairs in a Float64Array. */
class RangeList {
  private data = new Float64Array(1024);
  private length = 0;

  push(start: number, end: number): void {
    if (this.length + 2 > this.data.length) {
      const grown = new Float64Array(2 * this.data.length);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = start;
    this.data[this.length++] = end;
  }

  pairs(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

/**
 * Runs a copy plan over the input: calls `write` with each chunk of the output in order, read
 * into `buffer` (reused: valid until the next call) with its zero ranges applied.
 */
export function forEachCopyChunk(
  source: ByteSource,
  plan: SparseCopyPlan,
  buffer: Uint8Array,
  write: (bytes: Uint8Array) => void,
): void {
  const { zeros } = plan;
  let z = 0;
  for (const [start, end] of plan.keep) {
    for (let at = start; at < end; at += buffer.length) {
      const length = Math.min(buffer.length, end - at);
      const chunk = buffer.subarray(0, length);
      if (source.readInto) source.readInto(at, chunk);
      else chunk.set(source.read(at, length));
      const stop = at + length;
      // zero ranges are sorted: skip those behind the chunk, fill those in it
      while (z < zeros.length && zeros[z + 1] <= at) z += 2;
      for (let k = z; k < zeros.length && zeros[k] < stop; k += 2) {
        chunk.fill(0, Math.max(zeros[k], at) - at, Math.min(zeros[k + 1], stop) - at);
      }
      write(chunk);
    }
  }
  write(plan.tail);
}
