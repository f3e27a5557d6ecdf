import * as fs from 'node:fs';
import { parseArchitecture, type AieArchitecture } from '../core/target/architecture';
import { findPreset } from '../core/target/presets';
import { diag, type Diagnostic } from '../core/diagnostics';

/** A preset by name, or a custom array from a JSON file; problems as diagnostics. */
export function resolveArchitecture(
  preset: string | undefined,
  file: string | undefined,
): AieArchitecture | Diagnostic[] {
  if (file !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      return [diag('BS4010', 'error', `${file}: ${(e as Error).message}`)];
    }
    return parseArchitecture(json, file);
  }
  const name = preset ?? 'paper-4x4';
  const found = findPreset(name);
  return found ?? [diag('BS4010', 'error', `unknown array '${name}' (see 'blocksparse archs')`)];
}
