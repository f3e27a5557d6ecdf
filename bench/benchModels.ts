import * as fs from 'node:fs';
import * as path from 'node:path';
import { resnet50, vgg16 } from '../test/fixtures/models';

const CACHE = path.resolve('.cache', 'bench');

/**
 * Writes the full-size ResNet-50 fixture (about 100 MB) once, into the git-ignored cache:
 * dense (as trained) or with a fraction of its blocks planted as zero.
 */
export function resnet50File(zeroFraction: number): string {
  const file = path.join(CACHE, `resnet50-bs${Math.round(zeroFraction * 100)}.onnx`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(CACHE, { recursive: true });
    const tmp = `${file}.tmp`;
    fs.writeFileSync(tmp, resnet50({ zeroFraction }).bytes);
    fs.renameSync(tmp, file);
  }
  return file;
}

/** The full-size VGG-16 fixture (about 550 MB) with half its blocks zero, written once. */
export function vgg16File(): string {
  const file = path.join(CACHE, 'vgg16-bs50.onnx');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(CACHE, { recursive: true });
    const tmp = `${file}.tmp`;
    fs.writeFileSync(tmp, vgg16({ zeroFraction: 0.5 }).bytes);
    fs.renameSync(tmp, file);
  }
  return file;
}
