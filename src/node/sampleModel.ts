import * as fs from 'node:fs';
import * as path from 'node:path';
import { resnet50 } from '../core/samples/models';
import { writeFileAtomic } from './atomicWrite';

/** The sample's file name: what `npm start`, the walkthrough and the README open. */
export const SAMPLE_FILE = 'resnet50-quarter-bs50.onnx';

/** What the sample is, in a sentence (the walkthrough and the notifications say it). */
export const SAMPLE_DESCRIPTION =
  'ResNet-50 at a quarter of its width with 50% of its 8x8 weight blocks zero (generated, about 8 MB)';

/**
 * Writes the sample model into `folder` unless it is there: generated (deterministic, so every
 * machine gets the same file), written to a temporary file and renamed. Returns its path.
 */
export function ensureSampleModel(folder: string): { file: string; created: boolean } {
  const file = path.join(folder, SAMPLE_FILE);
  if (fs.existsSync(file)) return { file, created: false };
  fs.mkdirSync(folder, { recursive: true });
  writeFileAtomic(file, resnet50({ widthDivisor: 4, zeroFraction: 0.5 }).bytes);
  return { file, created: true };
}
