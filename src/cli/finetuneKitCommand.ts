import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { writeFinetuneKit } from '../node/finetuneKit';
import { writeMasksFile } from '../node/masksFile';
import { oneLine, UsageError, type CliIo } from './cliSupport';
import { masksText } from './masksCommand';

/**
 * `blocksparse finetune-kit --out DIR [--model sparse.onnx] [--force]`: the Python module and
 * README for fine-tuning with fixed masks, and the model's masks beside them when given.
 */
export function finetuneKitCommand(args: string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      model: { type: 'string' },
      force: { type: 'boolean', default: false },
    },
  });
  if (positionals.length > 0)
    throw new UsageError(`finetune-kit takes no file; use --model ${positionals[0]}`);
  if (!values.out) throw new UsageError('finetune-kit needs --out DIR');
  const kit = writeFinetuneKit(values.out, values.force);
  if (!kit.ok) {
    io.err(oneLine(values.out, kit.error));
    return 2;
  }
  for (const f of kit.files) io.out(`wrote ${f}`);
  if (values.model) {
    const masks = writeMasksFile(values.model, {
      out: path.join(values.out, 'masks.safetensors'),
      force: values.force,
    });
    if (!masks.ok) {
      io.err(oneLine(values.model, masks.error));
      return 2;
    }
    io.out(masksText(masks));
  }
  return 0;
}
