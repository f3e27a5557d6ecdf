import * as fs from 'node:fs';
import { analyzeModel, type AnalyzeOptions } from '../core/analysis/analyzeModel';
import { diag, type Diagnostic } from '../core/diagnostics';
import { decodeModel } from '../core/onnx/decodeModel';
import type { ModelIR } from '../core/onnx/ir';
import type { AnalysisReport } from '../core/analysis/analysisReport';
import { GIB } from '../core/units';
import { createExternalDataResolver, type DisposableResolver } from './externalDataResolver';

/** Protobuf cannot encode a message of 2 GiB or more; larger weights must be external data. */
const MAX_MODEL_BYTES = 2 * GIB - 1;

/** A model file read and decoded, or the reason it could not be. */
export type LoadedModel =
  | {
      readonly ok: true;
      readonly model: ModelIR;
      readonly bytes: Uint8Array;
      readonly diagnostics: Diagnostic[];
    }
  | { readonly ok: false; readonly error: Diagnostic };

/** A model file that was read and decoded. */
export type ReadModel = Extract<LoadedModel, { ok: true }>;

/** Reads and decodes an ONNX file. Never throws for a bad or missing file. */
export function loadModelFile(file: string): LoadedModel {
  let bytes: Uint8Array;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile())
      return { ok: false, error: diag('BS1000', 'error', 'it is not a regular file') };
    if (stat.size > MAX_MODEL_BYTES) {
      return {
        ok: false,
        error: diag(
          'BS1006',
          'error',
          'it is larger than 2 GiB, the protobuf limit; store the weights as ONNX external data',
        ),
      };
    }
    bytes = fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'the file does not exist'
        : code === 'EACCES'
          ? 'permission denied'
          : (e as Error).message;
    return { ok: false, error: diag('BS1000', 'error', why) };
  }
  const decoded = decodeModel(bytes);
  if (!decoded.model) return { ok: false, error: decoded.diagnostics[0] };
  return { ok: true, model: decoded.model, bytes, diagnostics: decoded.diagnostics };
}

/** The analysis of a file, or the error that stopped it. */
export type FileAnalysis =
  | { readonly ok: true; readonly report: AnalysisReport }
  | { readonly ok: false; readonly error: Diagnostic };

/**
 * Reads, decodes and analyses an ONNX file, with its external data resolved safely next to
 * it. An error diagnostic anywhere (unreadable file, refused or missing external data, data
 * that does not match its shape) makes the result an error: a partial table would mislead.
 */
export function analyzeFile(
  file: string,
  options: Omit<AnalyzeOptions, 'resolver'> = {},
): FileAnalysis {
  return withModelFile(file, (loaded, resolver) => {
    const report = analyzeModel(loaded.model, { ...options, resolver });
    const { diagnostics, error } = collectDiagnostics(loaded.diagnostics, report.diagnostics);
    return error ? { ok: false, error } : { ok: true, report: { ...report, diagnostics } };
  });
}

/**
 * Reads a model file and runs `fn` on it with a resolver for its external data (safe paths,
 * closed afterwards); a file that cannot be read or decoded is the error instead.
 */
export function withModelFile<R>(
  file: string,
  fn: (loaded: ReadModel, resolver: DisposableResolver) => R,
): R | { readonly ok: false; readonly error: Diagnostic } {
  const loaded = loadModelFile(file);
  if (!loaded.ok) return loaded;
  const resolver = createExternalDataResolver(file);
  try {
    return fn(loaded, resolver);
  } finally {
    resolver.dispose();
  }
}

/**
 * The decoder's diagnostics followed by the analysis's, and the first error among them: an
 * error anywhere makes the whole result an error (a partial table would mislead).
 */
export function collectDiagnostics(
  decoded: readonly Diagnostic[],
  analysed: readonly Diagnostic[],
): { diagnostics: Diagnostic[]; error: Diagnostic | undefined } {
  const diagnostics = [...decoded, ...analysed];
  return { diagnostics, error: diagnostics.find((d) => d.severity === 'error') };
}
