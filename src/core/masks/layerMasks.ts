/**
 * Block masks for PyTorch fine-tuning (the paper's recipe: compute the mask once, fine-tune with
 * it held fixed). Each sparsifiable layer's block mask is expanded to a uint8 0/1 tensor in the
 * shape of the PyTorch weight and keyed by the module that owns it. This joins the analysis (the
 * block grid) with the source map (module paths), its two peers, hence its own folder above them.
 */
import type { AnalysisReport, LayerReport } from '../analysis/analysisReport';
import { layerWeight, LAYER_OPS } from '../blocks/layerWeights';
import type { ExternalDataResolver } from '../onnx/byteSource';
import type { ModelIR, NodeIR } from '../onnx/ir';
import { graphsOf } from '../sparsify/planSparsify';
import { modulePathOf } from '../sourceMap/torchSource';
import { encodeSafetensors, type SafeTensor } from './safetensors';
import { sha256Hex } from './sha256';

/** What the mask file says of one layer (in `__metadata__.layers`). */
export interface MaskEntry {
  /** The tensor's name: `<module path>.weight_mask`, or the ONNX initializer's name. */
  readonly key: string;
  /** The PyTorch module path, or null when neither metadata nor names give one. */
  readonly module: string | null;
  readonly node: string;
  readonly initializer: string;
  readonly op: string;
  /** The PyTorch weight's shape: [Cout, Cin/groups, kh, kw]; Linear [out, in]. */
  readonly shape: readonly number[];
  /** Zero-block fraction asked for (Sparsify's target), or null when unknown. */
  readonly target: number | null;
  /** Zero-block fraction of the mask. */
  readonly achieved: number;
  /** SHA-256 of the ONNX weight as float32 little-endian, in ONNX order. */
  readonly sha256: string;
}

export interface LayerMasks {
  readonly entries: readonly MaskEntry[];
  readonly tensors: readonly SafeTensor[];
  /** Layers without a mask and why (not sparsifiable, a shared weight, ...). */
  readonly skipped: readonly { readonly name: string; readonly why: string }[];
}

/** The format tag of the file's metadata: readers check it before trusting the layout. */
export const MASK_FORMAT = 'blocksparse.masks/1';

/** `layer1.0.conv1.weight` → `layer1.0.conv1` (an exporter that kept parameter names). */
function moduleFromInitializer(name: string): string | null {
  const m = /^([A-Za-z_][\w]*(?:\.[\w]+)*)\.weight$/.exec(name);
  return m ? m[1] : null;
}

/** The module path of a layer: from torch.onnx's node name, else from its weight's name. */
function moduleOf(layer: LayerReport): string | null {
  if (layer.detail.graphPath === '') {
    const fromNode = modulePathOf(layer.name);
    if (fromNode) return fromNode.module;
  }
  return moduleFromInitializer(layer.weight);
}

