import { elementCount, type NumericArray } from './tensorValues';

/** Permutes the axes of a dense row-major tensor (numpy.transpose semantics). */
export function transposeValues(
  values: NumericArray,
  dims: readonly number[],
  perm: readonly number[],
): NumericArray {
  const rank = dims.length;
  const outDims = perm.map((p) => dims[p]);
  const inStrides = stridesOf(dims);
  const permStrides = perm.map((p) => inStrides[p]);
  const out =
    values instanceof Float64Array
      ? new Float64Array(values.length)
      : new Float32Array(values.length);
  const idx = new Array<number>(rank).fill(0);
  const total = elementCount(dims);
  let src = 0;
  for (let o = 0; o < total; o++) {
    out[o] = values[src];
    // advance the output multi-index (last axis fastest) and the matching source offset
    for (let a = rank - 1; a >= 0; a--) {
      idx[a]++;
      src += permStrides[a];
      if (idx[a] < outDims[a]) break;
      src -= permStrides[a] * outDims[a];
      idx[a] = 0;
    }
  }
  return out;
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
