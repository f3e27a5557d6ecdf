import { diag, type Diagnostic } from '../diagnostics';
import { joinParts, spliceParts, type ByteEdit } from '../onnx/byteSplice';
import { DataType, dataTypeInfo } from '../onnx/dataTypes';
import {
  encodeVarint,
  indexTensors,
  readVarint,
  scanFields,
  type Container,
  type TensorLocation,
  type WireField,
} from '../onnx/wireIndex';
import type { TensorPatch } from './planSparsify';

/** Bytes to write at an offset of an external-data file. */
export interface FilePatch {
  readonly offset: number;
  readonly bytes: Uint8Array;
}

/** The new model, and what to change in the copies of its external-data files. */
export interface SparseModelBytes {
  /** The model file's bytes, in order (views of the patched buffer between the edits). */
  readonly parts: readonly Uint8Array[];
  /** Old location → its new location and the patches its copy needs. */
  readonly external: ReadonlyMap<
    string,
    { readonly location: string; readonly patches: readonly FilePatch[] }
  >;
}

/** TensorProto field numbers the writer touches. */
const T = {
  floatData: 4,
  int32Data: 5,
  int64Data: 7,
  rawData: 9,
  doubleData: 10,
  externalData: 13,
} as const;
const MODEL_METADATA = 14;
const utf8 = new TextEncoder();

/** Little-endian bytes of one stored element holding `value` (a zero point, or 0). */
function encodeElement(dataType: number, value: number): Uint8Array {
  const size = dataTypeInfo(dataType).bytes;
  const out = new Uint8Array(size);
  if (value === 0) return out;
  const view = new DataView(out.buffer);
  switch (dataType) {
    case DataType.INT8:
    case DataType.UINT8:
      out[0] = value & 0xff;
      break;
    case DataType.INT16:
    case DataType.UINT16:
      view.setUint16(0, value & 0xffff, true);
      break;
    case DataType.INT32:
    case DataType.UINT32:
      view.setUint32(0, value >>> 0, true);
      break;
    case DataType.INT64:
    case DataType.UINT64:
      view.setBigInt64(0, BigInt(value), true);
      break;
  }
  return out;
}

/** Runs of masked elements with the same zero value: [first, count, value]. */
function* zeroRuns(patch: TensorPatch): Generator<[number, number, number]> {
  const { mask, zeroValue } = patch;
  let i = mask.indexOf(1);
  while (i >= 0) {
    if (typeof zeroValue === 'number') {
      const end = mask.indexOf(0, i);
      const stop = end < 0 ? mask.length : end;
      yield [i, stop - i, zeroValue];
      i = end < 0 ? -1 : mask.indexOf(1, end);
    } else {
      const v = zeroValue[i];
      let j = i;
      while (j < mask.length && mask[j] && zeroValue[j] === v) j++;
      yield [i, j - i, v];
      i = mask.indexOf(1, j);
    }
  }
}

/** The patch with its runs folded into its mask. */
function withRunsInMask(p: TensorPatch): TensorPatch {
  if (p.runs.length === 0) return p;
  const mask = p.mask.slice();
  for (let r = 0; r < p.runs.length; r += 2) mask.fill(1, p.runs[r], p.runs[r + 1]);
  return { ...p, mask, runs: [], masked: true };
}

/** protobuf int32/int64 varint of a possibly negative value (two's complement, 10 bytes). */
function encodeSignedVarint(v: number): Uint8Array {
  if (v >= 0) return encodeVarint(v);
  let x = (1n << 64n) + BigInt(v);
  const out: number[] = [];
  while (x >= 128n) {
    out.push(Number(x & 0x7fn) | 0x80);
    x >>= 7n;
  }
  out.push(Number(x));
  return Uint8Array.from(out);
}

function signedOf(raw: number): number {
  // varints above 2^63 are negative int64 values; doubles keep that exact enough for small ones
  return raw >= 2 ** 63 ? raw - 2 ** 64 : raw;
}

interface Work {
  readonly out: Uint8Array;
  readonly edits: ByteEdit[];
  readonly containers: Container[];
  readonly external: Map<string, { location: string; patches: FilePatch[] }>;
  readonly diagnostics: Diagnostic[];
}

