/**
 * A growing list of number pairs in one Float64Array: a sparsified ResNet-50 has 1.6 million
 * zero runs, which as JavaScript arrays cost more in pushes and garbage than the zeroing itself.
 */
export class PairList {
  private data: Float64Array;
  private used = 0;

  /** `room`: the pairs' numbers expected after `from`, allocated at once. */
  constructor(from: ArrayLike<number> = [], room = 0) {
    this.data = new Float64Array(Math.max(1024, from.length + room));
    this.data.set(from);
    this.used = from.length;
  }

  push(a: number, b: number): void {
    if (this.used + 2 > this.data.length) {
      const grown = new Float64Array(2 * this.data.length);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.used++] = a;
    this.data[this.used++] = b;
  }

  /** The pairs as flat [a, b, a, b, …] (a view: push no more after taking it). */
  values(): Float64Array {
    return this.data.subarray(0, this.used);
  }
}
