import { diag, type Diagnostic } from '../diagnostics';
import type { ExternalDataResolver } from './byteSource';
import { DataType, dataTypeInfo } from './dataTypes';
import type { TensorIR } from './ir';
import { MAX_ARENA_WEIGHT, scanArena } from './scanArena';

/** Tensor values as numbers (float32 precision is enough to tell zero from non-zero). */
export type NumericArray = Float32Array | Float64Array;

/**
 * Values as little-endian float32 bit patterns, the form the block scanner reads. Raw float32
 * weights are viewed in place (usually unaligned inside the protobuf, which a Float32Array
 * cannot view), so scanning a model costs no copy of its weights.
 */
export type Float32Scan = DataView;

/** Largest tensor we decode into memory at once (elements). */
export const MAX_TENSOR_ELEMENTS = 2 ** 31 - 1;

/** Number of elements of a shape, or NaN when a dim is unknown or negative. */
export function elementCount(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) {
    if (!Number.isFinite(d) || d < 0) return Number.NaN;
    n *= d;
  }
  return n;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

let halfTable: Float32Array | undefined;

/** float16 bit pattern → float32, for all 65536 patterns (built once, 256 KiB). */
function float16Table(): Float32Array {
  if (!halfTable) {
    halfTable = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) {
      const sign = h & 0x8000 ? -1 : 1;
      const exp = (h >> 10) & 0x1f;
      const frac = h & 0x3ff;
      let v: number;
      if (exp === 0) v = frac * 2 ** -24;
      else if (exp === 31) v = frac ? Number.NaN : Number.POSITIVE_INFINITY;
      else v = (1 + frac / 1024) * 2 ** (exp - 15);
      halfTable[h] = sign * v;
    }
  }
  return halfTable;
}

/**
 * Reads a constant tensor's values as numbers. Data of a known length is read once; raw float32
 * data that is 4-byte aligned is viewed in place without a copy.
 */
export function readTensorValues(
  tensor: TensorIR,
  resolver: ExternalDataResolver | undefined,
  where: string | null,
): NumericArray | Diagnostic {
  const count = elementCount(tensor.dims);
  const label = `tensor '${tensor.name}'`;
  if (Number.isNaN(count)) {
    return diag(
      'BS1020',
      'error',
      `${label} has an invalid shape [${tensor.dims.join(', ')}]`,
      where,
    );
  }
  if (count > MAX_TENSOR_ELEMENTS) {
    return diag(
      'BS1022',
      'error',
      `${label} has ${count} elements, more than can be analysed`,
      where,
    );
  }
  const info = dataTypeInfo(tensor.dataType);
  if (info.bytes === 0) {
    return diag(
      'BS1021',
      'warning',
      `${label} has type ${info.name}, which is not analysed`,
      where,
    );
  }
  const storage = tensor.storage;
  switch (storage.kind) {
    case 'typed':
      if (storage.values.length !== count) {
        return diag(
          'BS1020',
          'error',
          `${label}: ${storage.values.length} values stored for shape [${tensor.dims.join(', ')}] (${count} elements)`,
          where,
        );
      }
      return fromTyped(tensor.dataType, storage.values);
    case 'empty':
      if (count === 0) return new Float32Array(0);
      return diag('BS1020', 'error', `${label} has no data for ${count} elements`, where);
    case 'raw':
      return fromRawChecked(tensor, storage.bytes, count, label, where);
    case 'ranged': {
      const bytes = readRanged(storage, label, where, false);
      return 'code' in bytes ? bytes : fromRawChecked(tensor, bytes, count, label, where);
    }
    case 'external': {
      if (!resolver) {
        return diag(
          'BS1013',
          'error',
          `${label} is stored in external data '${storage.location}'`,
          where,
        );
      }
      const source = resolver.open(storage.location);
      if ('code' in source) return { ...source, node: where };
      const length = storage.length ?? source.size - storage.offset;
      if (
        Number.isNaN(storage.offset) ||
        Number.isNaN(length) ||
        storage.offset + length > source.size ||
        length < 0
      ) {
        return diag(
          'BS1012',
          'error',
          `${label}: bytes ${storage.offset}..${storage.offset + length} lie outside '${storage.location}' (${source.size} bytes)`,
          where,
        );
      }
      const expected = count * info.bytes;
      if (length < expected) {
        return dataShort(label, length, expected, where);
      }
      return fromRaw(tensor.dataType, source.read(storage.offset, expected), count);
    }
  }
}

