import type { Diagnostic } from '../diagnostics';

/**
 * Random access to bytes that may not all be in memory (an external-data file can exceed
 * 2 GiB). Offsets are plain numbers: exact up to 2^53.
 */
export interface ByteSource {
  readonly size: number;
  /** Reads exactly `length` bytes at `offset`; callers check bounds against `size` first. */
  read(offset: number, length: number): Uint8Array;
  /** Reads exactly `target.length` bytes at `offset` into `target` (optional: no allocation). */
  readInto?(offset: number, target: Uint8Array): void;
}

/** Fills `target` with the bytes at `offset`: read into it where the source can, else copied. */
export function readIntoTarget(source: ByteSource, offset: number, target: Uint8Array): void {
  if (source.readInto) source.readInto(offset, target);
  else target.set(source.read(offset, target.length));
}

/** Opens the file an external-data location names, or says why it cannot. */
export interface ExternalDataResolver {
  open(location: string): ByteSource | Diagnostic;
}

/** A ByteSource over bytes already in memory. */
export function memoryByteSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: (offset, length) => bytes.subarray(offset, offset + length),
  };
}
