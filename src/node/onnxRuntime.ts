/**
 * ONNX Runtime for verification and evaluation. What we use of it is typed here, once, so that
 * either runtime can stand behind it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

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
  InferenceSession: { create(path: string, options?: object): Promise<OrtSession> };
  Tensor: new (type: string, data: unknown, dims: readonly number[]) => unknown;
}

/**
 * Session options: errors only (ONNX Runtime warns on stderr, e.g. when a model declares a fixed
 * output batch its graph does not keep; the figures are what count).
 */
export const QUIET = { logSeverityLevel: 3 } as const;

export const ORT_MISSING =
  'ONNX Runtime is not available: neither onnxruntime-node nor the bundled WebAssembly runtime (dist/ort) could be loaded';

/** Which runtime runs the models: the native one when installed, else the bundled WASM one. */
export type OrtFlavour = 'onnxruntime-node' | 'onnxruntime-web (WebAssembly)';

interface WebOrt extends Ort {
  env: { wasm: { wasmPaths?: string; numThreads?: number } };
}

let cached: { ort: Ort; flavour: OrtFlavour } | null | undefined;

/** dist/ort next to the bundle (the VSIX, the npm package), else the package's own (tests). */
function wasmFolder(): string | undefined {
  for (const dir of [path.join(__dirname, 'ort'), path.join(__dirname, '..', '..', 'dist', 'ort')])
    if (fs.existsSync(path.join(dir, 'ort-wasm-simd-threaded.wasm'))) return dir + path.sep;
  try {
    return (
      path.dirname(require.resolve('onnxruntime-web/package.json')) + `${path.sep}dist${path.sep}`
    );
  } catch {
    return undefined;
  }
}

/**
 * The runtime, or undefined when none can be loaded: onnxruntime-node (native, fastest) when it
 * is installed, else onnxruntime-web's WebAssembly build shipped in dist/ort (one thread: the
 * threaded build needs a worker per thread, and a single thread is fast enough to evaluate
 * and verify the CNNs this tool is for).
 */
export function loadOnnxRuntime(): { ort: Ort; flavour: OrtFlavour } | undefined {
  if (cached !== undefined) return cached ?? undefined;
  cached = null;
  if (process.env.BLOCKSPARSE_ORT !== 'web') {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      cached = { ort: require('onnxruntime-node') as Ort, flavour: 'onnxruntime-node' };
      return cached;
    } catch {
      // not installed (the VSIX ships without it): the WebAssembly runtime follows
    }
  }
  const folder = wasmFolder();
  if (!folder) return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const web = require('onnxruntime-web') as WebOrt;
    web.env.wasm.wasmPaths = folder;
    web.env.wasm.numThreads = 1;
    cached = { ort: web, flavour: 'onnxruntime-web (WebAssembly)' };
  } catch {
    cached = null;
  }
  return cached ?? undefined;
}

/** Numbers of a tensor (int64 outputs as numbers). */
export const tensorNumbers = (t: OrtTensor): ArrayLike<number> =>
  t.data instanceof BigInt64Array ? Array.from(t.data, Number) : t.data;

/** Opens a model in a session (errors only in the log), or says why ONNX Runtime cannot. */
export async function openSession(ort: Ort, file: string): Promise<OrtSession | string> {
  try {
    return await ort.InferenceSession.create(file, QUIET);
  } catch (e) {
    return (e as Error).message;
  }
}
