import { alignUp, scanArena } from '../onnx/scanArena';
import type { Float32Scan } from '../onnx/tensorValues';
import type { BlockShape, WeightLayout } from './blockGrid';
import { WASM_BASE64 } from './blockScanWasm';

/** The slice of the WebAssembly API this module uses (core has no DOM typings). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
type ScanFn = (...args: number[]) => number;

let kernel: ScanFn | null | undefined;

/**
 * The SIMD block scan (blockScan.wat) when `values` lie in the scan arena: sets nonZero as
 * scanPass does and returns the zeros; undefined when the values lie elsewhere or WebAssembly
 * is not available, and the caller scans in JavaScript. The two agree bit for bit (unit test).
 */
export function wasmScanPass(
  values: Float32Scan,
  layout: WeightLayout,
  block: BlockShape,
  rows: number,
  cols: number,
  nonZero: Uint8Array,
): number | undefined {
  const arena = scanArena();
  if (!arena || values.buffer !== arena.memory.buffer || values.byteOffset !== 0) return undefined;
  const scan = scanKernel();
  if (!scan) return undefined;
  // the arena keeps a byte a weight spare behind the weight: a mask never needs more
  const mask = alignUp(values.byteLength);
  const maskBytes = new Uint8Array(arena.memory.buffer, mask, nonZero.length);
  maskBytes.fill(0);
  const zeros = scan(
    0,
    layout.groups,
    layout.coutPerGroup,
    layout.cinPerGroup,
    layout.kernel,
    layout.groupStride,
    layout.outStride,
    layout.inStride,
    block.out,
    block.in,
    rows,
    cols,
    mask,
  );
  nonZero.set(maskBytes);
  return zeros >>> 0;
}

function scanKernel(): ScanFn | undefined {
  if (kernel === undefined) kernel = instantiate();
  return kernel ?? undefined;
}

function instantiate(): ScanFn | null {
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  const arena = scanArena();
  if (!api || !arena) return null;
  try {
    // a module of 1 KB: compiled synchronously, which browsers allow up to 4 KB
    const module = new api.Module(base64Bytes(WASM_BASE64));
    const instance = new api.Instance(module, { env: { memory: arena.memory } });
    return instance.exports.scan as ScanFn;
  } catch {
    return null;
  }
}

function base64Bytes(text: string): Uint8Array {
  const atob = (globalThis as unknown as { atob: (s: string) => string }).atob;
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
