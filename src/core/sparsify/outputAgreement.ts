/** How closely one output of the sparse model follows the original's. */
export interface OutputAgreement {
  readonly name: string;
  readonly shape: readonly number[];
  readonly maxAbsDiff: number;
  /** ‖sparse − original‖ / ‖original‖. */
  readonly relativeL2: number;
  readonly cosine: number;
  /** For classifier-shaped outputs ([1, N] or [N]): argmax equal (N ≥ 2) / top-5 overlap (N ≥ 5), per sample. */
  readonly top1: number | null;
  readonly top5: number | null;
  readonly finite: boolean;
}

function topK(v: ArrayLike<number>, k: number): number[] {
  return Array.from({ length: v.length }, (_, i) => i)
    .sort((a, b) => v[b] - v[a] || a - b)
    .slice(0, k);
}

/** Compares the outputs of several runs (one array per sample) of the original and the sparse model. */
export function compareOutputs(
  name: string,
  shape: readonly number[],
  original: readonly ArrayLike<number>[],
  sparse: readonly ArrayLike<number>[],
): OutputAgreement {
  let maxAbs = 0;
  let diff2 = 0;
  let a2 = 0;
  let b2 = 0;
  let ab = 0;
  let finite = true;
  let top1 = 0;
  let top5 = 0;
  const classes = shape.filter((d) => d > 1).length === 1 ? shape[shape.length - 1] : 0;
  const classifier = classes >= 2;
  original.forEach((a, s) => {
    const b = sparse[s];
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      const y = b[i];
      if (!Number.isFinite(y) && Number.isFinite(x)) finite = false;
      const d = Math.abs(x - y);
      if (d > maxAbs) maxAbs = d;
      diff2 += (x - y) ** 2;
      a2 += x * x;
      b2 += y * y;
      ab += x * y;
    }
    if (classifier) {
      const k = Math.min(5, classes);
      const ta = topK(a, k);
      const tb = topK(b, k);
      if (ta[0] === tb[0]) top1++;
      top5 += ta.filter((c) => tb.includes(c)).length / k;
    }
  });
  const n = original.length;
  return {
    name,
    shape,
    maxAbsDiff: maxAbs,
    relativeL2: a2 > 0 ? Math.sqrt(diff2 / a2) : Math.sqrt(diff2),
    cosine: a2 > 0 && b2 > 0 ? ab / Math.sqrt(a2 * b2) : a2 === b2 ? 1 : 0,
    top1: classifier ? top1 / n : null,
    top5: classes >= 5 ? top5 / n : null,
    finite,
  };
}
