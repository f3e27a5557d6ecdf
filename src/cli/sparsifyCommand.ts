import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { parseBlockShape } from '../core/blocks/blockGrid';
import type { Diagnostic } from '../core/diagnostics';
import { ConstantScope } from '../core/onnx/constantScope';
import { concreteInputs } from '../core/onnx/shapeInference';
import { CRITERIA, type Criterion } from '../core/blocks/blockScores';
import {
  DEFAULT_MAX_LAYER_RATIO,
  MAX_TARGET,
  parseTargetsFile,
  type Scope,
} from '../core/sparsify/sparsifyOptions';
import { loadModelFile } from '../node/analyzeFile';
import { sparsifyFile, type SparsifyFileOptions } from '../node/sparsifyFile';
import { resolveArchitecture } from '../node/readArchitecture';
import { PRECISIONS, type Precision } from '../core/target/precision';
import { verifySparseModel, type InputSpec, type Verification } from '../node/verifySparseModel';
import {
  oneLine,
  oneModel,
  SHAPE_OPTIONS,
  shapeOptions,
  UsageError,
  type CliIo,
} from './cliSupport';
import { masksText } from './masksCommand';
import { sparsifyJson, sparsifyText } from './sparsifyReport';
import { writeMasksFile } from '../node/masksFile';

/**
 * `blocksparse sparsify <in.onnx> [--target 0.5] [--block 8x8] [--criterion l2|l1|variance]
 * [--scope layer|global] [--keep-rows-cols] [--skip pattern,...] [--targets file] [--out path]
 * [--force] [--verify] [--masks-out masks.safetensors] [--json]`. Exit 0 ok, 2 bad input,
 * 3 verification failed.
 */
export async function sparsifyCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      target: { type: 'string', default: '0.5' },
      block: { type: 'string', default: '8x8' },
      criterion: { type: 'string', default: 'l2' },
      scope: { type: 'string', default: 'layer' },
      'keep-rows-cols': { type: 'boolean', default: false },
      skip: { type: 'string', default: '' },
      targets: { type: 'string' },
      out: { type: 'string' },
      force: { type: 'boolean', default: false },
      verify: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      'masks-out': { type: 'string' },
      'max-layer-ratio': { type: 'string', default: String(DEFAULT_MAX_LAYER_RATIO) },
      balance: { type: 'string' },
      precision: { type: 'string', default: 'int8' },
      ...SHAPE_OPTIONS,
    },
  });
  const file = oneModel(positionals, 'sparsify');
  const target = Number(values.target);
  if (!(target >= 0 && target <= MAX_TARGET))
    throw new UsageError(`--target must be a number from 0 to ${MAX_TARGET}`);
  const block = parseBlockShape(values.block ?? '8x8');
  if (!block) throw new UsageError(`--block '${values.block}': expected OxI, e.g. 8x8`);
  const criterion = values.criterion as Criterion;
  if (!CRITERIA.includes(criterion))
    throw new UsageError(`--criterion must be one of ${CRITERIA.join(', ')}`);
  const scope = values.scope as Scope;
  if (scope !== 'layer' && scope !== 'global')
    throw new UsageError('--scope must be layer or global');
  let targets: (readonly [string, number])[] = [];
  if (values.targets) {
    let text: string;
    try {
      text = fs.readFileSync(values.targets, 'utf8');
    } catch (e) {
      io.err(`blocksparse: ${values.targets}: ${(e as Error).message}`);
      return 2;
    }
    const parsed = parseTargetsFile(text);
    if (typeof parsed === 'string') {
      io.err(`blocksparse: ${values.targets}: ${parsed}`);
      return 2;
    }
    targets = parsed;
  }
  const maxLayerRatio = Number(values['max-layer-ratio']);
  if (!(maxLayerRatio > 0 && maxLayerRatio <= 1))
    throw new UsageError('--max-layer-ratio must be a fraction above 0 and at most 1');
  const shapes = shapeOptions(values);
  let balance: SparsifyFileOptions['balance'];
  if (values.balance !== undefined) {
    if (block.out !== 8 || block.in !== 8)
      throw new UsageError("--balance balances the array's 8x8 blocks: use --block 8x8");
    if (scope !== 'layer')
      throw new UsageError("--balance gives every chunk its layer's target: use --scope layer");
    const precision = values.precision as Precision;
    if (!PRECISIONS.includes(precision))
      throw new UsageError(`--precision '${values.precision}': expected ${PRECISIONS.join(', ')}`);
    const arch = resolveArchitecture(values.balance, undefined);
    if (Array.isArray(arch)) {
      for (const d of arch) io.err(`blocksparse: ${d.message} [${d.code}]`);
      return 1;
    }
    balance = { arch, precision, shapes };
  }
  const result = sparsifyFile(file, {
    balance,
    maxLayerRatio,
    target,
    block,
    criterion,
    scope,
    keepRowsCols: values['keep-rows-cols'] ?? false,
    skip: (values.skip ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    targets,
    out: values.out,
    force: values.force,
  });
  if (result.ok === 'cancelled') return 2;
  if (!result.ok) {
    io.err(oneLine(file, result.error));
    return 2;
  }
  if (values['masks-out']) {
    // the masks of the model just written, with the target each layer was given
    const targets = new Map(result.plan.layers.map((l) => [l.name, l.target]));
    const masks = writeMasksFile(result.output, {
      out: values['masks-out'],
      block,
      targets,
      force: values.force,
    });
    if (!masks.ok) {
      io.err(oneLine(result.output, masks.error));
      return 2;
    }
    if (!values.json) io.out(masksText(masks));
  }
  let verification: Verification | undefined;
  let verifyProblem: Diagnostic | undefined;
  if (values.verify) {
    const loaded = loadModelFile(file);
    const inputs: InputSpec[] = [];
    if (loaded.ok) {
      const constants = ConstantScope.forModel(loaded.model, undefined);
      for (const i of concreteInputs(
        loaded.model.graph,
        (n) => constants.get(n) !== undefined,
        shapes,
        [],
      )) {
        if (i.shape) inputs.push({ name: i.name, elemType: i.elemType, shape: i.shape });
      }
    }
    const v = await verifySparseModel(file, result.output, inputs);
    if (v.ok) verification = v.verification;
    else verifyProblem = v.error;
  }
  if (values.json)
    io.out(JSON.stringify(sparsifyJson(result, verification, verifyProblem), null, 2));
  else io.out(sparsifyText(file, result, verification, verifyProblem));
  if (verifyProblem && verifyProblem.severity === 'error') return 3;
  return verification && verification.problems.length > 0 ? 3 : verifyProblem ? 2 : 0;
}