/** Reads a tensor for the block scanner: raw float32 in place, anything else converted. */
export function readFloat32Scan(
  tensor: TensorIR,
  resolver: ExternalDataResolver | undefined,
  where: string | null,
): Float32Scan | Diagnostic {
  const storage = tensor.storage;
  if (tensor.dataType === DataType.FLOAT && (storage.kind === 'raw' || storage.kind === 'ranged')) {
    const count = elementCount(tensor.dims);
    const length = storage.kind === 'raw' ? storage.bytes.length : storage.length;
    if (!Number.isNaN(count) && count <= MAX_TENSOR_ELEMENTS && length === count * 4) {
      const bytes =
        storage.kind === 'raw'
          ? storage.bytes
          : readRanged(storage, `tensor '${tensor.name}'`, where, true);
      if ('code' in bytes) return bytes;
      return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
  }
  const values = readTensorValues(tensor, resolver, where);
  return 'code' in values ? values : toFloat32Scan(values);
}

/**
 * A large float32 weight read from the model file piece by piece into the scan arena, for a
 * scanner that goes through it once, in order: each piece stays in the processor's cache
 * between the read and the scan (a whole 9 MB weight does not, and the scan of a 100 MB model
 * took twice as long). Valid only until the next read into the arena.
 */
export interface Float32Bands {
  readonly byteLength: number;
  /** The bytes [byteOffset, byteOffset + byteLength) of the weight. */
  read(byteOffset: number, byteLength: number): Float32Scan | Diagnostic;
}

/**
 * Bands of a raw float32 weight — left in the file (decodeSkeleton), or in memory, where the
 * copy of a band into the arena costs less than the unaligned DataView scan saves — or
 * undefined for any other tensor, which readFloat32Scan reads whole.
 */
export function readFloat32Bands(tensor: TensorIR, where: string | null): Float32Bands | undefined {
  const storage = tensor.storage;
  if (tensor.dataType !== DataType.FLOAT || !scanArena()) return undefined;
  const label = `tensor '${tensor.name}'`;
  const expected = elementCount(tensor.dims) * 4;
  if (storage.kind === 'raw' && storage.bytes.length === expected) {
    const bytes = storage.bytes;
    return {
      byteLength: expected,
      read(byteOffset, byteLength) {
        const band = scanArena()!.bytes(byteLength);
        band.set(bytes.subarray(byteOffset, byteOffset + byteLength));
        return new DataView(band.buffer, 0, byteLength);
      },
    };
  }
  if (storage.kind !== 'ranged' || !storage.source.readInto || storage.length !== expected) {
    return undefined;
  }
  return {
    byteLength: storage.length,
    read(byteOffset, byteLength) {
      const band = { ...storage, offset: storage.offset + byteOffset, length: byteLength };
      const bytes = readRanged(band, label, where, true);
      return 'code' in bytes ? bytes : new DataView(bytes.buffer, bytes.byteOffset, byteLength);
    },
  };
}

/** Bands read in place: after the last, the whole weight is in the arena. */
export interface ResidentBands extends Float32Bands {
  /** The weight's bytes in the arena (whole once every band is read), until the next weight. */
  readonly bytes: Uint8Array;
}

/**
 * Bands of a raw float32 weight left in the file, each read into its own place in the scan
 * arena rather than at its start: a band is scanned while it is in the cache, and the weight is
 * whole in memory at the end (single-pass Sparsify writes it from there). Undefined for a
 * weight readFloat32Bands would not band, or one over the arena's limit.
 */
export function readFloat32BandsInPlace(
  tensor: TensorIR,
  where: string | null,
): ResidentBands | undefined {
  const storage = tensor.storage;
  const arena = scanArena();
  if (!arena || storage.kind !== 'ranged' || storage.length > MAX_ARENA_WEIGHT) return undefined;
  const banded = readFloat32Bands(tensor, where);
  if (!banded) return undefined;
  const bytes = arena.bytes(storage.length);
  const label = `tensor '${tensor.name}'`;
  return {
    byteLength: storage.length,
    bytes,
    read(byteOffset, byteLength) {
      const band = { ...storage, offset: storage.offset + byteOffset, length: byteLength };
      const read = readRanged(
        band,
        label,
        where,
        bytes.subarray(byteOffset, byteOffset + byteLength),
      );
      return 'code' in read ? read : new DataView(read.buffer, read.byteOffset, byteLength);
    },
  };
}

/**
 * Converts values to the scanner's form. A non-zero float64 too small for float32 stays
 * non-zero (as the smallest float32), so zero-ness is never changed by the narrowing.
 */
export function toFloat32Scan(values: NumericArray): Float32Scan {
  // float32 already (external data, float16 decoded): a view, not an element-wise copy — on a
  // 5 GiB external-data model the copy was three quarters of the analysis time
  if (values instanceof Float32Array && littleEndian) {
    return new DataView(values.buffer, values.byteOffset, values.byteLength);
  }
  const view = new DataView(new ArrayBuffer(values.length * 4));
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const f = Math.fround(v);
    view.setFloat32(4 * i, f === 0 && v !== 0 ? Math.sign(v) * 1.401298464324817e-45 : f, true);
  }
  return view;
}

