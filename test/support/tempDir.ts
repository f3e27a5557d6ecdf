import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A fresh temporary folder; remove() deletes it and everything in it. */
export function tempDir(prefix = 'bss-test-'): {
  dir: string;
  file(name: string, bytes?: Uint8Array | string): string;
  remove(): void;
} {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return {
    dir,
    file(name, bytes) {
      const p = path.join(dir, name);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      if (bytes !== undefined) fs.writeFileSync(p, bytes);
      return p;
    },
    remove() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
