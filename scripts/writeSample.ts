// Writes the bundled sample model (generated, not committed): a ResNet-50 at a quarter of its
// width with 50% of its 8x8 blocks zero, about 6 MB. `npm start` analyses it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resnet50 } from '../test/fixtures/models';

export const SAMPLE = path.resolve('samples', 'resnet50-quarter-bs50.onnx');

if (!fs.existsSync(SAMPLE)) {
  fs.mkdirSync(path.dirname(SAMPLE), { recursive: true });
  const tmp = `${SAMPLE}.tmp`;
  fs.writeFileSync(tmp, resnet50({ widthDivisor: 4, zeroFraction: 0.5 }).bytes);
  fs.renameSync(tmp, SAMPLE);
}
