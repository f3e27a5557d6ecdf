import { compressedBytes } from '../blocks/compressedBytes';
import { diag, type Diagnostic } from '../diagnostics';
import type { ExternalDataResolver } from '../onnx/byteSource';
import { ConstantScope } from '../onnx/constantScope';
import { defaultOpset, type GraphIR, type ModelIR, type NodeIR } from '../onnx/ir';
import {
  inferShapes,
  type ShapeOptions,
  type ShapeScope,
  type ShapeTable,
} from '../onnx/shapeInference';
import { product } from '../onnx/shapeRules';
import type { AnalysisReport, AnalysisTotals, LayerReport, ModelSummary } from './analysisReport';
import {
  DEFAULT_BLOCK,
  scanBlockBands,
  scanBlocks,
  scanUniformBlocks,
  type BlockGrid,
  type BlockShape,
  type WeightLayout,
} from '../blocks/blockGrid';
import type { Float32Scan } from '../onnx/tensorValues';
import { readWeightBands, type ConstantValue } from '../onnx/constantValue';
import { blockShades } from './blockShades';
import { constantInput, LAYER_OPS, layerWeight } from '../blocks/layerWeights';

/** Options of an analysis run. */
export interface AnalyzeOptions extends ShapeOptions {
  readonly block?: BlockShape;
  /** Reads external-data files; without it, models with external data report BS1013. */
  readonly resolver?: ExternalDataResolver;
  readonly onProgress?: (done: number, total: number) => void;
  readonly isCancelled?: () => boolean;
  /** Also grade every block by its RMS weight (detail.blockShade): one more pass per weight. */
  readonly blockShades?: boolean;
}

/**
 * Per-layer block-sparsity analysis of a model: every Conv, ConvTranspose, Gemm and MatMul
 * with a constant weight, in every graph. Weights are read one layer at a time.
 */
export function analyzeModel(model: ModelIR, options: AnalyzeOptions = {}): AnalysisReport {
  return analyzeModelWithShapes(model, options).report;
}

/** The analysis plus the inferred shapes of every graph (what the compiler lowers from). */
export interface AnalysisWithShapes {
  readonly report: AnalysisReport;
  readonly shapes: ShapeTable;
}

/** analyzeModel, also returning the shape table it inferred. */
export function analyzeModelWithShapes(
  model: ModelIR,
  options: AnalyzeOptions = {},
): AnalysisWithShapes {
  const block = options.block ?? DEFAULT_BLOCK;
  const diagnostics: Diagnostic[] = [];
  const constants = ConstantScope.forModel(model, options.resolver);
  const table = inferShapes(model.graph, constants, defaultOpset(model), options, diagnostics);

  const candidates: { graph: GraphIR; scope: ShapeScope; node: NodeIR }[] = [];
  for (const [graph, scope] of table) {
    for (const node of graph.nodes) {
      if (LAYER_OPS.has(node.opType) && (node.domain === '' || node.domain === 'ai.onnx')) {
        candidates.push({ graph, scope, node });
      }
    }
  }

  const layers: LayerReport[] = [];
  let cancelled = false;
  for (let i = 0; i < candidates.length; i++) {
    if (options.isCancelled?.()) {
      cancelled = true;
      break;
    }
    const { graph, scope, node } = candidates[i];
    const layer = analyzeLayer(
      graph,
      scope,
      node,
      block,
      diagnostics,
      options.blockShades === true,
    );
    if (layer) layers.push(layer);
    options.onProgress?.(i + 1, candidates.length);
  }
  // why folding stopped where it did, once each
  for (const note of constants.notes)
    if (!diagnostics.some((d) => d.code === note.code && d.node === note.node))
      diagnostics.push(note);
  const report: AnalysisReport = {
    model: summarize(model, table.get(model.graph)),
    block,
    layers,
    totals: totalsOf(layers),
    diagnostics,
    cancelled,
  };
  return { report, shapes: table };
}

