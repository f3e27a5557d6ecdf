import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Crash-safe writes. A file is written under a hidden temporary name in the target's folder
 * and moved into the target's place when complete, so the target is either absent, the old file
 * or the whole new one. A process killed mid-write (SIGKILL, power loss) cannot remove its
 * temporary file; the name carries the writer's pid, and the next write to the same target
 * removes leftovers whose writer is gone.
 */

/** Suffix of every temporary file we write: `.<target name>.<pid>.<random>.bs-partial`. */
export const PARTIAL_SUFFIX = '.bs-partial';

/** A fresh temporary path next to `target`. */
export function partialPathFor(target: string): string {
  const base = path.basename(target);
  const unique = crypto.randomBytes(4).toString('hex');
  return path.join(
    path.dirname(path.resolve(target)),
    `.${base}.${process.pid}.${unique}${PARTIAL_SUFFIX}`,
  );
}

/** True while a process with this pid exists (EPERM: it exists but belongs to someone else). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temporary files of `target` left by writers that no longer run. A live writer's file
 * is never touched (a reused pid only means a leftover stays until the next time).
 */
export function sweepPartials(target: string): string[] {
  const dir = path.dirname(path.resolve(target));
  const prefix = `.${path.basename(target)}.`;
  const removed: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(PARTIAL_SUFFIX)) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    if (!Number.isSafeInteger(pid) || pid <= 0 || alive(pid)) continue;
    const file = path.join(dir, name);
    try {
      if (fs.lstatSync(file).isFile()) {
        fs.rmSync(file, { force: true });
        removed.push(file);
      }
    } catch {
      // gone already, or not ours to remove
    }
  }
  return removed;
}

/**
 * Puts a complete temporary file in the target's place. An existing target is unlinked first
 * rather than renamed over: ext4 (auto_da_alloc) treats a rename over a file as a request to
 * allocate and start writing the new file's blocks inside the rename — 60 ms for a 100 MB
 * model, measured, a fifth of a whole Sparsify. The target is still absent, the old file or the
 * whole new one at every instant a process can die; none of our writes is fsynced, so after a
 * power loss a replaced output is as (un)protected as a new one.
 */
export function moveIntoPlace(tmp: string, target: string): void {
  try {
    if (fs.lstatSync(target).isFile()) fs.unlinkSync(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  fs.renameSync(tmp, target);
}

/**
 * Writes a file so that readers never see a partial one: into a temporary file in the same
 * folder, then moved into the target's place. On failure the temporary file is removed.
 */
export function writeFileAtomic(target: string, data: string | Uint8Array): void {
  sweepPartials(target);
  const tmp = partialPathFor(target);
  try {
    fs.writeFileSync(tmp, data, { flag: 'wx' });
    moveIntoPlace(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
