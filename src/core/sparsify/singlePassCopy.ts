import { readIntoTarget, type ByteSource } from '../onnx/byteSource';
import type { TensorPatch, WeightSink } from './planSparsify';
import { zeroRunsInChunk } from './sparseCopyPlan';

/**
 * The writer of a single-pass Sparsify: the input's kept bytes (keptRanges) in file order, each
 * weight's bytes as the planner hands them over (planSparsify's sink) with their runs zeroed,
 * the bytes between weights copied from the file a chunk at a time, and the new metadata last.
 * The same file forEachCopyChunk writes from a finished plan, without reading the weights twice:
 * on ResNet-50 the second read was 20 ms of a 240 ms Sparsify.
 */
export class SinglePassCopy implements WeightSink {
  /** The next input byte to write. */
  private at = 0;
  /** The keep range `at` lies in, or before. */
  private range = 0;

  constructor(
    private readonly source: ByteSource,
    private readonly keep: readonly (readonly [number, number])[],
    /** Reused for the bytes between weights: valid in `write` only until it returns. */
    private readonly buffer: Uint8Array,
    private readonly write: (bytes: Uint8Array) => void,
  ) {}

  weight(offset: number, bytes: Uint8Array, patch: TensorPatch | undefined): void {
    if (offset < this.at) throw new Error(`a weight at byte ${offset} came out of file order`);
    this.copyTo(offset);
    const [start, stop] = this.keep[this.range] ?? [0, 0];
    if (offset < start || offset + bytes.length > stop)
      throw new Error(`the weight at byte ${offset} lies outside the bytes the copy keeps`);
    // the planner's patch of a plain float32 weight is runs alone (its mask is for the others)
    if (patch?.masked) throw new Error(`the weight at byte ${offset} has an element mask`);
    const runs = patch?.runs ?? [];
    // zeroed and written a buffer's length at a time: each slice is still in the cache when the
    // write copies it out (a whole 9 MB weight zeroed first was 40% slower to zero and write)
    const step = this.buffer.length;
    let r = 0;
    for (let s = 0; s < bytes.length; s += step) {
      const slice = bytes.subarray(s, Math.min(bytes.length, s + step));
      r = zeroRunsInChunk(slice, s, 0, runs, r);
      this.write(slice);
    }
    this.at = offset + bytes.length;
  }

  /** The kept bytes after the last weight, then `tail` (the blocksparse.* metadata entries). */
  finish(tail: Uint8Array): void {
    this.copyTo(Infinity);
    this.write(tail);
  }

  /** Writes the kept bytes of [at, end) from the file. */
  private copyTo(end: number): void {
    while (this.range < this.keep.length) {
      const [start, stop] = this.keep[this.range];
      const to = Math.min(stop, end);
      for (let p = Math.max(this.at, start); p < to; p += this.buffer.length) {
        const chunk = this.buffer.subarray(0, Math.min(this.buffer.length, to - p));
        readIntoTarget(this.source, p, chunk);
        this.write(chunk);
      }
      this.at = Math.max(this.at, to);
      if (end < stop) return;
      this.range++;
    }
  }
}
