import * as vscode from 'vscode';
import { DEFAULT_BLOCK, parseBlockShape, type BlockShape } from '../core/analysis/blockGrid';
import { DEFAULT_ARCHITECTURE, findPreset } from '../core/aie/presets';

/** The extension's settings (contributes.configuration), read and validated in one place. */
export interface Settings {
  readonly block: BlockShape;
  readonly dynamicDim: number;
  readonly inputShapes: readonly (readonly [string, readonly number[]])[];
  /** Preset name of the array estimates are made for. */
  readonly arch: string;
}

export function readSettings(scope?: vscode.Uri): Settings {
  const c = vscode.workspace.getConfiguration('blockSparse', scope);
  const block = parseBlockShape(c.get<string>('blockShape', '8x8')) ?? DEFAULT_BLOCK;
  const dyn = c.get<number>('dynamicDim', 224);
  const shapes = c.get<Record<string, unknown>>('inputShapes', {});
  const inputShapes = Object.entries(shapes)
    .filter(
      (e): e is [string, number[]] =>
        Array.isArray(e[1]) && e[1].every((d) => Number.isInteger(d) && d > 0),
    )
    .map(([k, v]) => [k, v] as const);
  const arch = c.get<string>('architecture', DEFAULT_ARCHITECTURE);
  return {
    block,
    dynamicDim: Number.isInteger(dyn) && dyn > 0 ? dyn : 224,
    inputShapes,
    arch: findPreset(arch) ? arch : DEFAULT_ARCHITECTURE,
  };
}
