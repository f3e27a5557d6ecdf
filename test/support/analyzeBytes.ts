import { strict as assert } from 'node:assert';
import { analyzeModel, type AnalyzeOptions } from '../../src/core/analysis/analyzeModel';
import { decodeModel } from '../../src/core/onnx/decodeModel';
import type { AnalysisReport } from '../../src/core/analysis/analysisReport';
import type { LayerTruth } from '../fixtures/netBuilder';

/** Decodes and analyses model bytes, failing the test if the model does not decode. */
export function analyzeBytes(bytes: Uint8Array, options: AnalyzeOptions = {}): AnalysisReport {
  const decoded = decodeModel(bytes);
  assert.ok(
    decoded.model,
    `decode failed: ${decoded.diagnostics.map((d) => d.message).join('; ')}`,
  );
  return analyzeModel(decoded.model, options);
}

/** Asserts that the analysis found exactly what the fixture builder planted, layer by layer. */
export function assertMatchesTruths(report: AnalysisReport, truths: readonly LayerTruth[]): void {
  assert.equal(report.layers.length, truths.length, 'layer count');
  truths.forEach((t, i) => {
    const l = report.layers[i];
    assert.deepEqual(
      {
        name: l.name,
        op: l.op,
        weight: l.weight,
        weightShape: l.weightShape,
        group: l.group,
        params: l.params,
        macs: l.macs,
        inputShape: l.inputShape,
        outputShape: l.outputShape,
        blocks: l.blocks,
        zeroBlocks: l.zeroBlocks,
        elementSparsity: l.elementSparsity,
        sparsifiable: l.sparsifiable,
      },
      {
        name: t.name,
        op: t.op,
        weight: t.weight,
        weightShape: t.weightShape,
        group: t.group,
        params: t.params,
        macs: t.macs,
        inputShape: t.inputShape,
        outputShape: t.outputShape,
        blocks: t.blocks,
        zeroBlocks: t.zeroBlocks,
        elementSparsity: t.zeroElements / t.weightShape.reduce((a, b) => a * b, 1),
        sparsifiable: t.sparsifiable,
      },
      `layer ${i} (${t.name})`,
    );
  });
}
