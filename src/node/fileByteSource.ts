import * as fs from 'node:fs';
import type { ByteSource } from '../core/onnx/byteSource';

/** A ByteSource over an open file, read on demand (files larger than 2 GiB are fine). */
export interface FileByteSource extends ByteSource {
  close(): void;
}

/** Opens a file for ranged reads. Throws the fs error when it cannot be opened. */
export function openFileByteSource(path: string): FileByteSource {
  const fd = fs.openSync(path, 'r');
  const size = fs.fstatSync(fd).size;
  let closed = false;
  return {
    size,
    read(offset, length) {
      const out = Buffer.allocUnsafe(length);
      let done = 0;
      while (done < length) {
        const n = fs.readSync(fd, out, done, length - done, offset + done);
        if (n === 0) throw new Error(`unexpected end of file at ${offset + done} in ${path}`);
        done += n;
      }
      return out;
    },
    close() {
      if (!closed) fs.closeSync(fd);
      closed = true;
    },
  };
}
