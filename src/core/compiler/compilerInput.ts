import type { AnalysisWithShapes } from '../analysis/analyzeModel';
import type { BlockMask } from '../blocks/blockMask';
import type { GraphIR, ModelIR } from '../onnx/ir';
import type { ShapeScope } from '../onnx/shapeInference';

/** The block shape of the hardware: 8 output x 8 input channels, the whole kernel. */
export const HARDWARE_BLOCK = { out: 8, in: 8 } as const;

/** An 8x8 block mask: the only one the compiler accepts (other shapes are what-ifs of the analysis). */
export interface HardwareBlockMask extends BlockMask {
  readonly block: typeof HARDWARE_BLOCK;
}

/** What the compiler needs of one layer with a constant weight. */
export interface CompilerLayer {
  readonly name: string;
  /** The stored tensor holding the weight. */
  readonly weight: string;
  readonly weightShape: readonly number[];
  readonly group: number;
  readonly cout: number;
  readonly cinPerGroup: number;
  /** MACs at the model's batch; null when a shape is unknown. */
  readonly macs: number | null;
  readonly mask: HardwareBlockMask;
}

/** The compiler's input: the main graph, its shapes, and its layers by node name. */
export interface CompilerInput {
  readonly graph: GraphIR;
  readonly shapes: ShapeScope;
  readonly layers: ReadonlyMap<string, CompilerLayer>;
}

/**
 * The compiler's input from a decoded model and its analysis (main graph only). The analysis must
 * use the hardware's 8x8 blocks: a what-if block shape describes no array, so it is refused.
 */
export function compilerInputFrom(model: ModelIR, analysis: AnalysisWithShapes): CompilerInput {
  const { block } = analysis.report;
  if (block.out !== HARDWARE_BLOCK.out || block.in !== HARDWARE_BLOCK.in) {
    throw new Error(
      `the compiler takes 8x8 block masks (the hardware's); this analysis used ${block.out}x${block.in}`,
    );
  }
  const shapes = analysis.shapes.get(model.graph);
  if (!shapes) throw new Error('analysis bug: no shapes for the main graph');
  const layers = new Map<string, CompilerLayer>();
  for (const l of analysis.report.layers) {
    if (l.detail.graphPath !== '') continue;
    layers.set(l.name, {
      name: l.name,
      weight: l.weight,
      weightShape: l.weightShape,
      group: l.group,
      cout: l.detail.cout,
      cinPerGroup: l.detail.cinPerGroup,
      macs: l.macs,
      mask: {
        block: HARDWARE_BLOCK,
        rows: l.detail.blockRows,
        cols: l.detail.blockCols,
        groups: l.group,
        nonZero: l.detail.blockMask,
      },
    });
  }
  return { graph: model.graph, shapes, layers };
}
