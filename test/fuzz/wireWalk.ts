/**
 * A schema-free walk over protobuf wire bytes: every field at every depth, with where its key,
 * length prefix and payload start and end. The fuzzer cuts, corrupts and duplicates at these
 * places, so its mutations hit the structure of the file rather than the middle of weights.
 * A length-delimited payload counts as a nested message when it parses exactly to its end.
 */

export interface WireField {
  readonly field: number;
  readonly wireType: number;
  /** Offset of the key varint. */
  readonly start: number;
  /** Offset of the length varint (length-delimited fields only), else -1. */
  readonly lengthAt: number;
  readonly payloadStart: number;
  readonly end: number;
  readonly depth: number;
}

/** Reads a varint at `at`; undefined when it runs off the end or is longer than 10 bytes. */
export function readVarint(
  bytes: Uint8Array,
  at: number,
  end: number,
): { value: number; next: number } | undefined {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (at + i >= end) return undefined;
    const b = bytes[at + i];
    value += (b & 0x7f) * scale;
    scale *= 128;
    if ((b & 0x80) === 0) return { value, next: at + i + 1 };
  }
  return undefined;
}

/** Encodes a non-negative integer (exact up to 2^53; larger values as given) as a varint. */
export function encodeVarint(value: number): Uint8Array {
  const out: number[] = [];
  let v = value;
  do {
    let b = v % 128;
    v = Math.floor(v / 128);
    if (v > 0) b |= 0x80;
    out.push(b);
  } while (v > 0 && out.length < 10);
  return Uint8Array.from(out);
}

/** Fields of the message in bytes[start, end), or undefined when it is not a message. */
function parseMessage(
  bytes: Uint8Array,
  start: number,
  end: number,
  depth: number,
): WireField[] | undefined {
  const fields: WireField[] = [];
  let at = start;
  while (at < end) {
    const key = readVarint(bytes, at, end);
    if (!key || key.value === 0) return undefined;
    const field = Math.floor(key.value / 8);
    const wireType = key.value % 8;
    let next: number;
    let lengthAt = -1;
    let payloadStart = key.next;
    switch (wireType) {
      case 0: {
        const v = readVarint(bytes, key.next, end);
        if (!v) return undefined;
        next = v.next;
        break;
      }
      case 1:
        next = key.next + 8;
        break;
      case 5:
        next = key.next + 4;
        break;
      case 2: {
        const len = readVarint(bytes, key.next, end);
        if (!len) return undefined;
        lengthAt = key.next;
        payloadStart = len.next;
        next = len.next + len.value;
        break;
      }
      default:
        return undefined;
    }
    if (next > end) return undefined;
    fields.push({ field, wireType, start: at, lengthAt, payloadStart, end: next, depth });
    at = next;
  }
  return fields;
}

/**
 * Every field of the model, depth first. A payload of weights fails to parse as a message
 * within a few bytes, so trying every payload costs little.
 */
export function walkWire(bytes: Uint8Array, maxDepth = 40): WireField[] {
  const out: WireField[] = [];
  const visit = (start: number, end: number, depth: number) => {
    const fields = parseMessage(bytes, start, end, depth);
    if (!fields) return false;
    for (const f of fields) {
      out.push(f);
      const size = f.end - f.payloadStart;
      if (f.wireType === 2 && depth < maxDepth && size > 0) {
        visit(f.payloadStart, f.end, depth + 1);
      }
    }
    return true;
  };
  visit(0, bytes.length, 0);
  return out;
}
