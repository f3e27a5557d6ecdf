import * as fs from 'node:fs';
import * as path from 'node:path';
import { diag, type Diagnostic } from '../core/diagnostics';
import type { ByteSource, ExternalDataResolver } from '../core/onnx/byteSource';
import type { GraphIR, ModelIR, TensorIR } from '../core/onnx/ir';
import { planSparsify, type SparsifyPlan, type TensorPatch } from '../core/sparsify/planSparsify';
import {
  forEachCopyChunk,
  keptRanges,
  sparseCopyPlan,
  type SparseCopyPlan,
} from '../core/sparsify/sparseCopyPlan';
import { SinglePassCopy } from '../core/sparsify/singlePassCopy';
import type { SparsifyOptions } from '../core/sparsify/sparsifyOptions';
import { metadataTail, writeSparseModel, type FilePatch } from '../core/sparsify/writeSparseModel';
import { analyzeModelWithShapes } from '../core/analysis/analyzeModel';
import { compilerInputFrom, HARDWARE_BLOCK } from '../core/compiler/compilerInput';
import { ALL_ASSUMPTIONS, DEFAULT_EFFICIENCY } from '../core/estimate/assumptions';
import { chunkShapes, refinedEstimate, type BalanceReport } from '../core/estimate/balance';
import type { AieArchitecture } from '../core/target/architecture';
import type { Precision } from '../core/target/precision';
import type { ShapeOptions } from '../core/onnx/shapeInference';
import { withLoadedModelFile, withModelFile, type OpenModel } from './analyzeFile';
import { moveIntoPlace, partialPathFor, sweepPartials } from './atomicWrite';

declare const BLOCKSPARSE_VERSION: string;

export interface SparsifyFileOptions extends SparsifyOptions {
  /** Output path; default `<name>.bs<percent>.onnx` beside the input. */
  readonly out?: string;
  /** Replace an existing output (never the input). */
  readonly force?: boolean;
  readonly onProgress?: (done: number, total: number) => void;
  readonly isCancelled?: () => boolean;
  /** Balanced Sparsify for this array (8x8 blocks, per-layer scope): see SparsifyOptions.chunks. */
  readonly balance?: {
    readonly arch: AieArchitecture;
    readonly precision: Precision;
    /** Input shapes for the estimate's analysis (dynamic dims). */
    readonly shapes?: ShapeOptions;
  };
}

export type SparsifyFileResult =
  | {
      readonly ok: true;
      readonly output: string;
      readonly dataFiles: readonly string[];
      readonly plan: SparsifyPlan;
      /** With --balance: refined estimates with and without balancing. */
      readonly balance: BalanceReport | null;
      /** True when the model was copied a chunk at a time (in one pass or two), not read whole. */
      readonly streamed: boolean;
    }
  | { readonly ok: false; readonly error: Diagnostic }
  | { readonly ok: 'cancelled' };

/** `<dir>/<name>.bs<percent>.onnx` for an input `<dir>/<name>.onnx`. */
export function defaultOutputPath(input: string, target: number): string {
  const base = path.basename(input).replace(/\.onnx$/i, '');
  return path.join(path.dirname(input), `${base}.bs${Math.round(target * 100)}.onnx`);
}

/** Every external-data location any tensor of the model uses, in first-use order. */
function externalLocations(model: ModelIR): string[] {
  const seen = new Set<string>();
  const visit = (g: GraphIR) => {
    const tensors = [...g.initializers.values()];
    for (const n of g.nodes) {
      for (const a of n.attributes.values()) {
        if (a.type === 'tensor') tensors.push(a.value);
        if (a.type === 'tensors') tensors.push(...a.value);
        if (a.type === 'graph') visit(a.value);
        if (a.type === 'graphs') a.value.forEach(visit);
      }
    }
    for (const t of tensors) if (t.storage.kind === 'external') seen.add(t.storage.location);
  };
  visit(model.graph);
  return [...seen];
}

/** Writes byte parts one after another into a new file. */
function writeParts(file: string, parts: readonly Uint8Array[]): void {
  const out = new OutputFile(file).open();
  try {
    for (const p of parts) out.write(p);
  } finally {
    out.close();
  }
}

/** Bytes per read while copying external data: bounded memory for files of any size. */
const COPY_CHUNK = 16 * 1024 * 1024;

