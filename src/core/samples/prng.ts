/** A small seeded PRNG (mulberry32): same seed, same fixture bytes, on every machine. */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A weight that is never zero: ±[0.01, 0.51). */
  nonZeroWeight(): number {
    const v = 0.01 + this.next() * 0.5;
    return this.next() < 0.5 ? -v : v;
  }

  /** k distinct integers from [0, n), in increasing order. */
  sample(n: number, k: number): number[] {
    const picked = new Set<number>();
    if (k > n) throw new Error(`cannot pick ${k} of ${n}`);
    // Floyd's algorithm: k draws, no retries, exactly k distinct values
    for (let j = n - k; j < n; j++) {
      const t = this.int(j + 1);
      picked.add(picked.has(t) ? j : t);
    }
    return [...picked].sort((a, b) => a - b);
  }
}
