/** Classifier accuracy from logits: the rank of the true class, top-1/top-5, agreement. */

/** The indices of the k largest values, largest first (ties: the lower index first). */
export function topK(logits: ArrayLike<number>, k: number): number[] {
  const best: number[] = [];
  for (let i = 0; i < logits.length; i++) {
    const v = logits[i];
    if (Number.isNaN(v)) continue;
    let at = best.length;
    while (at > 0 && logits[best[at - 1]] < v) at--;
    if (at < k) {
      best.splice(at, 0, i);
      if (best.length > k) best.pop();
    }
  }
  return best;
}

/** Running top-1/top-5 counts of one model, and its top-1 predictions (for agreement). */
export class AccuracyCounter {
  samples = 0;
  top1 = 0;
  top5 = 0;
  readonly predictions: number[] = [];

  add(logits: ArrayLike<number>, label: number | undefined): void {
    const best = topK(logits, 5);
    this.samples++;
    this.predictions.push(best[0] ?? -1);
    if (label === undefined) return;
    if (best[0] === label) this.top1++;
    if (best.includes(label)) this.top5++;
  }
}

/** The fraction of samples on which two models make the same top-1 prediction. */
export function agreement(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  let same = 0;
  for (let i = 0; i < n; i++) if (a[i] === b[i]) same++;
  return n > 0 ? same / n : 0;
}
