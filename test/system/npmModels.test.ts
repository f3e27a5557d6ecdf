import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { REFINED_CHOICES } from '../../src/core/compiler/choices';
import { isnetModel, OCR, VAD, WAKE_WORD } from '../support/npmModels';
import { assertCoverageComplete, simulateBytes } from '../support/simulateBytes';

/**
 * Real models shipped in npm packages, with layer counts and MACs from an independent reference:
 * test/fixtures/python/macReference.py (Debian's python3-onnx 1.12: numpy folding of constant
 * nodes, then onnx.shape_inference.infer_shapes(data_prop=True), Shape of known tensors folded,
 * repeated), run as `/usr/bin/python3 test/fixtures/python/macReference.py MODEL name=dims`.
 */
interface NpmModel {
  readonly name: string;
  readonly file: () => string;
  readonly inputs: Readonly<Record<string, readonly number[]>>;
  readonly layers: number;
  /** null where the reference cannot infer every shape (said per model). */
  readonly macs: number | null;
}

const MODELS: NpmModel[] = [
  {
    name: 'PaddleOCR v4 det',
    file: () => path.join(OCR, 'ch_PP-OCRv4_det_infer.onnx'),
    inputs: { x: [1, 3, 640, 640] },
    layers: 64,
    // 62 Convs 2,233,122,944 (issue 11's figure counts those) + 2 ConvTranspose 68,812,800
    macs: 2_301_935_744,
  },
  {
    name: 'PaddleOCR v4 rec',
    file: () => path.join(OCR, 'ch_PP-OCRv4_rec_infer.onnx'),
    inputs: { x: [1, 3, 48, 320] },
    layers: 51,
    macs: 702_469_440,
  },
  {
    name: 'PaddleOCR v2 cls',
    file: () => path.join(OCR, 'ch_ppocr_mobile_v2.0_cls_infer.onnx'),
    inputs: { x: [1, 3, 48, 192] },
    layers: 54,
    macs: 16_315_376,
  },
  {
    name: 'Silero VAD v5',
    file: () => path.join(VAD, 'silero_vad_v5.onnx'),
    inputs: { input: [1, 512], state: [2, 1, 128], sr: [] },
    layers: 12,
    // the reference prints 896,256: onnx's inference merges the If branches without evaluating
    // their shape conditions and gives the 8 kHz branch's decoder conv 128 MACs; ONNX Runtime
    // 1.x fails in that branch at 512 samples (LSTM X {1,1,1,128,2}), so that conv never runs:
    // 896,256 - 128 (issue 11's figure)
    macs: 896_128,
  },
  {
    name: 'Silero VAD v6',
    file: () => path.join(VAD, 'silero_vad_v6.onnx'),
    inputs: { input: [1, 512], state: [2, 1, 128], sr: [] },
    layers: 12,
    macs: 896_128, // as v5
  },
  {
    name: 'Silero VAD legacy (v4)',
    file: () => path.join(VAD, 'silero_vad_legacy.onnx'),
    inputs: { input: [1, 512], h: [2, 1, 64], c: [2, 1, 64], sr: [] },
    layers: 36,
    // the reference counts the 36 convs but leaves two of them without shapes (its inference
    // stops inside the If bodies), so it gives no MAC total to compare with
    macs: null,
  },
  ...(
    [
      ['melspectrogram', { input: [1, 1280] }, 3, 1_356_960],
      ['embedding_model', { input_1: [1, 76, 32, 1] }, 20, 41_955_840],
      ['alexa_v0.1', {}, 3, 213_120],
      ['hey_jarvis_v0.1', {}, 6, 315_584],
      ['hey_mycroft_v0.1', {}, 3, 213_120],
      ['hey_rhasspy_v0.1', {}, 3, 50_208],
      ['timer_v0.1', {}, 3, 435_072],
      ['weather_v0.1', {}, 3, 286_848],
    ] as const
  ).map(([name, inputs, layers, macs]) => ({
    name: `openWakeWord ${name}`,
    file: () => path.join(WAKE_WORD, `${name}.onnx`),
    inputs,
    layers,
    macs,
  })),
  {
    name: 'IS-Net uint8 (ConvInteger)',
    file: () => isnetModel('small'),
    inputs: {},
    layers: 119,
    macs: 159_673_614_336,
  },
  {
    name: 'IS-Net float16',
    file: () => isnetModel('medium'),
    inputs: {},
    layers: 119,
    macs: 159_673_614_336,
  },
];

