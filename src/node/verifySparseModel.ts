import { diag, type Diagnostic } from '../core/diagnostics';
import { DataType } from '../core/onnx/dataTypes';
import { seededRandom } from '../core/random';
import { compareOutputs, type OutputAgreement } from '../core/sparsify/outputAgreement';
import {
  loadOnnxRuntime,
  ORT_MISSING,
  tensorNumbers as numbers,
  type Ort,
  openSession,
  type OrtFlavour,
  type OrtTensor,
} from './onnxRuntime';

/** A graph input with the concrete shape to feed it. */
export interface InputSpec {
  readonly name: string;
  readonly elemType: number;
  readonly shape: readonly number[];
}

export interface Verification {
  readonly outputs: readonly OutputAgreement[];
  /** Structural problems: a model that does not load or run, different outputs, non-finite values. */
  readonly problems: readonly string[];
  readonly samples: number;
  /** The ONNX Runtime that ran both models. */
  readonly runtime: OrtFlavour;
}

export type VerifyResult =
  | { readonly ok: true; readonly verification: Verification }
  | { readonly ok: false; readonly error: Diagnostic };

function feedsFor(
  ort: Ort,
  inputs: readonly InputSpec[],
  random: () => number,
): Record<string, unknown> {
  const feeds: Record<string, unknown> = {};
  for (const input of inputs) {
    const n = input.shape.reduce((a, b) => a * b, 1);
    if (input.elemType === DataType.INT64)
      feeds[input.name] = new ort.Tensor('int64', new BigInt64Array(n), input.shape);
    else if (input.elemType === DataType.INT32)
      feeds[input.name] = new ort.Tensor('int32', new Int32Array(n), input.shape);
    else
      feeds[input.name] = new ort.Tensor(
        'float32',
        Float32Array.from({ length: n }, () => random() * 2 - 1),
        input.shape,
      );
  }
  return feeds;
}

/**
 * Runs the original and the sparse model in ONNX Runtime on the same seeded random inputs and
 * compares every output: max |Δ|, relative L2, cosine, top-1/top-5 agreement for classifiers.
 */
export async function verifySparseModel(
  original: string,
  sparse: string,
  inputs: readonly InputSpec[],
  samples = 4,
  seed = 1234,
): Promise<VerifyResult> {
  const runtime = loadOnnxRuntime();
  if (!runtime) return { ok: false, error: diag('BS5010', 'warning', ORT_MISSING) };
  const { ort } = runtime;
  const problems: string[] = [];
  const a = await openSession(ort, original);
  if (typeof a === 'string')
    return {
      ok: false,
      error: diag('BS5011', 'error', `ONNX Runtime cannot load the original model: ${a}`),
    };
  const b = await openSession(ort, sparse);
  if (typeof b === 'string')
    return {
      ok: true,
      verification: {
        runtime: runtime.flavour,
        outputs: [],
        problems: [`the sparse model does not load: ${b}`],
        samples: 0,
      },
    };
  const random = seededRandom(seed);
  const runsA: Record<string, OrtTensor>[] = [];
  const runsB: Record<string, OrtTensor>[] = [];
  try {
    for (let s = 0; s < samples; s++) {
      const feeds = feedsFor(ort, inputs, random);
      runsA.push(await a.run(feeds));
      runsB.push(await b.run(feeds));
    }
  } catch (e) {
    problems.push(`running the models failed: ${(e as Error).message}`);
  } finally {
    await a.release?.();
    await b.release?.();
  }
  const outputs: OutputAgreement[] = [];
  if (runsA.length === samples) {
    for (const name of a.outputNames) {
      const shapeA = runsA[0][name]?.dims ?? [];
      const shapeB = runsB[0][name]?.dims ?? [];
      if (!runsB[0][name]) {
        problems.push(`output '${name}' is missing from the sparse model`);
        continue;
      }
      if (shapeA.join('x') !== shapeB.join('x'))
        problems.push(`output '${name}' has shape ${shapeB.join('x')}, not ${shapeA.join('x')}`);
      const o = compareOutputs(
        name,
        shapeA,
        runsA.map((r) => numbers(r[name])),
        runsB.map((r) => numbers(r[name])),
      );
      if (!o.finite)
        problems.push(`output '${name}' has NaN or infinite values the original does not`);
      outputs.push(o);
    }
  }
  return { ok: true, verification: { outputs, problems, samples, runtime: runtime.flavour } };
}
