import * as fs from 'node:fs';
import * as path from 'node:path';
import { diag } from '../core/diagnostics';
import type { ExternalDataResolver } from '../core/onnx/byteSource';
import { externalLocationProblem } from '../core/onnx/externalLocation';
import { openFileByteSource, type FileByteSource } from './fileByteSource';

/** An ExternalDataResolver that also closes the files it opened. */
export interface DisposableResolver extends ExternalDataResolver {
  dispose(): void;
}

/** True when `child` is `parent` itself or lies below it. */
function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Resolves external-data locations against the model's folder. A location must stay inside
 * that folder lexically (no '..', no absolute paths) and physically (symlinks are followed and
 * the real path checked), so a model cannot make us read files elsewhere.
 */
export function createExternalDataResolver(modelPath: string): DisposableResolver {
  const folder = path.dirname(path.resolve(modelPath));
  const open = new Map<string, FileByteSource>();
  return {
    open(location) {
      const problem = externalLocationProblem(location);
      if (problem) {
        return diag('BS1010', 'error', `external data '${location}' is refused: ${problem}`);
      }
      const cached = open.get(location);
      if (cached) return cached;
      const target = path.resolve(folder, location);
      let real: string;
      try {
        real = fs.realpathSync(target);
      } catch {
        return diag(
          'BS1011',
          'error',
          `external data file '${location}' does not exist next to the model`,
        );
      }
      if (!isInside(fs.realpathSync(folder), real)) {
        return diag(
          'BS1010',
          'error',
          `external data '${location}' resolves outside the model folder (symlink)`,
        );
      }
      try {
        if (!fs.statSync(real).isFile()) {
          return diag('BS1011', 'error', `external data '${location}' is not a regular file`);
        }
        const source = openFileByteSource(real);
        // between the checks and the open, a folder on the way could have become a symlink or
        // the file something else: the descriptor must be the regular file that was checked
        const now = fs.statSync(real);
        const moved = fs.realpathSync(target) !== real;
        if (
          moved ||
          !source.stat.isFile() ||
          source.stat.ino !== now.ino ||
          source.stat.dev !== now.dev
        ) {
          source.close();
          return diag('BS1010', 'error', `external data '${location}' changed while it was opened`);
        }
        open.set(location, source);
        return source;
      } catch (e) {
        return diag(
          'BS1011',
          'error',
          `external data '${location}' cannot be read: ${(e as Error).message}`,
        );
      }
    },
    dispose() {
      for (const s of open.values()) s.close();
      open.clear();
    },
  };
}
