import { parseArgs } from 'node:util';
import { parseBlockShape } from '../core/blocks/blockGrid';
import { writeMasksFile, type MasksFileResult } from '../node/masksFile';
import { oneLine, oneModel, UsageError, type CliIo } from './cliSupport';

/** `blocksparse masks <model.onnx> --out masks.safetensors [--block 8x8] [--force] [--json]`. */
export function masksCommand(args: string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      block: { type: 'string', default: '8x8' },
      force: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const file = oneModel(positionals, 'masks');
  if (!values.out) throw new UsageError('masks needs --out FILE.safetensors');
  const block = parseBlockShape(values.block ?? '8x8');
  if (!block) throw new UsageError(`--block '${values.block}': expected OxI, e.g. 8x8`);
  const result = writeMasksFile(file, { out: values.out, block, force: values.force });
  if (!result.ok) {
    io.err(oneLine(file, result.error));
    return 2;
  }
  io.out(values.json ? JSON.stringify(masksJson(result), null, 2) : masksText(result));
  return 0;
}

type Written = Extract<MasksFileResult, { ok: true }>;

/** The CLI's JSON for a written mask file: where, and per layer what the file's metadata says. */
export function masksJson(r: Written) {
  return { out: r.out, layers: r.masks.entries, skipped: r.masks.skipped };
}

/** One line per mask, then the layers without one. */
export function masksText(r: Written): string {
  const lines = [`${r.out}: ${r.masks.entries.length} masks`];
  for (const e of r.masks.entries)
    lines.push(
      `  ${e.key}  [${e.shape.join(', ')}]  ${(e.achieved * 100).toFixed(1)}% zero blocks${e.module ? '' : '  (no PyTorch module path: keyed by the ONNX initializer)'}`,
    );
  for (const s of r.masks.skipped) lines.push(`  skipped ${s.name}: ${s.why}`);
  return lines.join('\n');
}
