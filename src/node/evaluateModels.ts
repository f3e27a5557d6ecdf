import * as path from 'node:path';
import { AccuracyCounter, agreement } from '../core/accuracy/topK';
import type { Preprocess } from '../core/accuracy/preprocess';
import { diag, type Diagnostic } from '../core/diagnostics';
import { ConstantScope } from '../core/onnx/constantScope';
import { concreteInputs } from '../core/onnx/shapeInference';
import { loadModelFile } from './analyzeFile';
import { DatasetError, openDataset, type Dataset } from './datasets';
import {
  loadOnnxRuntime,
  ORT_MISSING,
  tensorNumbers,
  type OrtFlavour,
  openSession,
  type OrtSession,
  type OrtTensor,
} from './onnxRuntime';

export interface EvaluateOptions {
  readonly data: string;
  readonly labels?: string;
  readonly preprocess: Preprocess;
  readonly limit?: number;
  /** Samples per run when the model's batch is dynamic (default 64). */
  readonly batch?: number;
  readonly onProgress?: (done: number, total: number) => void;
  readonly isCancelled?: () => boolean;
}

export interface ModelAccuracy {
  readonly model: string;
  readonly samples: number;
  /** Fractions; null without labels. */
  readonly top1: number | null;
  readonly top5: number | null;
}

export interface Evaluation {
  /** The ONNX Runtime that ran the models. */
  readonly runtime: OrtFlavour;
  readonly samples: number;
  readonly labelled: boolean;
  readonly classes: readonly string[] | null;
  readonly models: readonly ModelAccuracy[];
  /** Same top-1 prediction, for each pair of models (the first with each other). */
  readonly agreement: readonly { readonly a: string; readonly b: string; readonly top1: number }[];
}

export type EvaluateResult =
  | { readonly ok: true; readonly evaluation: Evaluation }
  | { readonly ok: false; readonly error: Diagnostic }
  | { readonly ok: 'cancelled' };

interface ClassifierInput {
  readonly name: string;
  readonly sample: readonly number[];
  readonly dynamicBatch: boolean;
}

/** The one image/tensor input of a classifier and its per-sample shape; why not, as a string. */
function classifierInput(file: string): ClassifierInput | string {
  const loaded = loadModelFile(file);
  if (!loaded.ok) return loaded.error.message;
  const constants = ConstantScope.forModel(loaded.model, undefined);
  const inputs = concreteInputs(loaded.model.graph, (n) => constants.get(n) !== undefined, {}, []);
  if (inputs.length !== 1) return `the model has ${inputs.length} inputs; evaluation feeds one`;
  const [input] = inputs;
  const declared = loaded.model.graph.inputs.find((i) => i.name === input.name)?.shape;
  if (!input.shape || input.shape.length < 2) return `input '${input.name}' has no batch dimension`;
  return {
    name: input.name,
    sample: input.shape.slice(1),
    dynamicBatch: typeof declared?.[0] !== 'number',
  };
}

/**
 * Top-1/top-5 of each model on a labelled dataset and the top-1 agreement between them, in ONNX
 * Runtime. Every model sees the same samples in the same order.
 */
export async function evaluateModels(
  models: readonly string[],
  options: EvaluateOptions,
): Promise<EvaluateResult> {
  const runtime = loadOnnxRuntime();
  if (!runtime) return { ok: false, error: diag('BS5010', 'error', ORT_MISSING) };
  const { ort } = runtime;
  let dataset;
  try {
    dataset = openDataset(options.data, options.labels, options.preprocess);
  } catch (e) {
    if (e instanceof DatasetError) return { ok: false, error: diag('BS5012', 'error', e.message) };
    throw e;
  }
  const samples = Math.min(dataset.samples, options.limit ?? Infinity);
  const runs: { file: string; input: ClassifierInput; session: OrtSession }[] = [];
  try {
    for (const file of models) {
      const input = classifierInput(file);
      if (typeof input === 'string')
        return { ok: false, error: diag('BS5012', 'error', `${file}: ${input}`) };
      const session = await openSession(ort, file);
      if (typeof session === 'string')
        return {
          ok: false,
          error: diag('BS5011', 'error', `${file}: ONNX Runtime cannot load it: ${session}`),
        };
      runs.push({ file, input, session });
    }
    // samples outside, models inside: each image is decoded once, whatever the number of models
    const batch = runs.every((r) => r.input.dynamicBatch) ? Math.max(1, options.batch ?? 64) : 1;
    const counters = runs.map(() => new AccuracyCounter());
    for (let start = 0; start < samples; start += batch) {
      if (options.isCancelled?.()) return { ok: 'cancelled' };
      const n = Math.min(batch, samples - start);
      const feeds = new Map<string, Float32Array>();
      for (const [i, { file, input, session }] of runs.entries()) {
        const key = input.sample.join('x');
        let feed = feeds.get(key);
        if (!feed) {
          const per = input.sample.reduce((a, b) => a * b, 1);
          feed = new Float32Array(n * per);
          for (let k = 0; k < n; k++) feed.set(dataset.sample(start + k, input.sample), k * per);
          feeds.set(key, feed);
        }
        let out: Record<string, OrtTensor>;
        try {
          out = await session.run({
            [input.name]: new ort.Tensor('float32', feed, [n, ...input.sample]),
          });
        } catch (e) {
          return {
            ok: false,
            error: diag('BS5011', 'error', `${file}: running it failed: ${(e as Error).message}`),
          };
        }
        const logits = tensorNumbers(out[session.outputNames[0]]);
        const classes = logits.length / n;
        for (let k = 0; k < n; k++) {
          const row = Array.prototype.slice.call(
            logits,
            k * classes,
            (k + 1) * classes,
          ) as number[];
          counters[i].add(row, dataset.labels?.[start + k]);
        }
      }
      options.onProgress?.(start + n, samples);
    }
    return {
      ok: true,
      evaluation: evaluationOf(runtime.flavour, dataset, samples, models, counters),
    };
  } catch (e) {
    if (e instanceof DatasetError) return { ok: false, error: diag('BS5012', 'error', e.message) };
    throw e;
  } finally {
    for (const r of runs) await r.session.release?.();
  }
}

/** The report of a finished evaluation. */
function evaluationOf(
  runtime: OrtFlavour,
  dataset: Dataset,
  samples: number,
  models: readonly string[],
  counters: readonly AccuracyCounter[],
): Evaluation {
  const labelled = dataset.labels !== undefined;
  return {
    runtime,
    samples,
    labelled,
    classes: dataset.classes ?? null,
    models: models.map((file, i) => ({
      model: path.resolve(file),
      samples: counters[i].samples,
      top1: labelled ? counters[i].top1 / counters[i].samples : null,
      top5: labelled ? counters[i].top5 / counters[i].samples : null,
    })),
    agreement: models.slice(1).map((file, i) => ({
      a: path.resolve(models[0]),
      b: path.resolve(file),
      top1: agreement(counters[0].predictions, counters[i + 1].predictions),
    })),
  };
}
