import * as fs from 'node:fs';
import * as path from 'node:path';
import { diag, type Diagnostic } from '../core/diagnostics';
import { writeFileAtomic } from './atomicWrite';

/** The kit's files, as shipped in the package's kit/ folder. */
export const KIT_FILES = ['blocksparse_finetune.py', 'README.md'] as const;

/** The kit/ folder next to the bundle (dist/.. in the package and the VSIX; the repo in tests). */
export function kitFolder(from = __dirname): string | undefined {
  for (let dir = from, up = 0; up < 4; up++, dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'kit');
    if (fs.existsSync(path.join(candidate, KIT_FILES[0]))) return candidate;
  }
  return undefined;
}

export type KitResult =
  | { readonly ok: true; readonly files: readonly string[] }
  | { readonly ok: false; readonly error: Diagnostic };

/**
 * Writes the fine-tuning kit into `out` (created if missing), each file atomically; existing
 * files are kept unless `force`.
 */
export function writeFinetuneKit(out: string, force = false): KitResult {
  const from = kitFolder();
  if (!from)
    return {
      ok: false,
      error: diag('BS5006', 'error', 'the fine-tuning kit is missing from this installation'),
    };
  const targets = KIT_FILES.map((f) => path.join(out, f));
  const existing = targets.filter((t) => fs.existsSync(t));
  if (existing.length > 0 && !force)
    return {
      ok: false,
      error: diag('BS5002', 'error', `${existing.join(', ')} exists; pass --force to replace it`),
    };
  try {
    fs.mkdirSync(out, { recursive: true });
    KIT_FILES.forEach((f, i) => writeFileAtomic(targets[i], fs.readFileSync(path.join(from, f))));
  } catch (e) {
    return {
      ok: false,
      error: diag('BS5006', 'error', `writing the kit failed: ${(e as Error).message}`),
    };
  }
  return { ok: true, files: targets };
}
