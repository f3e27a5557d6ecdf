/**
 * The memory weights are read into for the block scan: one WebAssembly memory, grown to the
 * largest weight and reused for every weight after it. Reused, because a fresh buffer per weight
 * faults in its pages (47 ms of reading a 100 MB model, against 12 ms into one buffer); a
 * WebAssembly memory, because the SIMD block scan (blocks/wasmBlockScan.ts) reads it in place.
 * What the arena holds is valid only until the next weight is read into it.
 */

/** The slice of the WebAssembly API the core uses (core is type-checked without DOM typings). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
}

const PAGE = 65536;

/** Weights larger than this are read into memory of their own rather than pinning that much. */
export const MAX_ARENA_WEIGHT = 256 * 1024 * 1024;

export interface ScanArena {
  readonly memory: WasmMemory;
  /**
   * The first `length` bytes of the arena, grown when needed. Behind them the arena keeps one
   * byte per 4 bytes spare (+ 32): room for the block mask of a scan, at most one byte a weight.
   */
  bytes(length: number): Uint8Array;
}

let arena: ScanArena | null | undefined;

/** The arena, or undefined where WebAssembly is not available (a webview without it, say). */
export function scanArena(): ScanArena | undefined {
  if (arena === undefined) arena = createArena();
  return arena ?? undefined;
}

function createArena(): ScanArena | null {
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  if (!api) return null;
  let memory: WasmMemory;
  try {
    memory = new api.Memory({ initial: 1, maximum: Math.ceil(maxNeed(MAX_ARENA_WEIGHT) / PAGE) });
  } catch {
    return null;
  }
  return {
    memory,
    bytes(length) {
      if (length > MAX_ARENA_WEIGHT)
        throw new RangeError(`${length} bytes is over the arena's limit`);
      const need = maxNeed(length);
      const have = memory.buffer.byteLength;
      if (need > have) memory.grow(Math.ceil((need - have) / PAGE));
      return new Uint8Array(memory.buffer, 0, length);
    },
  };
}

/** Bytes the arena holds for a weight of `length` bytes: the weight, then room for its mask. */
function maxNeed(length: number): number {
  return alignUp(length) + Math.ceil(length / 4) + 32;
}

/** The next multiple of 16: where a scan's mask starts behind a weight of `length` bytes. */
export function alignUp(length: number): number {
  return Math.ceil(length / 16) * 16;
}
