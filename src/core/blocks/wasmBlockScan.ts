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
interface Kernels {
  readonly scan: ScanFn;
  readonly squares: ScanFn;
}

let kernels: Kernels | null | undefined;

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
  const scan = scanKernels()?.scan;
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

/**
 * The L2 sums of blockScores.ts in WebAssembly, for one group whose values lie in the scan
 * arena: adds each block's sum of squares into `sq` (zeroed by the caller, one f64 a block) and
 * returns true; false when the values lie elsewhere or the kernels are not contiguous, and the
 * caller sums in JavaScript. The same sums bit for bit (unit test): float64 in two lanes, the
 * JavaScript loop's order. The sums are written in the arena behind the values: bytes there are
 * the caller's to lose (a band read in place has the next band's place there, not yet read).
 */
export function wasmSquares(
  values: Float32Scan,
  layout: WeightLayout,
  block: BlockShape,
  sq: Float64Array,
): boolean {
  const arena = scanArena();
  if (!arena || layout.groups !== 1 || layout.inStride !== layout.kernel) return false;
  if (values.buffer !== arena.memory.buffer || values.byteOffset % 4 !== 0) return false;
  const squares = scanKernels()?.squares;
  if (!squares) return false;
  // behind the weight the arena keeps a byte a weight; a block of at least 8 weights (8x8 at
  // kernel 1 and smaller) needs at most that for its f64 — smaller blocks are summed in JS
  const bytes = 8 * sq.length;
  if (bytes > values.byteLength / 4) return false;
  const out = alignUp(values.byteOffset + values.byteLength);
  const sums = new Float64Array(arena.memory.buffer, out, sq.length);
  sums.set(sq);
  squares(
    values.byteOffset,
    layout.coutPerGroup,
    layout.cinPerGroup,
    layout.kernel,
    layout.outStride,
    block.out,
    block.in,
    Math.ceil(layout.cinPerGroup / block.in),
    out,
  );
  sq.set(sums);
  return true;
}

function scanKernels(): Kernels | undefined {
  if (kernels === undefined) kernels = instantiate();
  return kernels ?? undefined;
}

function instantiate(): Kernels | null {
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  const arena = scanArena();
  if (!api || !arena) return null;
  try {
    // a module of 1 KB: compiled synchronously, which browsers allow up to 4 KB
    const module = new api.Module(base64Bytes(WASM_BASE64));
    const instance = new api.Instance(module, { env: { memory: arena.memory } });
    return { scan: instance.exports.scan as ScanFn, squares: instance.exports.squares as ScanFn };
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
