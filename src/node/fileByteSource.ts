import * as fs from 'node:fs';
import type { ByteSource } from '../core/onnx/byteSource';

/** A ByteSource over an open file, read on demand (files larger than 2 GiB are fine). */
export interface FileByteSource extends ByteSource {
  /** What the open descriptor refers to: callers check it is the file they meant to open. */
  readonly stat: fs.Stats;
  close(): void;
}

/**
 * Opens a file for ranged reads. Throws the fs error when it cannot be opened. O_NONBLOCK:
 * should the path have become a FIFO since it was checked, opening it must not wait for a
 * writer (regular files ignore the flag).
 */
export function openFileByteSource(path: string): FileByteSource {
  const fd = fs.openSync(path, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  const stat = fs.fstatSync(fd);
  const size = stat.size;
  let closed = false;
  const fill = (out: Uint8Array, offset: number) => {
    let done = 0;
    while (done < out.length) {
      const n = fs.readSync(fd, out, done, out.length - done, offset + done);
      if (n === 0) throw new Error(`unexpected end of file at ${offset + done} in ${path}`);
      done += n;
    }
    return out;
  };
  return {
    stat,
    size,
    read: (offset, length) => fill(Buffer.allocUnsafe(length), offset),
    readInto: (offset, target) => {
      fill(target, offset);
    },
    close() {
      if (!closed) fs.closeSync(fd);
      closed = true;
    },
  };
}
