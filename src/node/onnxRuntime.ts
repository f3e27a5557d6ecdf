/**
 * ONNX Runtime for verification and evaluation: onnxruntime-node when it is installed (native,
 * fastest). What we use of it is typed here so that the dependency stays optional.
 */
export interface OrtTensor {
  readonly data: ArrayLike<number> | BigInt64Array;
  readonly dims: readonly number[];
}
export interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, unknown>): Promise<Record<string, OrtTensor>>;
  release?(): Promise<void>;
}
export interface Ort {
  InferenceSession: { create(path: string): Promise<OrtSession> };
  Tensor: new (type: string, data: unknown, dims: readonly number[]) => unknown;
}

export const ORT_MISSING =
  'ONNX Runtime is not available: install onnxruntime-node (`ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node`)';

let cached: Ort | null | undefined;

/** The runtime, or undefined when none is installed. */
export function loadOnnxRuntime(): Ort | undefined {
  if (cached === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      cached = require('onnxruntime-node') as Ort;
    } catch {
      cached = null;
    }
  }
  return cached ?? undefined;
}

/** Numbers of a tensor (int64 outputs as numbers). */
export const tensorNumbers = (t: OrtTensor): ArrayLike<number> =>
  t.data instanceof BigInt64Array ? Array.from(t.data, Number) : t.data;