/** Fixed-width elements in place: raw_data, or float_data / double_data chunks. */
function patchFixed(
  w: Work,
  loc: TensorLocation,
  fields: readonly WireField[],
  patch: TensorPatch,
  size: number,
) {
  // element index → byte position, across possibly several (packed or single) chunks
  const positions: [number, number, number][] = []; // [firstElement, count, bytePos]
  let first = 0;
  for (const f of fields) {
    const count = f.wireType === 2 ? (f.end - f.valueStart) / size : 1;
    positions.push([first, count, f.valueStart]);
    first += count;
  }
  if (positions.length === 1 && patch.zeroValue === 0 && positions[0][1] === patch.mask.length) {
    // one chunk, zero bytes for zero: fill each run of the mask straight into the buffer
    const base = positions[0][2];
    const { mask, runs } = patch;
    for (let r = 0; r < runs.length; r += 2)
      w.out.fill(0, base + runs[r] * size, base + runs[r + 1] * size);
    for (let i = patch.masked ? mask.indexOf(1) : -1; i >= 0;) {
      const end = mask.indexOf(0, i);
      const stop = end < 0 ? mask.length : end;
      w.out.fill(0, base + i * size, base + stop * size);
      i = end < 0 ? -1 : mask.indexOf(1, end);
    }
    return;
  }
  for (const [start, count, value] of zeroRuns(patch)) {
    const element = encodeElement(patch.tensor.dataType, value);
    const allZero = element.every((b) => b === 0);
    let i = start;
    while (i < start + count) {
      const chunk = positions.find(([f, c]) => i >= f && i < f + c);
      if (!chunk) {
        w.diagnostics.push(
          diag('BS1020', 'error', `tensor '${loc.key}' has fewer stored values than its shape`),
        );
        return;
      }
      // the part of the run inside this chunk is contiguous in the file
      const n = Math.min(start + count, chunk[0] + chunk[1]) - i;
      const pos = chunk[2] + (i - chunk[0]) * size;
      if (allZero) w.out.fill(0, pos, pos + n * size);
      else for (let k = 0; k < n; k++) w.out.set(element.subarray(0, size), pos + k * size);
      i += n;
    }
  }
}

/** Varint elements (int32_data / int64_data): each chunk is re-encoded and spliced in. */
function patchVarints(
  w: Work,
  loc: TensorLocation,
  fields: readonly WireField[],
  patch: TensorPatch,
) {
  let index = 0;
  for (const f of fields) {
    const values: number[] = [];
    let pos = f.valueStart;
    const end = f.end;
    while (pos < end) {
      const [v, next] = readVarint(w.out, pos, end);
      values.push(signedOf(v));
      pos = next;
      if (f.wireType !== 2) break;
    }
    let changed = false;
    values.forEach((_, k) => {
      const i = index + k;
      if (patch.mask[i]) {
        values[k] = typeof patch.zeroValue === 'number' ? patch.zeroValue : patch.zeroValue[i];
        changed = true;
      }
    });
    index += values.length;
    if (!changed) continue;
    const parts = values.map(encodeSignedVarint);
    const payload = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
    let at = 0;
    for (const p of parts) {
      payload.set(p, at);
      at += p.length;
    }
    w.edits.push({ start: f.valueStart, end: f.end, bytes: payload });
    w.containers.push(...loc.containers);
    if (f.wireType === 2)
      w.containers.push({ lenStart: f.lenStart, payloadStart: f.valueStart, end: f.end });
  }
}

/** External data: patches for the copy of the file, and the new location in the model. */
function patchExternal(w: Work, patch: TensorPatch, relocate: ReadonlyMap<string, string>) {
  const storage = patch.tensor.storage;
  if (storage.kind !== 'external') return;
  const size = dataTypeInfo(patch.tensor.dataType).bytes;
  const target = relocate.get(storage.location) ?? storage.location;
  const entry = w.external.get(storage.location) ?? { location: target, patches: [] };
  w.external.set(storage.location, entry);
  for (const [start, count, value] of zeroRuns(patch)) {
    const element = encodeElement(patch.tensor.dataType, value);
    const bytes = new Uint8Array(count * size);
    if (value !== 0) for (let i = 0; i < count; i++) bytes.set(element, i * size);
    entry.patches.push({ offset: storage.offset + start * size, bytes });
  }
}

/** Rewrites the 'location' entry of every external tensor whose file moves. */
function relocateTensor(w: Work, loc: TensorLocation, relocate: ReadonlyMap<string, string>) {
  for (const e of loc.fields.filter((f) => f.field === T.externalData && f.wireType === 2)) {
    const entry = scanFields(w.out, e.valueStart, e.end);
    const key = entry.find((f) => f.field === 1);
    const value = entry.find((f) => f.field === 2);
    if (!key || !value) continue;
    if (new TextDecoder().decode(w.out.subarray(key.valueStart, key.end)) !== 'location') continue;
    const old = new TextDecoder().decode(w.out.subarray(value.valueStart, value.end));
    const moved = relocate.get(old);
    if (moved === undefined) continue;
    w.edits.push({ start: value.valueStart, end: value.end, bytes: utf8.encode(moved) });
    w.containers.push(
      ...loc.containers,
      { lenStart: e.lenStart, payloadStart: e.valueStart, end: e.end },
      { lenStart: value.lenStart, payloadStart: value.valueStart, end: value.end },
    );
  }
}

