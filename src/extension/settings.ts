import * as vscode from 'vscode';
import { DEFAULT_BLOCK, parseBlockShape, type BlockShape } from '../core/analysis/blockGrid';

/** The extension's settings (contributes.configuration), read and validated in one place. */
export interface Settings {
  readonly block: BlockShape;
  readonly dynamicDim: number;
  readonly inputShapes: readonly (readonly [string, readonly number[]])[];
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
  return { block, dynamicDim: Number.isInteger(dyn) && dyn > 0 ? dyn : 224, inputShapes };
}
