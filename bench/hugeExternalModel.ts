import * as fs from 'node:fs';
import * as path from 'node:path';
import { GIB } from '../src/core/units';
import { valueInfo } from '../test/fixtures/netBuilder';
import { Prng } from '../test/fixtures/prng';
import { encodeModel } from '../test/fixtures/specialModels';

const CACHE = path.resolve('.cache', 'bench', 'huge');
const CH = 2048;
const LAYER_BYTES = CH * CH * 9 * 4;

/**
 * A model whose weights are 5 GiB of external data (3x3 convs 2048 → 2048, float32, 144 MiB
 * each, every other 8x8 block zero), written once into the git-ignored cache. Too big for CI;
 * the benchmark uses it to show the analysis reads such a model with bounded memory.
 */
export function hugeExternalModel(): { file: string; dataBytes: number; layers: number } {
  const layers = Math.ceil((5 * GIB) / LAYER_BYTES);
  const file = path.join(CACHE, 'huge.onnx');
  const data = path.join(CACHE, 'huge.weights');
  const dataBytes = layers * LAYER_BYTES;
  if (fs.existsSync(file) && fs.statSync(data).size === dataBytes) {
    return { file, dataBytes, layers };
  }
  fs.mkdirSync(CACHE, { recursive: true });
  // one layer's weights, reused for every layer: the analysis reads each layer from the file
  const w = new Float32Array(CH * CH * 9);
  const rng = new Prng(5);
  for (let o = 0; o < CH; o++)
    for (let i = 0; i < CH; i++) {
      const zero = ((o >> 3) + (i >> 3)) % 2 === 0;
      for (let k = 0; k < 9; k++) w[(o * CH + i) * 9 + k] = zero ? 0 : rng.nonZeroWeight();
    }
  const bytes = new Uint8Array(w.buffer);
  const fd = fs.openSync(`${data}.tmp`, 'w');
  for (let l = 0; l < layers; l++) fs.writeSync(fd, bytes, 0, bytes.length, l * LAYER_BYTES);
  fs.closeSync(fd);
  fs.renameSync(`${data}.tmp`, data);
  const node = [];
  const initializer = [];
  for (let l = 0; l < layers; l++) {
    node.push({
      name: `conv${l}`,
      op_type: 'Conv',
      input: [l === 0 ? 'x' : `y${l - 1}`, `w${l}`],
      output: [`y${l}`],
      attribute: [
        { name: 'kernel_shape', type: 7, ints: [3, 3] },
        { name: 'pads', type: 7, ints: [1, 1, 1, 1] },
      ],
    });
    initializer.push({
      name: `w${l}`,
      data_type: 1,
      dims: [CH, CH, 3, 3],
      data_location: 1,
      external_data: [
        { key: 'location', value: 'huge.weights' },
        { key: 'offset', value: String(l * LAYER_BYTES) },
        { key: 'length', value: String(LAYER_BYTES) },
      ],
    });
  }
  const model = encodeModel({
    ir_version: 8,
    opset_import: [{ domain: '', version: 17 }],
    graph: {
      name: 'huge',
      node,
      initializer,
      input: [valueInfo('x', [1, CH, 7, 7])],
      output: [valueInfo(`y${layers - 1}`, [1, CH, 7, 7])],
    },
  });
  fs.writeFileSync(file, model);
  return { file, dataBytes, layers };
}
