import { parseArgs } from 'node:util';
import { DEFAULT_PREPROCESS, parsePreprocess } from '../core/accuracy/preprocess';
import { evaluateModels, type Evaluation } from '../node/evaluateModels';
import { oneLine, UsageError, type CliIo } from './cliSupport';

/**
 * `blocksparse evaluate <model.onnx> [other.onnx …] --data DIR|inputs.npy [--labels labels.npy]
 * [--preprocess resize=HxW,mean=…,std=…,scale=255,layout=nchw] [--limit N] [--json]`.
 */
export async function evaluateCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      labels: { type: 'string' },
      preprocess: { type: 'string', default: '' },
      limit: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length === 0) throw new UsageError('evaluate needs at least one model');
  if (!values.data) throw new UsageError('evaluate needs --data DIR or --data inputs.npy');
  const preprocess = values.preprocess ? parsePreprocess(values.preprocess) : DEFAULT_PREPROCESS;
  if (typeof preprocess === 'string') throw new UsageError(`--preprocess: ${preprocess}`);
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0))
    throw new UsageError('--limit must be a positive integer');
  const r = await evaluateModels(positionals, {
    data: values.data,
    labels: values.labels,
    preprocess,
    limit,
  });
  if (r.ok === 'cancelled') return 2;
  if (!r.ok) {
    io.err(oneLine(positionals[0], r.error));
    return 2;
  }
  io.out(values.json ? JSON.stringify(r.evaluation, null, 2) : evaluationText(r.evaluation));
  return 0;
}

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(2)}%`);

/** A table of top-1/top-5 per model, then the agreement with the first model. */
export function evaluationText(e: Evaluation): string {
  const lines = [
    `${e.samples} samples${e.labelled ? '' : ' (no labels: agreement only)'}, ${e.runtime}`,
  ];
  for (const m of e.models) lines.push(`  ${m.model}  top-1 ${pct(m.top1)}  top-5 ${pct(m.top5)}`);
  for (const a of e.agreement)
    lines.push(`  same top-1 as the first model: ${pct(a.top1)}  ${a.b}`);
  return lines.join('\n');
}