function analyzeLayer(
  graph: GraphIR,
  scope: ShapeScope,
  node: NodeIR,
  block: BlockShape,
  diagnostics: Diagnostic[],
  withShades: boolean,
): LayerReport | undefined {
  const use = LAYER_OPS.get(node.opType);
  if (!use) return undefined;
  const name = graph.path ? `${graph.path}/${node.name}` : node.name;
  const get = (n: string) => scope.constants.get(n);
  const found = layerWeight(node, use, scope.constants, name);
  if ('missing' in found && found.missing === 'weight')
    return runtimeWeightLayer(graph, scope, node, name, diagnostics);
  if ('missing' in found) {
    diagnostics.push(
      diag(
        'BS3003',
        'warning',
        `${node.opType} weight zero point '${node.inputs[use.zeroPoint?.input ?? 0] ?? ''}' is computed at run time; the layer is left out`,
        name,
      ),
    );
    return undefined;
  }
  const weight = found.weight;
  const layout = use.layout(node, weight.dims);
  if (typeof layout === 'string') {
    diagnostics.push(diag('BS3002', 'warning', `${layout}; the layer is left out`, name));
    return undefined;
  }
  let grid: BlockGrid;
  let values: Float32Scan | undefined;
  let banded: BlockGrid | Diagnostic | undefined;
  if (weight.uniform !== undefined) {
    grid = scanUniformBlocks(weight.uniform, layout, block);
  } else if (!withShades && (banded = bandedGrid(weight, layout, block, name))) {
    if ('code' in banded) {
      diagnostics.push({ ...banded, message: `${banded.message}; the layer is left out` });
      return undefined;
    }
    grid = banded;
  } else {
    const read = weight.readScan();
    if ('code' in read) {
      diagnostics.push({
        ...read,
        message: `${read.message}; the layer is left out`,
        node: read.node ?? name,
      });
      return undefined;
    }
    values = read;
    grid = scanBlocks(values, layout, block);
  }
  const bias = constantInput(node, use.biasInput, get);
  const inputShape = scope.shape(node.inputs[use.dataInput] ?? '') ?? null;
  const outputShape = scope.shape(node.outputs[0] ?? '') ?? null;
  const cout = layout.groups * layout.coutPerGroup;
  const cinTotal = layout.groups * layout.cinPerGroup;
  const depthwise = layout.groups > 1 && layout.groups === cinTotal;
  return {
    name,
    op: node.opType,
    weight: weight.sourceName,
    weightKind: weight.stored ? 'stored' : weight.folded ? 'folded' : 'inline',
    weightShape: [...weight.dims],
    group: layout.groups,
    params: grid.elements + (bias ? product(bias.dims) : 0),
    macs: use.macs(layout, inputShape ?? undefined, outputShape ?? undefined),
    inputShape: inputShape ? [...inputShape] : null,
    outputShape: outputShape ? [...outputShape] : null,
    blocks: grid.blocks,
    zeroBlocks: grid.zeroBlocks,
    blockSparsity: grid.blocks ? grid.zeroBlocks / grid.blocks : 0,
    elementSparsity: grid.elements ? grid.zeroElements / grid.elements : 0,
    denseBytesInt8: grid.elements,
    compressedBytesInt8: compressedBytes(grid.nonZeroBlockElements, cout, grid.blocks),
    sparsifiable: layout.cinPerGroup >= block.in && !depthwise,
    detail: {
      graphPath: graph.path,
      nodeIndex: node.index,
      cout,
      cinPerGroup: layout.cinPerGroup,
      kernelShape: use.kernelShape(weight.dims),
      inputBytesInt8: inputShape ? product(inputShape) : null,
      outputBytesInt8: outputShape ? product(outputShape) : null,
      weightVia: weight.via,
      blockRows: grid.rows,
      blockCols: grid.cols,
      blockMask: grid.nonZero,
      ...(withShades && values ? { blockShade: blockShades(values, layout, block) } : {}),
      nodeMetadata: node.metadata,
    },
  };
}

/** The grid of a weight read in bands (readWeightBands), or undefined when it is read whole. */
function bandedGrid(
  weight: ConstantValue,
  layout: WeightLayout,
  block: BlockShape,
  name: string,
): BlockGrid | Diagnostic | undefined {
  const bands = readWeightBands(weight, name);
  return bands && scanBlockBands(bands, layout, block);
}

/**
 * A layer whose second operand is computed at run time (attention's Q·Kᵀ, a weight produced by
 * another op): listed with its MACs from the inferred shapes, without weight blocks, and said.
 */