describe('npm-shipped models: layers and MACs equal an independent reference', function () {
  this.timeout(300_000);
  for (const m of MODELS) {
    it(`${m.name}: ${m.layers} layers, ${m.macs?.toLocaleString('en-US') ?? 'no reference'} MACs, every node and MAC covered`, () => {
      const inputShapes = new Map(Object.entries(m.inputs));
      const bytes = readFileSync(m.file());
      const paper = simulateBytes(bytes, { inputShapes });
      const { report } = paper.analysis;
      assert.equal(report.layers.length, m.layers, 'layers');
      if (m.macs !== null) assert.equal(report.totals.macs, m.macs, 'MACs');
      assert.ok(report.layers.every((l) => l.macs !== null || l.detail.graphPath !== ''));
      assertCoverageComplete(paper);
      const refined = simulateBytes(bytes, { inputShapes }, REFINED_CHOICES);
      const c = assertCoverageComplete(refined);
      // what the array does not run is there with its MACs: Silero's convs are all inside the
      // If on the sample rate, melspectrogram's STFT convs read [1, 1280] as a 1-D signal
      assert.equal(
        c.offArray.reduce((a, n) => a + n.macs, 0),
        c.macsCpu,
        'the off-array list carries every CPU MAC',
      );
    });
  }

  it("PaddleOCR det's Convs alone make issue 11's figure, 2,233,122,944 MACs", () => {
    const s = simulateBytes(readFileSync(path.join(OCR, 'ch_PP-OCRv4_det_infer.onnx')), {
      inputShapes: new Map([['x', [1, 3, 640, 640]]]),
    });
    const convMacs = s.analysis.report.layers
      .filter((l) => l.op === 'Conv')
      .reduce((a, l) => a + (l.macs ?? 0), 0);
    assert.equal(convMacs, 2_233_122_944);
  });

  it('IS-Net uint8: every layer is a ConvInteger read less its zero point; int8 bytes as stored', () => {
    const s = simulateBytes(readFileSync(isnetModel('small')));
    const layers = s.analysis.report.layers;
    assert.ok(
      layers.every((l) => l.op === 'ConvInteger' && l.detail.weightVia.includes('zero point')),
    );
    // int8 bytes as stored: the 119 ConvInteger weights hold 44,003,520 uint8 elements (numpy
    // sum over the initializers named by each ConvInteger's input 1), per-tensor zero points
    assert.equal(s.analysis.report.totals.denseBytesInt8, 44_003_520);
    assert.equal(s.analysis.report.totals.params, 44_003_520);
  });

  it('Silero VAD v5 at 8 kHz with 512 samples: the LSTM input is said to be wrong, as ONNX Runtime finds', () => {
    const s = simulateBytes(readFileSync(path.join(VAD, 'silero_vad_v5.onnx')), {
      inputShapes: new Map(Object.entries({ input: [1, 512], state: [2, 1, 128] })),
    });
    // the decoder's two LSTMs (one per branch of its own If), both in the 8 kHz branch
    const lstm = s.analysis.report.diagnostics.filter((d) => d.code === 'BS2001');
    assert.equal(lstm.length, 2);
    for (const d of lstm) {
      assert.match(
        d.message,
        /LSTM: the input \[1, 1, 1, 128, 2\] must be \[seq, batch, features\]/,
      );
      assert.match(d.node ?? '', /^If_0\/else_branch\/.*\/LSTM$/);
    }
  });
});
