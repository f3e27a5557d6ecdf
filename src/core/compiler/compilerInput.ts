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
  /** Its second operand is computed at run time (activation x activation): no weight. */
  readonly runtimeWeight: boolean;
}

/** The compiler's input: the main graph, its shapes, and its layers by node name. */
export interface CompilerInput {
  readonly graph: GraphIR;
  readonly shapes: ShapeScope;
  readonly layers: ReadonlyMap<string, CompilerLayer>;
  /** The analysis's MACs over every layer of every graph (coverage accounts for all of them). */
  readonly totalMacs: number;
  /** MACs of the layers inside each main-graph node's subgraphs (If/Loop/Scan bodies). */
  readonly nestedMacs: ReadonlyMap<string, number>;
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
  const nestedMacs = new Map<string, number>();
  for (const l of analysis.report.layers) {
    if (l.detail.graphPath !== '') {
      // graph paths are `node/attr[/node/attr...]`: the main-graph node that holds the body
      const top = topNode(model.graph, l.detail.graphPath);
      nestedMacs.set(top, (nestedMacs.get(top) ?? 0) + (l.macs ?? 0));
      continue;
    }
    layers.set(l.name, {
      name: l.name,
      weight: l.weight,
      weightShape: l.weightShape,
      group: l.group,
      cout: l.detail.cout,
      cinPerGroup: l.detail.cinPerGroup,
      macs: l.macs,
      runtimeWeight: l.weightKind === 'runtime',
      mask: {
        block: HARDWARE_BLOCK,
        rows: l.detail.blockRows,
        cols: l.detail.blockCols,
        groups: l.group,
        nonZero: l.detail.blockMask,
      },
    });
  }
  return {
    graph: model.graph,
    shapes,
    layers,
    totalMacs: analysis.report.totals.macs,
    nestedMacs,
  };
}

/** The main-graph node whose subgraph a graph path starts in (node names may contain '/'). */
function topNode(graph: GraphIR, graphPath: string): string {
  let best = '';
  for (const n of graph.nodes)
    if (graphPath.startsWith(`${n.name}/`) && n.name.length > best.length) best = n.name;
  return best || graphPath.split('/')[0];
}