function runtimeWeightLayer(
  graph: GraphIR,
  scope: ShapeScope,
  node: NodeIR,
  name: string,
  diagnostics: Diagnostic[],
): LayerReport | undefined {
  const use = LAYER_OPS.get(node.opType);
  if (!use) return undefined;
  const weightName = node.inputs[use.weightInput] ?? '';
  const dims = scope.shape(weightName);
  const inputShape = scope.shape(node.inputs[use.dataInput] ?? '') ?? null;
  const outputShape = scope.shape(node.outputs[0] ?? '') ?? null;
  const layout = dims ? use.layout(node, dims) : undefined;
  const macs =
    layout && typeof layout !== 'string'
      ? use.macs(layout, inputShape ?? undefined, outputShape ?? undefined)
      : null;
  diagnostics.push(
    diag(
      'BS3001',
      'warning',
      `${node.opType} multiplies two run-time tensors ('${node.inputs[use.dataInput] ?? ''}' x '${weightName}'): ` +
        `listed with ${macs === null ? 'unknown' : macs.toLocaleString('en-US')} MACs and no weight blocks; it is not sparsifiable and runs on the CPU`,
      name,
    ),
  );
  if (!layout || typeof layout === 'string') return undefined;
  const cout = layout.groups * layout.coutPerGroup;
  return {
    name,
    op: node.opType,
    weight: weightName,
    weightKind: 'runtime',
    weightShape: dims ? [...dims] : [],
    group: layout.groups,
    params: 0,
    macs,
    inputShape: inputShape ? [...inputShape] : null,
    outputShape: outputShape ? [...outputShape] : null,
    blocks: 0,
    zeroBlocks: 0,
    blockSparsity: 0,
    elementSparsity: 0,
    denseBytesInt8: 0,
    compressedBytesInt8: 0,
    sparsifiable: false,
    detail: {
      graphPath: graph.path,
      nodeIndex: node.index,
      cout,
      cinPerGroup: layout.cinPerGroup,
      kernelShape: dims ? use.kernelShape(dims) : [],
      inputBytesInt8: inputShape ? product(inputShape) : null,
      outputBytesInt8: outputShape ? product(outputShape) : null,
      weightVia: [],
      blockRows: 0,
      blockCols: 0,
      blockMask: new Uint8Array(0),
      nodeMetadata: node.metadata,
    },
  };
}

function totalsOf(layers: readonly LayerReport[]): AnalysisTotals {
  const sum = (f: (l: LayerReport) => number) => layers.reduce((a, l) => a + f(l), 0);
  return {
    layers: layers.length,
    params: sum((l) => l.params),
    macs: sum((l) => l.macs ?? 0),
    blocks: sum((l) => l.blocks),
    zeroBlocks: sum((l) => l.zeroBlocks),
    denseBytesInt8: sum((l) => l.denseBytesInt8),
    compressedBytesInt8: sum((l) => l.compressedBytesInt8),
  };
}

function summarize(model: ModelIR, scope: ShapeScope | undefined): ModelSummary {
  const opCounts: Record<string, number> = {};
  const count = (g: GraphIR) => {
    for (const n of g.nodes) {
      opCounts[n.opType] = (opCounts[n.opType] ?? 0) + 1;
      for (const a of n.attributes.values()) {
        if (a.type === 'graph') count(a.value);
        if (a.type === 'graphs') a.value.forEach(count);
      }
    }
  };
  count(model.graph);
  const producer = [model.producerName, model.producerVersion].filter(Boolean).join(' ');
  return {
    irVersion: model.irVersion,
    producer,
    opset: defaultOpset(model),
    graphName: model.graph.name,
    nodes: model.graph.nodes.length,
    inputs: model.graph.inputs
      .filter((i) => !model.graph.initializers.has(i.name))
      .map((i) => {
        const s = scope?.shape(i.name);
        const declared = i.shape
          ? i.shape.map((d) =>
              typeof d === 'number' && d > 0 ? d : typeof d === 'string' ? d : null,
            )
          : null;
        return { name: i.name, shape: s ? [...s] : null, declared };
      }),
    opCounts,
  };
}
