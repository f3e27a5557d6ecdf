import { elementCount, type NumericArray } from './tensorValues';

/** Permutes the axes of a dense row-major tensor (numpy.transpose semantics). */
export function transposeValues(
  values: NumericArray,
  dims: readonly number[],
  perm: readonly number[],
): NumericArray {
  const inStrides = stridesOf(dims);
  const out =
    values instanceof Float64Array
      ? new Float64Array(values.length)
      : new Float32Array(values.length);
  strideWalk(
    perm.map((p) => dims[p]),
    perm.map((p) => inStrides[p]),
    0,
    values,
    out,
  );
  return out;
}

/**
 * Copies src into out, walking out's multi-index (last axis fastest) with one source stride per
 * output axis from a start offset: transposes, slices, splits and broadcasts are all this walk.
 */
export function strideWalk(
  outDims: readonly number[],
  strides: readonly number[],
  offset: number,
  src: NumericArray,
  out: NumericArray,
): void {
  const rank = outDims.length;
  const idx = new Array<number>(rank).fill(0);
  const total = elementCount(outDims);
  let s = offset;
  for (let o = 0; o < total; o++) {
    out[o] = src[s];
    for (let a = rank - 1; a >= 0; a--) {
      idx[a]++;
      s += strides[a];
      if (idx[a] < outDims[a]) break;
      s -= strides[a] * outDims[a];
      idx[a] = 0;
    }
  }
}

/** Row-major strides of a shape. */
export function stridesOf(dims: readonly number[]): number[] {
  const strides = new Array<number>(dims.length);
  let s = 1;
  for (let i = dims.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= dims[i];
  }
  return strides;
}
