/**
 * The safetensors format (huggingface/safetensors): an 8-byte little-endian header length, a
 * JSON header `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}}`
 * padded with spaces to a multiple of 8 bytes, then the tensors' bytes. No npm package writes it
 * without pulling in a model runtime, and the format is this small, so it is written (and read
 * back, for the tests and for loading masks) here.
 */

/** Element types this product writes: masks are U8, the rest for completeness of the reader. */
export type SafeDtype = 'U8' | 'I8' | 'F32' | 'F16' | 'I64';

const DTYPE_BYTES: Readonly<Record<SafeDtype, number>> = { U8: 1, I8: 1, F16: 2, F32: 4, I64: 8 };

export interface SafeTensor {
  readonly name: string;
  readonly dtype: SafeDtype;
  readonly shape: readonly number[];
  readonly data: Uint8Array;
}

const utf8 = new TextEncoder();

/**
 * The file as parts to write in order (header, then each tensor's bytes: no copy of the data).
 * Tensors keep the given order; names must be unique and not `__metadata__`.
 */
export function encodeSafetensors(
  tensors: readonly SafeTensor[],
  metadata: Readonly<Record<string, string>>,
): Uint8Array[] | string {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const t of tensors) {
    if (t.name === '__metadata__' || t.name in header) return `duplicate tensor name '${t.name}'`;
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n * DTYPE_BYTES[t.dtype] !== t.data.length)
      return `tensor '${t.name}' has ${t.data.length} bytes for shape [${t.shape.join(', ')}]`;
    header[t.name] = {
      dtype: t.dtype,
      shape: [...t.shape],
      data_offsets: [offset, offset + t.data.length],
    };
    offset += t.data.length;
  }
  let json = utf8.encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded > json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const prefix = new Uint8Array(8);
  new DataView(prefix.buffer).setBigUint64(0, BigInt(json.length), true);
  return [prefix, json, ...tensors.map((t) => t.data)];
}

export interface DecodedSafetensors {
  readonly metadata: Readonly<Record<string, string>>;
  readonly tensors: readonly SafeTensor[];
}

/** Reads a safetensors file; a string says why it is not one. */
export function decodeSafetensors(bytes: Uint8Array): DecodedSafetensors | string {
  if (bytes.length < 8) return 'the file is shorter than its 8-byte header length';
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (n > bytes.length - 8 || n > 100 * 1024 * 1024) return 'the header length runs past the file';
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<
      string,
      unknown
    >;
  } catch {
    return 'the header is not JSON';
  }
  const data = bytes.subarray(8 + n);
  const tensors: SafeTensor[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, v] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = v as Record<string, string>;
      continue;
    }
    const e = v as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const dtype = e.dtype as SafeDtype;
    const offsets = e.data_offsets as [number, number] | undefined;
    const shape = e.shape as number[] | undefined;
    if (!(dtype in DTYPE_BYTES) || !Array.isArray(shape) || !Array.isArray(offsets))
      return `tensor '${name}' has a malformed entry`;
    const [begin, end] = offsets;
    const count = shape.reduce((a, b) => a * b, 1);
    if (!(begin >= 0 && end <= data.length && end - begin === count * DTYPE_BYTES[dtype]))
      return `tensor '${name}' has offsets outside the data or the wrong size`;
    tensors.push({ name, dtype, shape, data: data.subarray(begin, end) });
  }
  return { metadata, tensors };
}
