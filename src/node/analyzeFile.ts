import * as fs from 'node:fs';
import { analyzeModel, type AnalyzeOptions } from '../core/analysis/analyzeModel';
import { diag, type Diagnostic } from '../core/diagnostics';
import { decodeModel, decodeSkeleton } from '../core/onnx/decodeModel';
import type { ByteSource } from '../core/onnx/byteSource';
import { readModelSkeleton, type TopLevelField } from '../core/onnx/modelSkeleton';
import type { ModelIR } from '../core/onnx/ir';
import type { AnalysisReport } from '../core/analysis/analysisReport';
import { GIB } from '../core/units';
import { createExternalDataResolver, type DisposableResolver } from './externalDataResolver';
import { openFileByteSource, type FileByteSource } from './fileByteSource';

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

/** Reads and decodes an ONNX file, bytes and all. Never throws for a bad or missing file. */
export function loadModelFile(file: string): LoadedModel {
  const problem = fileProblem(file);
  if (problem) return { ok: false, error: problem };
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    return { ok: false, error: readError(e) };
  }
  return decoded(bytes);
}

/** A model decoded with its large weights left in the file, read when they are scanned. */
export interface OpenModel {
  readonly ok: true;
  readonly model: ModelIR;
  readonly diagnostics: Diagnostic[];
  /** Closes the file the weights are read from; the model's weights cannot be read after. */
  close(): void;
  /** The file as the skeleton reader saw it, for a streamed writer; absent when it was read whole. */
  readonly skeleton?: {
    readonly source: ByteSource;
    readonly size: number;
    readonly topLevel: readonly TopLevelField[];
  };
}

/** How openModelFile reads a model. */
export interface OpenOptions {
  /** raw_data at least this long is left in the file (DEFAULT_MIN_DEFERRED); 1: every one. */
  readonly minDeferred?: number;
}

/**
 * Opens and decodes an ONNX file from its skeleton (modelSkeleton.ts): the structure is read
 * now, each large weight when it is scanned, into one reused buffer — no copy of the file in
 * memory. A file the skeleton reader does not take is read whole and decoded as before, so a
 * bad file gets the same diagnostic either way. Never throws for a bad or missing file.
 */
export function openModelFile(
  file: string,
  options: OpenOptions = {},
): OpenModel | { readonly ok: false; readonly error: Diagnostic } {
  const problem = fileProblem(file);
  if (problem) return { ok: false, error: problem };
  let source: FileByteSource;
  try {
    source = openFileByteSource(file);
  } catch (e) {
    return { ok: false, error: readError(e) };
  }
  const close = () => source.close();
  try {
    // the path was checked before it was opened: the descriptor must still be a regular file
    if (!source.stat.isFile()) {
      close();
      return { ok: false, error: diag('BS1000', 'error', 'it is not a regular file') };
    }
    const skeleton = readModelSkeleton(source, options.minDeferred);
    const fromSkeleton = skeleton && decodeSkeleton(skeleton, source);
    if (skeleton && fromSkeleton?.model) {
      return {
        ok: true,
        model: fromSkeleton.model,
        diagnostics: fromSkeleton.diagnostics,
        close,
        skeleton: { source, size: source.size, topLevel: skeleton.topLevel },
      };
    }
    const whole = decoded(source.read(0, source.size));
    close();
    return whole.ok ? { ...whole, close: () => undefined } : whole;
  } catch (e) {
    close();
    return { ok: false, error: readError(e) };
  }
}

/** Why a path cannot be read as a model, before it is opened; undefined when it can. */
function fileProblem(file: string): Diagnostic | undefined {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return diag('BS1000', 'error', 'it is not a regular file');
    if (stat.size > MAX_MODEL_BYTES) {
      return diag(
        'BS1006',
        'error',
        'it is larger than 2 GiB, the protobuf limit; store the weights as ONNX external data',
      );
    }
    return undefined;
  } catch (e) {
    return readError(e);
  }
}

function readError(e: unknown): Diagnostic {
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'the file does not exist'
      : code === 'EACCES'
        ? 'permission denied'
        : (e as Error).message;
  return diag('BS1000', 'error', why);
}

function decoded(bytes: Uint8Array): LoadedModel {
  const result = decodeModel(bytes);
  if (!result.model) return { ok: false, error: result.diagnostics[0] };
  return { ok: true, model: result.model, bytes, diagnostics: result.diagnostics };
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
 * Opens a model file (its weights read when scanned: openModelFile) and runs `fn` on it with a
 * resolver for its external data (safe paths, closed afterwards); a file that cannot be read or
 * decoded is the error instead.
 */
export function withModelFile<R>(
  file: string,
  fn: (loaded: OpenModel, resolver: DisposableResolver) => R,
  options: OpenOptions = {},
): R | { readonly ok: false; readonly error: Diagnostic } {
  const opened = openModelFile(file, options);
  if (!opened.ok) return opened;
  try {
    return withResolver(file, (resolver) => fn(opened, resolver));
  } finally {
    opened.close();
  }
}

/** As withModelFile, with the file's bytes in memory, for writers that patch them. */
export function withLoadedModelFile<R>(
  file: string,
  fn: (loaded: ReadModel, resolver: DisposableResolver) => R,
): R | { readonly ok: false; readonly error: Diagnostic } {
  const loaded = loadModelFile(file);
  return loaded.ok ? withResolver(file, (resolver) => fn(loaded, resolver)) : loaded;
}

function withResolver<R>(file: string, fn: (resolver: DisposableResolver) => R): R {
  const resolver = createExternalDataResolver(file);
  try {
    return fn(resolver);
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
