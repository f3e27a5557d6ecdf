import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Writes a file so that readers never see a partial one: into a temporary file in the same
 * folder, then renamed over the target. On failure the temporary file is removed.
 */
export function writeFileAtomic(target: string, data: string | Uint8Array): void {
  const dir = path.dirname(path.resolve(target));
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  try {
    fs.writeFileSync(tmp, data, { flag: 'wx' });
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
