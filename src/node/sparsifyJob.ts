import * as fs from 'node:fs';
import type { AieArchitecture } from '../core/target/architecture';
import type { Diagnostic } from '../core/diagnostics';
import { ConstantScope } from '../core/onnx/constantScope';
import { concreteInputs, type ShapeOptions } from '../core/onnx/shapeInference';
import type { LayerSparsity } from '../core/sparsify/planSparsify';
import type { SparsifyOptions } from '../core/sparsify/sparsifyOptions';
import type { BalanceReport } from '../core/estimate/balance';
import { analyzeFile, loadModelFile } from './analyzeFile';
import { simulateFile } from './simulateFile';
import { sparsifyFile, type SparsifyFileOptions } from './sparsifyFile';
import { verifySparseModel, type InputSpec, type Verification } from './verifySparseModel';

/** Everything the "Sparsify…" command asks for, as plain data (it crosses a thread boundary). */
export interface SparsifyJobRequest {
  readonly input: string;
  readonly options: SparsifyOptions & {
    readonly out?: string;
    readonly force?: boolean;
    readonly balance?: SparsifyFileOptions['balance'];
  };
  readonly inputShapes: readonly (readonly [string, readonly number[]])[];
  readonly dynamicDim?: number;
  readonly verify: boolean;
  /** Array to estimate the speedup on; none skips the estimate. */
  readonly arch?: AieArchitecture;
}

/** The report the command shows at the end. */
export interface SparsifyJobResult {
  readonly output: string;
  readonly dataFiles: readonly string[];
  readonly layers: readonly LayerSparsity[];
  /** Compressed int8 weight bytes (AIE2-MODEL.md §1) of the input and of the output. */
  readonly compressedBytesBefore: number;
  readonly compressedBytesAfter: number;
  readonly denseBytesInt8: number;
  /** The output on the chosen array: dense (zeros computed) vs sparse (zeros skipped). */
  readonly estimate: {
    readonly arch: string;
    readonly denseSeconds: number;
    readonly sparseSeconds: number;
    readonly speedup: number;
  } | null;
  /** Balanced Sparsify: refined estimates with and without balancing. */
  readonly balance: BalanceReport | null;
  readonly verification: Verification | null;
  /** Why there is no verification (ONNX Runtime missing, ...), if there is none. */
  readonly verificationNote: string | null;
}

export type SparsifyJobOutcome =
  | { readonly ok: true; readonly result: SparsifyJobResult }
  | { readonly ok: false; readonly error: Diagnostic }
  | { readonly ok: 'cancelled' };

function inputSpecs(file: string, shapes: ShapeOptions): InputSpec[] {
  const loaded = loadModelFile(file);
  if (!loaded.ok) return [];
  const constants = ConstantScope.forModel(loaded.model, undefined);
  return concreteInputs(loaded.model.graph, (n) => constants.get(n) !== undefined, shapes, [])
    .filter((i): i is InputSpec => i.shape !== undefined)
    .map((i) => ({ name: i.name, elemType: i.elemType, shape: i.shape }));
}

/** Sparsify, then estimate and verify the result: the whole "Sparsify…" job, off the UI thread. */
export async function runSparsifyJob(
  req: SparsifyJobRequest,
  onProgress: (done: number, total: number) => void,
  isCancelled: () => boolean,
): Promise<SparsifyJobOutcome> {
  const shapes: ShapeOptions = {
    inputShapes: new Map(req.inputShapes.map(([k, v]) => [k, [...v]])),
    dynamicDim: req.dynamicDim,
  };
  const before = analyzeFile(req.input, shapes);
  if (!before.ok) return before;
  const balance = req.options.balance && {
    ...req.options.balance,
    shapes: { inputShapes: shapes.inputShapes, dynamicDim: shapes.dynamicDim },
  };
  const written = sparsifyFile(req.input, { ...req.options, balance, onProgress, isCancelled });
  if (written.ok !== true) return written;
  const discard = (): SparsifyJobOutcome => {
    // cancelled after writing: take the new files back, as if nothing happened
    for (const f of [written.output, ...written.dataFiles]) fs.rmSync(f, { force: true });
    return { ok: 'cancelled' };
  };
  if (isCancelled()) return discard();
  const after = analyzeFile(written.output, shapes);
  let estimate: SparsifyJobResult['estimate'] = null;
  if (req.arch) {
    const sim = simulateFile(written.output, shapes, { arch: req.arch, trace: false });
    const { dense, sparse } = sim.ok ? sim.simulation.modes : {};
    if (dense && sparse) {
      estimate = {
        arch: req.arch.name,
        denseSeconds: dense.seconds,
        sparseSeconds: sparse.seconds,
        speedup: dense.seconds / sparse.seconds,
      };
    }
  }
  if (isCancelled()) return discard();
  let verification: Verification | null = null;
  let verificationNote: string | null = req.verify ? null : 'verification not requested';
  if (req.verify && !isCancelled()) {
    const v = await verifySparseModel(req.input, written.output, inputSpecs(req.input, shapes));
    if (v.ok) verification = v.verification;
    else verificationNote = v.error.message;
  }
  if (isCancelled()) return discard();
  return {
    ok: true,
    result: {
      output: written.output,
      dataFiles: written.dataFiles,
      layers: written.plan.layers,
      compressedBytesBefore: before.report.totals.compressedBytesInt8,
      compressedBytesAfter: after.ok
        ? after.report.totals.compressedBytesInt8
        : before.report.totals.compressedBytesInt8,
      denseBytesInt8: before.report.totals.denseBytesInt8,
      estimate,
      balance: written.balance,
      verification,
      verificationNote,
    },
  };
}