/** The mask in PyTorch layout from the block mask (1 where the element's block is non-zero). */
function expandMask(layer: LayerReport, node: NodeIR, block: AnalysisReport['block']) {
  const { blockMask, blockRows: rows, blockCols: cols, cout, cinPerGroup: cinG } = layer.detail;
  const groups = layer.group;
  const coutG = cout / groups;
  const kernel = layer.detail.kernelShape.reduce((a, b) => a * b, 1);
  const nonZero = (g: number, o: number, c: number) =>
    blockMask[(g * rows + Math.floor(o / block.out)) * cols + Math.floor(c / block.in)];
  const base = LAYER_OPS.get(node.opType)?.base;
  if (base === 'Gemm' || base === 'MatMul') {
    // torch.nn.Linear keeps [out, in] whatever the exporter wrote (transB, MatMul's [K, N])
    const mask = new Uint8Array(cout * cinG);
    for (let o = 0; o < cout; o++)
      for (let c = 0; c < cinG; c++) mask[o * cinG + c] = nonZero(0, o, c);
    return { shape: [cout, cinG], mask };
  }
  const mask = new Uint8Array(cout * cinG * kernel);
  if (base === 'ConvTranspose') {
    // [Cin, Cout/groups, k...]
    for (let g = 0; g < groups; g++)
      for (let c = 0; c < cinG; c++)
        for (let o = 0; o < coutG; o++)
          mask.fill(
            nonZero(g, o, c),
            ((g * cinG + c) * coutG + o) * kernel,
            ((g * cinG + c) * coutG + o + 1) * kernel,
          );
    return { shape: [cinG * groups, coutG, ...layer.detail.kernelShape], mask };
  }
  for (let g = 0; g < groups; g++)
    for (let o = 0; o < coutG; o++)
      for (let c = 0; c < cinG; c++) {
        const at = ((g * coutG + o) * cinG + c) * kernel;
        mask.fill(nonZero(g, o, c), at, at + kernel);
      }
  return { shape: [cout, cinG, ...layer.detail.kernelShape], mask };
}

/**
 * The masks of every sparsifiable layer with a stored or folded weight, from an analysis of the
 * model. `targets` gives the ratio Sparsify aimed at per layer (by layer name) when known.
 */
export function layerMasks(
  model: ModelIR,
  report: AnalysisReport,
  targets: ReadonlyMap<string, number | null> = new Map(),
  resolver?: ExternalDataResolver,
): LayerMasks {
  const entries: MaskEntry[] = [];
  const tensors: SafeTensor[] = [];
  const skipped: { name: string; why: string }[] = [];
  // each graph with its constant scope (subgraphs read the enclosing graphs' constants)
  const scopes = new Map(graphsOf(model, resolver).map(([g, scope]) => [g.path, { g, scope }]));
  const keys = new Set<string>();
  for (const layer of report.layers) {
    if (!layer.sparsifiable || layer.weightKind === 'runtime') {
      skipped.push({
        name: layer.name,
        why: layer.weightKind === 'runtime' ? 'no constant weight' : 'not sparsifiable',
      });
      continue;
    }
    const at = scopes.get(layer.detail.graphPath);
    const node = at?.g.nodes[layer.detail.nodeIndex];
    const use = node && LAYER_OPS.get(node.opType);
    if (!at || !node || !use) {
      skipped.push({ name: layer.name, why: 'its node is not in the model' });
      continue;
    }
    const found = layerWeight(node, use, at.scope, layer.name);
    const values = 'weight' in found ? found.weight.readScan() : undefined;
    if (!values || 'code' in values) {
      skipped.push({ name: layer.name, why: 'its weight cannot be read' });
      continue;
    }
    const module = moduleOf(layer);
    const key = module ? `${module}.weight_mask` : layer.weight;
    if (keys.has(key)) {
      skipped.push({
        name: layer.name,
        why: `its weight shares the mask '${key}' of an earlier layer`,
      });
      continue;
    }
    keys.add(key);
    const { shape, mask } = expandMask(layer, node, report.block);
    tensors.push({ name: key, dtype: 'U8', shape, data: mask });
    entries.push({
      key,
      module,
      node: layer.name,
      initializer: layer.weight,
      op: layer.op,
      shape,
      target: targets.get(layer.name) ?? null,
      achieved: layer.blocks ? layer.zeroBlocks / layer.blocks : 0,
      sha256: sha256Hex(new Uint8Array(values.buffer, values.byteOffset, values.byteLength)),
    });
  }
  return { entries, tensors, skipped };
}

/** The safetensors file of a set of masks, as parts to write in order. */
export function maskFile(masks: LayerMasks, block: AnalysisReport['block']): Uint8Array[] | string {
  return encodeSafetensors(masks.tensors, {
    format: MASK_FORMAT,
    block: `${block.out}x${block.in}`,
    layers: JSON.stringify(masks.entries),
  });
}