/**
 * The bytes of raw_data left in the model file. `forScan`: into the scan arena, for the block
 * scanner, which is done with them before the next weight is read (scanArena.ts). The file is
 * read again here, so a file changed or truncated since it was opened is an error, not a crash.
 */
function readRanged(
  storage: Extract<TensorIR['storage'], { kind: 'ranged' }>,
  label: string,
  where: string | null,
  /** True: into the scan arena's start; bytes: into them (a band's place in the arena). */
  forScan: boolean | Uint8Array,
): Uint8Array | Diagnostic {
  const { source, offset, length } = storage;
  try {
    if (offset + length > source.size) throw new RangeError(`the file has ${source.size} bytes`);
    if (forScan instanceof Uint8Array && source.readInto) {
      source.readInto(offset, forScan);
      return forScan;
    }
    const arena = forScan && length <= MAX_ARENA_WEIGHT ? scanArena() : undefined;
    if (arena && source.readInto) {
      const bytes = arena.bytes(length);
      source.readInto(offset, bytes);
      return bytes;
    }
    return source.read(offset, length);
  } catch (e) {
    return diag(
      'BS1000',
      'error',
      `${label}: bytes ${offset}..${offset + length} of the model file cannot be read (${(e as Error).message}); was it changed while it was analysed?`,
      where,
    );
  }
}

function dataShort(label: string, got: number, expected: number, where: string | null) {
  return diag('BS1020', 'error', `${label}: ${got} data bytes for ${expected} expected`, where);
}

function fromRawChecked(
  tensor: TensorIR,
  bytes: Uint8Array,
  count: number,
  label: string,
  where: string | null,
): NumericArray | Diagnostic {
  const expected = count * dataTypeInfo(tensor.dataType).bytes;
  if (bytes.length !== expected) return dataShort(label, bytes.length, expected, where);
  return fromRaw(tensor.dataType, bytes, count);
}

/** Decodes little-endian raw bytes of `count` elements. */
function fromRaw(dataType: number, bytes: Uint8Array, count: number): NumericArray {
  const off = bytes.byteOffset;
  const buf = bytes.buffer;
  switch (dataType) {
    case DataType.FLOAT:
      if (littleEndian && off % 4 === 0) return new Float32Array(buf, off, count);
      return new Float32Array(alignedCopy(bytes).buffer, 0, count);
    case DataType.DOUBLE:
      if (littleEndian && off % 8 === 0) return new Float64Array(buf, off, count);
      return new Float64Array(alignedCopy(bytes).buffer, 0, count);
    case DataType.FLOAT16: {
      const table = float16Table();
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = table[bytes[2 * i] | (bytes[2 * i + 1] << 8)];
      return out;
    }
    case DataType.BFLOAT16: {
      const out = new Float32Array(count);
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < count; i++)
        bits[i] = ((bytes[2 * i] | (bytes[2 * i + 1] << 8)) << 16) >>> 0;
      return out;
    }
    case DataType.UINT8:
    case DataType.BOOL:
      return Float32Array.from(bytes.subarray(0, count));
    case DataType.INT8:
      return Float32Array.from(new Int8Array(buf, off, count));
    default:
      return fromDataView(dataType, bytes, count);
  }
}

/** Copies bytes to a fresh, aligned buffer (raw_data inside a protobuf is often unaligned). */
function alignedCopy(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return copy;
}

function fromDataView(dataType: number, bytes: Uint8Array, count: number): NumericArray {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    switch (dataType) {
      case DataType.UINT16:
        out[i] = view.getUint16(2 * i, true);
        break;
      case DataType.INT16:
        out[i] = view.getInt16(2 * i, true);
        break;
      case DataType.INT32:
        out[i] = view.getInt32(4 * i, true);
        break;
      case DataType.UINT32:
        out[i] = view.getUint32(4 * i, true);
        break;
      case DataType.INT64:
        out[i] = Number(view.getBigInt64(8 * i, true));
        break;
      case DataType.UINT64:
        out[i] = Number(view.getBigUint64(8 * i, true));
        break;
    }
  }
  return out;
}

/** Decodes values from a typed field; float16/bfloat16 arrive as bit patterns in int32_data. */
function fromTyped(dataType: number, values: ArrayLike<number>): NumericArray {
  if (dataType === DataType.FLOAT16) {
    const table = float16Table();
    return Float32Array.from(values, (v) => table[v & 0xffff]);
  }
  if (dataType === DataType.BFLOAT16) {
    const out = new Float32Array(values.length);
    const bits = new Uint32Array(out.buffer);
    for (let i = 0; i < values.length; i++) bits[i] = ((values[i] & 0xffff) << 16) >>> 0;
    return out;
  }
  if (dataType === DataType.FLOAT) return Float32Array.from(values);
  return Float64Array.from(values);
}