/** A ModelProto.metadata_props entry as bytes (tag, length, key, value). */
function metadataEntry(key: string, value: string): Uint8Array {
  const field = (n: number, s: string) => {
    const b = utf8.encode(s);
    return [n * 8 + 2, ...encodeVarint(b.length), ...b];
  };
  const body = [...field(1, key), ...field(2, value)];
  return Uint8Array.from([MODEL_METADATA * 8 + 2, ...encodeVarint(body.length), ...body]);
}

/** The key of a metadata_props entry's value bytes: its first field 1, as text ('' if none). */
export function metadataKeyOf(entry: Uint8Array): string {
  const key = scanFields(entry, 0, entry.length).find((x) => x.field === 1);
  return key ? new TextDecoder().decode(entry.subarray(key.valueStart, key.end)) : '';
}

/** The blocksparse.* metadata entries a sparse model ends with, as bytes. */
export function metadataTail(metadata: readonly (readonly [string, string])[]): Uint8Array {
  return joinParts(metadata.map(([k, v]) => metadataEntry(k, v)));
}

/**
 * Writes the sparse model: a copy of the original bytes where only the zeroed weights, the moved
 * external-data locations and the blocksparse.* metadata entries differ. Nothing is decoded and
 * re-encoded, so fields this tool does not know survive.
 */
export function writeSparseModel(
  original: Uint8Array,
  patches: ReadonlyMap<string, TensorPatch>,
  metadata: readonly (readonly [string, string])[],
  relocate: ReadonlyMap<string, string>,
  /** Patch `original` itself instead of a copy (the caller owns the buffer and is done with it). */
  inPlace = false,
): SparseModelBytes | Diagnostic {
  let index: Map<string, TensorLocation>;
  try {
    index = indexTensors(original);
  } catch (e) {
    return diag(
      'BS1001',
      'error',
      `the model cannot be indexed for writing: ${(e as Error).message}`,
    );
  }
  const w: Work = {
    // a plain Uint8Array view: Node Buffers route fill() through a slow argument-checking wrapper
    out: inPlace
      ? new Uint8Array(original.buffer, original.byteOffset, original.length)
      : Uint8Array.from(original),
    edits: [],
    containers: [],
    external: new Map(),
    diagnostics: [],
  };
  for (const [name, p] of patches) {
    const loc = index.get(name);
    const raw = p.tensor.storage.kind === 'raw' && p.zeroValue === 0;
    // runs go straight to the bytes on the raw fast path; every other path reads the mask
    const patch = raw ? p : withRunsInMask(p);
    if (!loc) return diag('BS1001', 'error', `weight '${name}' was not found in the file`);
    const storage = patch.tensor.storage;
    const size = dataTypeInfo(patch.tensor.dataType).bytes;
    const fieldsOf = (n: number) => loc.fields.filter((f) => f.field === n);
    // the writer patches the file's own bytes: a model decoded from its skeleton has none
    if (storage.kind === 'ranged')
      return diag('BS1001', 'error', `weight '${name}' was decoded without the file's bytes`);
    if (storage.kind === 'raw') patchFixed(w, loc, fieldsOf(T.rawData).slice(-1), patch, size);
    else if (storage.kind === 'external') patchExternal(w, patch, relocate);
    else if (storage.kind === 'typed') {
      if (storage.field === 'float_data') patchFixed(w, loc, fieldsOf(T.floatData), patch, 4);
      else if (storage.field === 'double_data')
        patchFixed(w, loc, fieldsOf(T.doubleData), patch, 8);
      else if (storage.field === 'int32_data') patchVarints(w, loc, fieldsOf(T.int32Data), patch);
      else if (storage.field === 'int64_data') patchVarints(w, loc, fieldsOf(T.int64Data), patch);
    }
  }
  if (w.diagnostics.length > 0) return w.diagnostics[0];
  if (relocate.size > 0) for (const loc of index.values()) relocateTensor(w, loc, relocate);
  // external files that move without patches still need a copy
  for (const [old, moved] of relocate)
    if (!w.external.has(old)) w.external.set(old, { location: moved, patches: [] });

  const keys = new Set(metadata.map(([k]) => k));
  for (const f of scanFields(original, 0, original.length)) {
    if (f.field !== MODEL_METADATA || f.wireType !== 2) continue;
    if (keys.has(metadataKeyOf(original.subarray(f.valueStart, f.end))))
      w.edits.push({ start: f.tagStart, end: f.end, bytes: new Uint8Array(0) });
  }
  w.edits.push({ start: original.length, end: original.length, bytes: metadataTail(metadata) });
  return { parts: spliceParts(w.out, w.edits, w.containers), external: w.external };
}
