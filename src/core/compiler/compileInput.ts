import type { AnalysisWithShapes } from '../analysis/analyzeModel';
import type { ModelIR } from '../onnx/ir';
import type { CompileInput } from './compile';

/** The compiler's input from a decoded model and its analysis (main graph only). */
export function compileInputFrom(model: ModelIR, analysis: AnalysisWithShapes): CompileInput {
  const shapes = analysis.shapes.get(model.graph);
  if (!shapes) throw new Error('analysis bug: no shapes for the main graph');
  const layers = new Map(
    analysis.report.layers.filter((l) => l.detail.graphPath === '').map((l) => [l.name, l]),
  );
  return { graph: model.graph, shapes, layers };
}