/**
 * Copies an external-data file from the source the resolver opened (the descriptor whose path
 * passed the safety checks, so a swap of the path since then cannot redirect the copy) and
 * applies the weight patches to the copy.
 */
function copyPatched(source: ByteSource, target: string, patches: readonly FilePatch[]): void {
  const fd = fs.openSync(target, 'wx');
  try {
    for (let at = 0; at < source.size; at += COPY_CHUNK) {
      const chunk = source.read(at, Math.min(COPY_CHUNK, source.size - at));
      let done = 0;
      while (done < chunk.length)
        done += fs.writeSync(fd, chunk, done, chunk.length - done, at + done);
    }
    for (const p of patches) fs.writeSync(fd, p.bytes, 0, p.bytes.length, p.offset);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Sparsify a model file: choose the blocks, write a new model (and new external-data files next
 * to it) whose bytes differ from the input only in the zeroed weights and the blocksparse.*
 * metadata. Files are written under temporary names and renamed at the end; on failure or
 * cancel nothing is left behind, and the input is never written.
 */
export function sparsifyFile(input: string, options: SparsifyFileOptions): SparsifyFileResult {
  const output = path.resolve(options.out ?? defaultOutputPath(input, options.target));
  if (output === path.resolve(input)) {
    return {
      ok: false,
      error: diag(
        'BS5001',
        'error',
        'the output would replace the input model; choose another --out',
      ),
    };
  }
  if (fs.existsSync(output) && !options.force) {
    return {
      ok: false,
      error: diag('BS5002', 'error', `${output} exists; pass --force to replace it`),
    };
  }
  // the plan is made on the model with every weight left in the file; the file is read whole
  // only when the streamed copy cannot write the result (sparseCopyPlan says when)
  return withModelFile(
    input,
    (opened, resolver) => writeSparse(input, output, options, opened, resolver),
    { minDeferred: 1 },
  );
}

/** Plans, writes under temporary names and renames; on failure or cancel removes what it wrote. */
function writeSparse(
  input: string,
  output: string,
  options: SparsifyFileOptions,
  opened: OpenModel,
  resolver: ExternalDataResolver,
): SparsifyFileResult {
  const temps: string[] = [];
  const renamed: string[] = [];
  sweepPartials(output);
  const tmpModel = partialPathFor(output);
  const file = new OutputFile(tmpModel);
  try {
    const locations = externalLocations(opened.model);
    temps.push(tmpModel);
    // one pass where it can be: the planner hands each weight over while it is in memory
    const skeleton = opened.skeleton;
    const single =
      skeleton && !options.balance && locations.length === 0
        ? new SinglePassCopy(
            skeleton.source,
            keptRanges(skeleton.size, skeleton.topLevel, metadataKeysOf(input, options)),
            new Uint8Array(STREAM_CHUNK),
            (bytes) => file.write(bytes),
          )
        : undefined;
    const planned = options.balance
      ? planBalanced(opened.model, resolver, options, options.balance)
      : {
          plan: planSparsify(
            opened.model,
            options,
            resolver,
            options.onProgress,
            options.isCancelled,
            single,
          ),
          balance: null,
        };
    const { plan, balance } = planned;
    if (plan.cancelled) return { ok: 'cancelled' };
    const error = plan.diagnostics.find((d) => d.severity === 'error');
    if (error) return { ok: false, error };
    const metadata = metadataOf(input, options, plan);
    const copy =
      skeleton === undefined || plan.streamed
        ? undefined
        : sparseCopyPlan(
            skeleton.size,
            skeleton.topLevel,
            plan.patches,
            metadata,
            locations.length > 0,
          );
    const moves: [string, string][] = [];
    if (single && plan.streamed) {
      single.finish(metadataTail(metadata));
      file.close();
    } else if (copy && skeleton) {
      writeCopy(skeleton.source, tmpModel, copy, options.isCancelled);
    } else {
      const written = writeWhole(input, output, tmpModel, plan, metadata, locations, temps);
      if (!written.ok) return written;
      moves.push(...written.moves);
    }
    if (options.isCancelled?.()) return { ok: 'cancelled' };
    // data files first: the model never points at a missing file
    for (const [tmp, target] of [...moves, [tmpModel, output] as [string, string]]) {
      moveIntoPlace(tmp, target);
      renamed.push(target);
    }
    temps.length = 0;
    const streamed = plan.streamed || copy !== undefined;
    return { ok: true, output, dataFiles: moves.map(([, t]) => t), plan, balance, streamed };
  } catch (e) {
    for (const f of renamed) fs.rmSync(f, { force: true });
    renamed.length = 0;
    if (e instanceof Cancelled) return { ok: 'cancelled' };
    return {
      ok: false,
      error: diag('BS5003', 'error', `writing the sparse model failed: ${(e as Error).message}`),
    };
  } finally {
    file.close();
    for (const t of temps) fs.rmSync(t, { force: true });
  }
}

/**
 * A new file written a part at a time: created ('wx': never an existing one) when opened, or on
 * the first part (the single pass opens it only once the planner writes).
 */
class OutputFile {
  private fd = -1;

  constructor(private readonly file: string) {}

  open(): this {
    if (this.fd < 0) this.fd = fs.openSync(this.file, 'wx');
    return this;
  }

  write(bytes: Uint8Array): void {
    this.open();
    let done = 0;
    while (done < bytes.length) done += fs.writeSync(this.fd, bytes, done, bytes.length - done);
  }

  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }
}

/** Bytes copied at a time by the streamed writer: one buffer, reused, well inside a cache. */
const STREAM_CHUNK = 1024 * 1024;

/** The streamed copy (sparseCopyPlan) into a new file, a chunk at a time. */
function writeCopy(
  source: ByteSource,
  file: string,
  copy: SparseCopyPlan,
  isCancelled: (() => boolean) | undefined,
): void {
  const out = new OutputFile(file).open();
  try {
    const buffer = new Uint8Array(STREAM_CHUNK);
    let chunks = 0;
    forEachCopyChunk(source, copy, buffer, (bytes) => {
      if (++chunks % 64 === 0 && isCancelled?.()) throw new Cancelled();
      out.write(bytes);
    });
  } finally {
    out.close();
  }
}

/** Thrown out of a streamed copy when the user cancels; the caller removes the partial file. */
class Cancelled extends Error {}

/**
 * The file read whole and patched by writeSparseModel — weights the streamed copy cannot
 * zero (Constant nodes, float_data, zero points, external data) — with the plan's patches
 * moved onto the tensors of the whole file's model, which the writer locates by name.
 */
function writeWhole(
  input: string,
  output: string,
  tmpModel: string,
  plan: SparsifyPlan,
  metadata: [string, string][],
  locations: string[],
  temps: string[],
): { ok: true; moves: [string, string][] } | { ok: false; error: Diagnostic } {
  const result = withLoadedModelFile(input, (loaded, resolver) => {
    const tensors = tensorsByName(loaded.model);
    const patches = new Map<string, TensorPatch>();
    for (const [name, p] of plan.patches) {
      const tensor = tensors.get(name);
      if (!tensor)
        return {
          ok: false as const,
          error: diag('BS1001', 'error', `weight '${name}' was not found in the file`),
        };
      patches.set(name, { ...p, tensor });
    }
    const dataName = (i: number) =>
      `${path.basename(output)}${locations.length > 1 ? `.${i}` : ''}.data`;
    const relocate = new Map(locations.map((l, i) => [l, dataName(i)]));
    // in place: the bytes were read for this call alone and the plan is made, so patching them
    // saves a 100 MB copy (the file on disk is never opened for writing)
    const sparse = writeSparseModel(loaded.bytes, patches, metadata, relocate, true);
    if ('code' in sparse) return { ok: false as const, error: sparse };
    const moves: [string, string][] = [];
    for (const [old, { location, patches: filePatches }] of sparse.external) {
      const source = resolver.open(old);
      if ('code' in source) return { ok: false as const, error: source };
      const target = path.join(path.dirname(output), location);
      sweepPartials(target);
      const tmp = partialPathFor(target);
      temps.push(tmp);
      copyPatched(source, tmp, filePatches);
      moves.push([tmp, target]);
    }
    writeParts(tmpModel, sparse.parts);
    return { ok: true as const, moves };
  });
  return result;
}

/** Every initializer and Constant-node tensor of the model, keyed as the writer's index keys them. */
function tensorsByName(model: ModelIR): Map<string, TensorIR> {
  const out = new Map<string, TensorIR>();
  const visit = (g: GraphIR) => {
    for (const [name, t] of g.initializers) out.set(name, t);
    for (const n of g.nodes) {
      for (const a of n.attributes.values()) {
        if (a.type === 'tensor' && n.opType === 'Constant' && n.outputs[0])
          if (n.attributes.get('value') === a) out.set(n.outputs[0], a.value);
        if (a.type === 'graph') visit(a.value);
        if (a.type === 'graphs') a.value.forEach(visit);
      }
    }
  };
  visit(model.graph);
  return out;
}

const zeroMasksOf = (plan: SparsifyPlan) =>
  new Map(
    plan.layers.flatMap((l) => (l.zeroMask ? [[l.name, l.zeroMask] as [string, Uint8Array]] : [])),
  );
const givenUpOf = (plan: SparsifyPlan) => plan.layers.reduce((a, l) => a + l.givenUp, 0);

/**
 * Balanced Sparsify: the usual per-layer plan first (its densities size the chunks, and it is the
 * "without balancing" comparison), then the chunks every core of the array holds at those
 * densities, then the plan that gives every chunk the layer's target. Both are estimated in
 * refined mode on the array, with the ideal of every chunk at its layer's density exactly.
 */
function planBalanced(
  model: ModelIR,
  resolver: ExternalDataResolver,
  options: SparsifyFileOptions,
  target: NonNullable<SparsifyFileOptions['balance']>,
): { plan: SparsifyPlan; balance: BalanceReport | null } {
  const unbalanced = planSparsify(model, { ...options, chunks: undefined }, resolver);
  if (unbalanced.cancelled || options.isCancelled?.()) return { plan: unbalanced, balance: null };
  const analysis = analyzeModelWithShapes(model, {
    ...target.shapes,
    block: HARDWARE_BLOCK,
    resolver,
  });
  const input = compilerInputFrom(model, analysis);
  const fractions = new Map(
    unbalanced.layers
      .filter((l) => l.zeroMask && l.blocks > 0)
      .map((l) => [l.name, l.zeroBlocksAfter / l.blocks] as [string, number]),
  );
  const chunks = chunkShapes(input, target.arch, target.precision, fractions);
  const plan = planSparsify(
    model,
    { ...options, chunks },
    resolver,
    options.onProgress,
    options.isCancelled,
  );
  if (plan.cancelled) return { plan, balance: null };
  const estimate = (p: SparsifyPlan) => ({
    ...refinedEstimate(input, zeroMasksOf(p), target.arch, target.precision),
    givenUp: givenUpOf(p),
  });
  const even = refinedEstimate(input, zeroMasksOf(plan), target.arch, target.precision, {
    kind: 'refined',
    assumptions: { ...ALL_ASSUMPTIONS, 'busiest-core': false },
    efficiency: DEFAULT_EFFICIENCY,
  });
  return {
    plan,
    balance: {
      arch: target.arch.name,
      unbalanced: estimate(unbalanced),
      balanced: estimate(plan),
      evenSparse: even.sparse,
    },
  };
}

/** The keys metadataOf writes, known before the plan (its values are written after it). */
function metadataKeysOf(input: string, o: SparsifyFileOptions): Set<string> {
  const none: SparsifyPlan = {
    layers: [],
    patches: new Map(),
    diagnostics: [],
    cancelled: false,
    streamed: false,
  };
  return new Set(metadataOf(input, o, none).map(([k]) => k));
}

/** The parameters recorded in the new model's metadata_props. */
function metadataOf(input: string, o: SparsifyFileOptions, plan: SparsifyPlan): [string, string][] {
  const counted = plan.layers.filter((l) => l.skipped === null);
  const zero = counted.reduce((a, l) => a + l.zeroBlocksAfter, 0);
  const blocks = counted.reduce((a, l) => a + l.blocks, 0);
  return [
    ['blocksparse.version', typeof BLOCKSPARSE_VERSION === 'string' ? BLOCKSPARSE_VERSION : 'dev'],
    ['blocksparse.source', path.basename(input)],
    ['blocksparse.target', String(o.target)],
    ['blocksparse.block', `${o.block.out}x${o.block.in}`],
    ['blocksparse.criterion', o.criterion],
    ['blocksparse.scope', o.scope],
    ['blocksparse.keep_rows_cols', String(o.keepRowsCols)],
    ['blocksparse.skip', o.skip.join(',')],
    ['blocksparse.per_layer_targets', o.targets.map(([n, t]) => `${n}=${t}`).join(',')],
    ['blocksparse.zero_blocks', `${zero}/${blocks}`],
    ...(o.balance ? ([['blocksparse.balance', o.balance.arch.name]] as [string, string][]) : []),
  ];
}
