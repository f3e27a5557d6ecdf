import { parseArgs } from 'node:util';
import { DEFAULT_BLOCK } from '../core/blocks/blockGrid';
import { modelDiff, diffText } from '../core/report/modelDiff';
import { modelViewReportFile } from '../node/modelViewReport';
import { oneLine, SHAPE_OPTIONS, shapeOptions, UsageError, type CliIo } from './cliSupport';
import { ESTIMATE_OPTIONS, estimateSettingsFrom } from './simulateCommand';

/**
 * `blocksparse diff <a.onnx> <b.onnx> [--json] [--all] [--arch …] [--precision …] [--model …]`:
 * the two models layer by layer (block sparsity, compressed bytes, dense and sparse time,
 * speedup) with the differences and the totals, as the Compare Models view shows them.
 */
export function diffCommand(args: string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...ESTIMATE_OPTIONS,
      json: { type: 'boolean', default: false },
      all: { type: 'boolean', default: false },
      ...SHAPE_OPTIONS,
    },
  });
  if (positionals.length !== 2) throw new UsageError('diff takes two model files: a and b');
  const [fileA, fileB] = positionals;
  const settings = estimateSettingsFrom(values, io);
  if (typeof settings === 'number') return settings;
  const shapes = shapeOptions(values);
  const reports = [];
  for (const file of [fileA, fileB]) {
    const r = modelViewReportFile(file, {
      ...shapes,
      block: DEFAULT_BLOCK,
      ...settings,
      withoutGraph: true,
    });
    if (!r.ok) {
      io.err(oneLine(file, r.error));
      return 2;
    }
    reports.push(r.report);
  }
  const diff = modelDiff(reports[0], reports[1]);
  if (values.json)
    io.out(
      JSON.stringify(
        {
          a: fileA,
          b: fileB,
          arch: settings.arch.name,
          precision: settings.precision,
          model: settings.model.kind,
          ...diff,
        },
        null,
        2,
      ),
    );
  else io.out(diffText(fileA, fileB, diff, values.all));
  return 0;
}
