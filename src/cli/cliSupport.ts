import type { Diagnostic } from '../core/diagnostics';
import type { ShapeOptions } from '../core/onnx/shapeInference';
import { parseInputShapes } from './inputShapes';

/** Where the CLI writes; injectable so tests run it in-process. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** A bad command line: exit 1 with a hint. */
export class UsageError extends Error {}

/** The one line printed when a model cannot be read: file, reason, code. */
export function oneLine(file: string, d: Diagnostic): string {
  return `blocksparse: ${file}: ${d.message} [${d.code}]`;
}

/** Prints warnings and infos after a table (stderr, so stdout stays the table). */
export function printDiagnostics(io: CliIo, diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics)
    io.err(`${d.severity} ${d.code}${d.node ? ` (${d.node})` : ''}: ${d.message}`);
}

/** --input and --dynamic-dim, shared by analyze and simulate. */
export const SHAPE_OPTIONS: {
  input: { type: 'string'; multiple: true; default: string[] };
  'dynamic-dim': { type: 'string' };
} = {
  input: { type: 'string', multiple: true, default: [] },
  'dynamic-dim': { type: 'string' },
};

export function shapeOptions(values: { input?: string[]; 'dynamic-dim'?: string }): ShapeOptions {
  const inputShapes = parseInputShapes(values.input ?? []);
  if (typeof inputShapes === 'string') throw new UsageError(inputShapes);
  let dynamicDim: number | undefined;
  if (values['dynamic-dim'] !== undefined) {
    dynamicDim = Number(values['dynamic-dim']);
    if (!Number.isInteger(dynamicDim) || dynamicDim < 1)
      throw new UsageError('--dynamic-dim takes a positive integer');
  }
  return { inputShapes, dynamicDim };
}

/** Exactly one positional argument: the model file. */
export function oneModel(positionals: string[], command: string): string {
  if (positionals.length !== 1) throw new UsageError(`${command} takes exactly one model file`);
  return positionals[0];
}
