import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeModel } from '../core/analysis/analyzeModel';
import type { BlockShape } from '../core/blocks/blockGrid';
import { diag, type Diagnostic } from '../core/diagnostics';
import { layerMasks, maskFile, type LayerMasks } from '../core/masks/layerMasks';
import { collectDiagnostics, withModelFile } from './analyzeFile';
import { writeFileAtomic } from './atomicWrite';

export interface MasksFileOptions {
  readonly out: string;
  readonly block?: BlockShape;
  /** Sparsify's target per layer name, recorded with each mask. */
  readonly targets?: ReadonlyMap<string, number | null>;
  readonly force?: boolean;
}

export type MasksFileResult =
  | { readonly ok: true; readonly out: string; readonly masks: LayerMasks }
  | { readonly ok: false; readonly error: Diagnostic };

/**
 * Writes the block masks of a model's sparsifiable layers as safetensors (uint8 0/1 in the
 * PyTorch weight's shape, keyed `<module>.weight_mask`), atomically: a temporary file renamed
 * into place, nothing left on failure, the model itself never replaced.
 */
export function writeMasksFile(model: string, options: MasksFileOptions): MasksFileResult {
  const out = path.resolve(options.out);
  if (out === path.resolve(model))
    return {
      ok: false,
      error: diag('BS5001', 'error', 'the masks would replace the model; choose another --out'),
    };
  if (fs.existsSync(out) && !options.force)
    return {
      ok: false,
      error: diag('BS5002', 'error', `${out} exists; pass --force to replace it`),
    };
  return withModelFile(model, (loaded, resolver): MasksFileResult => {
    const report = analyzeModel(loaded.model, { block: options.block, resolver });
    const { error } = collectDiagnostics(loaded.diagnostics, report.diagnostics);
    if (error) return { ok: false, error };
    const masks = layerMasks(loaded.model, report, options.targets, resolver);
    const parts = maskFile(masks, report.block);
    if (typeof parts === 'string')
      return {
        ok: false,
        error: diag('BS5005', 'error', `the mask file cannot be written: ${parts}`),
      };
    try {
      writeFileAtomic(out, Buffer.concat(parts));
    } catch (e) {
      return {
        ok: false,
        error: diag('BS5005', 'error', `writing ${out} failed: ${(e as Error).message}`),
      };
    }
    return { ok: true, out, masks };
  });
}
