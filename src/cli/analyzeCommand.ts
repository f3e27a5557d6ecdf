import { parseArgs } from 'node:util';
import { parseBlockShape } from '../core/blocks/blockGrid';
import { analysisTable } from '../core/report/analysisTable';
import { analyzeFile } from '../node/analyzeFile';
import {
  oneLine,
  oneModel,
  printDiagnostics,
  SHAPE_OPTIONS,
  shapeOptions,
  UsageError,
  type CliIo,
} from './cliSupport';
import { analysisJson } from './reportJson';

/** `blocksparse analyze <model.onnx> [--json] [--block 8x8] [--input name=NxCxHxW]`. */
export function analyzeCommand(args: string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      block: { type: 'string', default: '8x8' },
      ...SHAPE_OPTIONS,
    },
  });
  const file = oneModel(positionals, 'analyze');
  const block = parseBlockShape(values.block ?? '8x8');
  if (!block) throw new UsageError(`--block '${values.block}': expected OxI, e.g. 8x8`);
  const result = analyzeFile(file, { block, ...shapeOptions(values) });
  if (!result.ok) {
    io.err(oneLine(file, result.error));
    return 2;
  }
  if (values.json) io.out(JSON.stringify(analysisJson(file, result.report), null, 2));
  else {
    io.out(analysisTable(file, result.report));
    printDiagnostics(io, result.report.diagnostics);
  }
  return 0;
}
