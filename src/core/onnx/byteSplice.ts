import { encodeVarint, type Container } from './wireIndex';

/** Replace bytes [start, end) of the original with `bytes`. */
export interface ByteEdit {
  readonly start: number;
  readonly end: number;
  readonly bytes: Uint8Array;
  /**
   * An insertion at the very end of a container's payload is ambiguous: it could be a last
   * field of the container or the next field after it. It belongs to the container only when
   * this is set.
   */
  readonly append?: boolean;
}

/** spliceParts joined into one buffer. */
export function spliceBytes(
  original: Uint8Array,
  edits: readonly ByteEdit[],
  containers: readonly Container[],
): Uint8Array {
  return joinParts(spliceParts(original, edits, containers));
}

/** Concatenates byte parts. */
export function joinParts(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Applies edits to protobuf bytes and rewrites the length prefix of every container whose
 * payload changed size (innermost first, since a longer inner length varint grows its parent).
 * Returns the result as parts — views of the original between the edits — so a 100 MB model is
 * never copied just to change a few bytes. Edits must not overlap.
 */
export function spliceParts(
  original: Uint8Array,
  edits: readonly ByteEdit[],
  containers: readonly Container[],
): Uint8Array[] {
  const unique = new Map<number, Container>();
  for (const c of containers) unique.set(c.payloadStart, c);
  // inner containers are strictly smaller than the ones around them
  const ordered = [...unique.values()].sort(
    (a, b) => a.end - a.payloadStart - (b.end - b.payloadStart),
  );
  const delta = (e: ByteEdit) => e.bytes.length - (e.end - e.start);
  const lengthEdits: ByteEdit[] = [];
  for (const c of ordered) {
    // an insertion right at a payload's end lies after it unless it says otherwise: the
    // metadata appended at the end of the file must not grow a graph that is the last field
    const inside = (e: ByteEdit) =>
      e.start >= c.payloadStart &&
      (e.start < c.end || (e.append === true && e.start === c.end && e.end === e.start));
    let d = 0;
    for (const e of edits) if (inside(e)) d += delta(e);
    for (const e of lengthEdits) if (inside(e)) d += delta(e);
    if (d === 0) continue;
    lengthEdits.push({
      start: c.lenStart,
      end: c.payloadStart,
      bytes: encodeVarint(c.end - c.payloadStart + d),
    });
  }
  const all = [...edits, ...lengthEdits].sort((a, b) => a.start - b.start);
  for (let i = 1; i < all.length; i++) {
    if (all[i].start < all[i - 1].end) throw new Error(`overlapping byte edits at ${all[i].start}`);
  }
  const parts: Uint8Array[] = [];
  let src = 0;
  for (const e of all) {
    if (e.start > src) parts.push(original.subarray(src, e.start));
    if (e.bytes.length > 0) parts.push(e.bytes);
    src = e.end;
  }
  if (src < original.length) parts.push(original.subarray(src));
  return parts;
}
