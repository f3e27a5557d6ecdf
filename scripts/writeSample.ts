// Writes the sample model into samples/ (generated, not committed; see src/node/sampleModel.ts).
// `npm start` opens it in VS Code; `npx blocksparse analyze samples/…` reads it.
import * as path from 'node:path';
import { ensureSampleModel } from '../src/node/sampleModel';

const { file, created } = ensureSampleModel(path.resolve('samples'));
console.log(`${created ? 'wrote' : 'have'} ${path.relative(process.cwd(), file)}`);
