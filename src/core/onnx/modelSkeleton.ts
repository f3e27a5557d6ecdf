import type { ByteSource } from './byteSource';
import { joinParts } from './byteSplice';
import { encodeVarint } from './wireIndex';

/** Where one initializer's raw_data lies in the model file. */
export interface FileRange {
  readonly offset: number;
  readonly length: number;
}

/**
 * A model's protobuf without the bulk of its weights: the main graph's initializers keep every
 * field but a large raw_data, whose place in the file is noted instead. Decoding the skeleton
 * and reading each weight from the file when it is scanned touches every byte once, in a
 * buffer that is reused: reading a 100 MB file whole into fresh memory spends three quarters of
 * its time faulting in new pages, and holds the whole file for the length of the analysis.
 */
export interface ModelSkeleton {
  /** A ModelProto, field for field the file's, but for the raw_data left out. */
  readonly bytes: Uint8Array;
  /** By position in the main graph's initializer list: the raw_data left in the file. */
  readonly deferred: ReadonlyMap<number, FileRange>;
  /** The ModelProto's own fields as they lie in the file, in order (for a streamed writer). */
  readonly topLevel: readonly TopLevelField[];
}

/** A field of the ModelProto: its number and wire type, and where it lies in the file. */
export interface TopLevelField {
  readonly field: number;
  readonly wireType: number;
  /** First byte of its tag. */
  readonly start: number;
  /** First byte of its value (after the length, for length-delimited fields). */
  readonly valueStart: number;
  /** One past its last byte. */
  readonly end: number;
  /** The value of a metadata_props entry (field 14): a writer replaces entries by key. */
  readonly metadata?: Uint8Array;
}

/** raw_data at least this long stays in the file; smaller tensors are read with the rest. */
export const DEFAULT_MIN_DEFERRED = 64 * 1024;

const WINDOW = 16 * 1024;

/** Field numbers the skeleton walks (onnx.proto). */
const F = { modelGraph: 7, modelMetadata: 14, graphInitializer: 5, tensorRawData: 9 } as const;

/**
 * Reads the skeleton of a model file. Undefined when the bytes are not the plain shape this
 * reader expects (not a protobuf, a graph field given twice, a truncated field): the caller then
 * reads the file whole and the decoder says what is wrong, as it would have anyway.
 */
export function readModelSkeleton(
  source: ByteSource,
  minDeferred = DEFAULT_MIN_DEFERRED,
): ModelSkeleton | undefined {
  try {
    return new SkeletonReader(source, minDeferred).model();
  } catch (e) {
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}

/** A field's tag and, for length-delimited fields, where its value lies. */
interface Header {
  readonly field: number;
  readonly wireType: number;
  readonly start: number;
  readonly valueStart: number;
  readonly end: number;
}

class SkeletonReader {
  private window: Uint8Array = new Uint8Array(0);
  private buffer = new Uint8Array(0);
  private windowStart = 0;
  private readonly deferred = new Map<number, FileRange>();

  constructor(
    private readonly source: ByteSource,
    private readonly minDeferred: number,
  ) {}

  model(): ModelSkeleton {
    const parts: Uint8Array[] = [];
    const topLevel: TopLevelField[] = [];
    let graphs = 0;
    this.eachField(0, this.source.size, (h) => {
      const metadata =
        h.field === F.modelMetadata && h.wireType === 2
          ? this.bytes(h.valueStart, h.end)
          : undefined;
      topLevel.push({ ...h, ...(metadata ? { metadata } : {}) });
      if (h.field === F.modelGraph && h.wireType === 2) {
        if (++graphs > 1) throw new RangeError('the graph field is given twice');
        parts.push(...this.message(h, this.graph(h)));
      } else parts.push(this.bytes(h.start, h.end));
    });
    if (graphs === 0) throw new RangeError('no graph');
    return { bytes: joinParts(parts), deferred: this.deferred, topLevel };
  }

  private graph(g: Header): Uint8Array[] {
    const parts: Uint8Array[] = [];
    let index = 0;
    this.eachField(g.valueStart, g.end, (h) => {
      if (h.field === F.graphInitializer && h.wireType === 2) {
        parts.push(...this.message(h, this.initializer(h, index++)));
      } else parts.push(this.bytes(h.start, h.end));
    });
    return parts;
  }

  private initializer(t: Header, index: number): Uint8Array[] {
    const parts: Uint8Array[] = [];
    const fields: Header[] = [];
    this.eachField(t.valueStart, t.end, (h) => fields.push(h));
    // bytes fields are last-one-wins: only the raw_data protobuf would keep can be left out
    const raw = fields.filter((h) => h.field === F.tensorRawData && h.wireType === 2).pop();
    for (const h of fields) {
      if (h === raw && h.end - h.valueStart >= this.minDeferred) {
        this.deferred.set(index, { offset: h.valueStart, length: h.end - h.valueStart });
      } else parts.push(this.bytes(h.start, h.end));
    }
    return parts;
  }

  /** The field's tag and a new length before its re-encoded payload. */
  private message(h: Header, payload: Uint8Array[]): Uint8Array[] {
    const length = payload.reduce((n, p) => n + p.length, 0);
    return [encodeVarint(h.field * 8 + 2), encodeVarint(length), ...payload];
  }

  private eachField(start: number, end: number, visit: (h: Header) => void): void {
    let pos = start;
    while (pos < end) {
      const h = this.header(pos, end);
      visit(h);
      pos = h.end;
    }
  }

  private header(start: number, end: number): Header {
    const [tag, afterTag] = this.varint(start, end);
    let pos = afterTag;
    const field = Math.floor(tag / 8);
    const wireType = tag % 8;
    let valueStart = pos;
    switch (wireType) {
      case 0:
        pos = this.varint(pos, end)[1];
        break;
      case 1:
        pos += 8;
        break;
      case 5:
        pos += 4;
        break;
      case 2: {
        const [length, after] = this.varint(pos, end);
        valueStart = after;
        pos = after + length;
        break;
      }
      default:
        throw new RangeError(`wire type ${wireType} at byte ${start}`);
    }
    if (field === 0 || pos > end) throw new RangeError(`field at byte ${start} runs past its end`);
    return { field, wireType, start, valueStart, end: pos };
  }

  private varint(start: number, end: number): [number, number] {
    let value = 0;
    let scale = 1;
    let pos = start;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) throw new RangeError('truncated varint');
      const b = this.byte(pos++);
      value += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return [value, pos];
      scale *= 128;
    }
    throw new RangeError('varint longer than 10 bytes');
  }

  private byte(pos: number): number {
    const i = pos - this.windowStart;
    if (i >= 0 && i < this.window.length) return this.window[i];
    const length = Math.min(WINDOW, this.source.size - pos);
    if (length <= 0) throw new RangeError('read past the end');
    // one buffer for every window: after each weight left in the file the next header is
    // outside the window, and a fresh buffer for each costs more than the read
    if (this.source.readInto) {
      if (this.buffer.length < length) this.buffer = new Uint8Array(WINDOW);
      this.window = this.buffer.subarray(0, length);
      this.source.readInto(pos, this.window);
    } else this.window = this.source.read(pos, length);
    this.windowStart = pos;
    return this.window[0];
  }

  /** The bytes [start, end): copied out of the window (reused), else read. */
  private bytes(start: number, end: number): Uint8Array {
    const i = start - this.windowStart;
    if (i >= 0 && end - this.windowStart <= this.window.length) {
      return this.window.slice(i, end - this.windowStart);
    }
    // no copy: the parts are joined into new bytes at the end, and the window is not involved
    return this.source.read(start, end - start);
  }
}
