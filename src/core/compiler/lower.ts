import { attrInt, attrInts } from '../onnx/attributes';
import type { NodeIR } from '../onnx/ir';
import { topologicalOrder } from '../onnx/shapeInference';
import type { CompilerChoices } from './choices';
import type { CompilerInput } from './compilerInput';
import type {
  ActLayout,
  ActTensor,
  CpuNode,
  LoweredNetwork,
  LoweredOp,
  NodeClass,
  OpKind,
} from './network';
import type { CompileDiagnostics } from './passContext';

/** Ops that only rename a tensor: they vanish (AIE2-MODEL.md §3.1). */
const ALIASES = new Set(['Identity', 'Dropout']);
/**
 * Type conversions and (de)quantization of activations: the array computes in int8 (or bf16),
 * so these are its datapath, fused into the neighbouring op (ONNX Runtime's dynamic
 * quantization writes DynamicQuantizeLinear → ConvInteger → Cast → Mul per layer).
 */
const DATAPATH = new Set(['Cast', 'QuantizeLinear', 'DequantizeLinear', 'DynamicQuantizeLinear']);
/** Outputs that describe a tensor, not its values: known before the run for static shapes. */
const SHAPE_OPS = new Set(['Shape', 'Size']);
/**
 * Layout changes: on the array a tensor is H x W x C, so turning it into a vector (or reordering
 * its axes) is a data movement the paper's compiler leaves to the CPU (PAPER-COMPILER.md rule 1).
 * With the classifier on the array, Flatten/Squeeze/Unsqueeze and a Reshape into a vector are
 * just renames.
 */
const LAYOUT_CHANGES = new Set(['Flatten', 'Reshape', 'Squeeze', 'Unsqueeze', 'Transpose']);
/** Activations that fuse into the op producing their input. */
const FUSIBLE_ACTIVATIONS = new Set(['Relu', 'Clip']);
/** The layer ops that run as a convolution, by family. */
const CONV_OPS = new Set(['Conv', 'ConvInteger', 'QLinearConv']);
const MATMUL_OPS = new Set(['Gemm', 'MatMul', 'MatMulInteger', 'QLinearMatMul']);
/** Ops that read a rank-3 tensor as [N, C, L] (channels second), like Conv1d. */
const CHANNELS_SECOND = new Set([
  ...CONV_OPS,
  'ConvTranspose',
  'MaxPool',
  'AveragePool',
  'GlobalAveragePool',
  'BatchNormalization',
]);

type MutableOp = LoweredOp & { fused: string[]; fusedNodes: string[] };

function pads4(node: NodeIR, spatial: number): [number, number, number, number] {
  const p = attrInts(node, 'pads');
  if (spatial === 1) return [0, p?.[0] ?? 0, 0, p?.[1] ?? 0];
  return [p?.[0] ?? 0, p?.[1] ?? 0, p?.[2] ?? 0, p?.[3] ?? 0];
}

/** [h, w] of a 1-D or 2-D window attribute (1-D windows run with height 1). */
function window2(values: readonly number[] | undefined, fallback: number): [number, number] {
  if (!values || values.length === 0) return [fallback, fallback];
  if (values.length === 1) return [1, values[0]];
  return [values[0], values[1]];
}

/**
 * Lowering (pass 1): the main graph's ONNX nodes → accelerator ops. BatchNormalization folds
 * into the preceding conv, Relu/Clip fuse into their producer, Gemm/MatMul with constant
 * weights become 1x1 convs, Conv1d a conv of height 1, pools/Add/Mul/Concat are accelerator
 * ops; anything else runs on the CPU and is reported (BS4001) with its reason. Every node ends
 * in exactly one class (nodeClass): nothing leaves the estimate unaccounted for.
 */
export function lower(
  input: CompilerInput,
  choices: CompilerChoices,
  diagnostics: CompileDiagnostics,
): LoweredNetwork {
  const { graph, shapes: scope, layers } = input;
  const alias = new Map<string, string>();
  const canon = (t: string): string => {
    let c = t;
    while (alias.has(c)) c = alias.get(c) as string;
    return c;
  };
  const consumers = new Map<string, NodeIR[]>();
  for (const n of graph.nodes)
    for (const i of n.inputs) consumers.set(i, [...(consumers.get(i) ?? []), n]);
  const useCount = (t: string) =>
    (consumers.get(t)?.length ?? 0) + (graph.outputs.some((o) => o.name === t) ? 1 : 0);

  const tensors = new Map<string, ActTensor>();
  const producer = new Map<string, MutableOp>();
  const ops: MutableOp[] = [];
  const cpuNodes: CpuNode[] = [];
  const nodeClass = new Map<string, NodeClass>();
  const isConst = (t: string) => t === '' || scope.constants.get(t) !== undefined;
  /** Tensors computed while the model runs (not constants, not shapes, not quantization scales). */
  const runtime = new Set<string>();
  /** Scales and zero points computed at run time (DynamicQuantizeLinear): the datapath's. */
  const qparams = new Set<string>();
  const activation = (t: string) => tensors.has(canon(t));

  const inputs = graph.inputs.filter((i) => !isConst(i.name));
  const firstShape = inputs.map((i) => scope.shape(i.name)).find((s) => s && s.length >= 2);
  const batch = firstShape && firstShape[0] >= 1 ? firstShape[0] : 1;

  /** The layout a consumer family gives a rank-3 tensor without a producer that fixes it. */
  const rank3Layout = (name: string): ActLayout =>
    (consumers.get(name) ?? []).some((n) => CHANNELS_SECOND.has(n.opType)) ? 'ncl' : 'ntc';

  /** Why a shape is not an activation of this network, or its per-image view. */
  const viewOf = (
    shape: readonly number[] | undefined,
    layout: ActLayout | undefined,
  ): { h: number; w: number; c: number; layout: ActLayout } | string => {
    if (!shape) return 'its shape is unknown';
    if (shape.length < 2 || shape.length > 4)
      return `its shape [${shape.join(', ')}] has rank ${shape.length} (the array holds rank 2 to 4)`;
    if (shape[0] !== batch)
      return `its shape [${shape.join(', ')}] does not lead with the batch of ${batch}`;
    if (shape.length === 4) return { h: shape[2], w: shape[3], c: shape[1], layout: 'nchw' };
    if (shape.length === 2) return { h: 1, w: 1, c: shape[1], layout: 'nf' };
    return layout === 'ncl'
      ? { h: 1, w: shape[2], c: shape[1], layout: 'ncl' }
      : { h: 1, w: shape[1], c: shape[2], layout: 'ntc' };
  };

  const register = (name: string, origin: ActTensor['origin'], layout?: ActLayout): string => {
    const v = viewOf(scope.shape(name), layout ?? rank3Layout(name));
    if (typeof v === 'string') return v;
    tensors.set(name, { name, ...v, origin });
    return '';
  };
  for (const i of inputs) {
    runtime.add(i.name);
    register(i.name, 'input');
  }

  let order = 0;
  const toCpu = (node: NodeIR, reason: string) => {
    cpuNodes.push({
      name: node.name,
      opType: node.opType,
      order,
      activationInputs: node.inputs.filter((i) => i !== '' && activation(i)).map(canon),
      reason,
    });
    nodeClass.set(node.name, 'cpu');
    for (const o of node.outputs) if (o) register(o, 'cpu');
  };
  const addOp = (
    node: NodeIR,
    kind: OpKind,
    ins: string[],
    extra: Partial<LoweredOp>,
    macs: number,
    layout?: ActLayout,
  ) => {
    const out = node.outputs[0] ?? '';
    const why = register(out, 'op', layout);
    if (why) {
      diagnostics.push(
        'BS4003',
        'warning',
        `${node.opType} output ${out}: ${why}; the op runs on the CPU`,
        node.name,
      );
      toCpu(node, `its output: ${why}`);
      return;
    }
    const op: MutableOp = {
      ...extra,
      id: ops.length,
      name: node.name,
      kind,
      fused: [node.opType],
      fusedNodes: [],
      inputs: ins,
      output: out,
      macs,
      order,
    };
    ops.push(op);
    producer.set(out, op);
    nodeClass.set(node.name, 'accelerated');
  };
  const fuseInto = (op: MutableOp, node: NodeIR, out: string, x: string) => {
    op.fused.push(node.opType);
    op.fusedNodes.push(node.name);
    alias.set(out, x);
    nodeClass.set(node.name, 'fused');
  };
  const rename = (node: NodeIR, out: string, x: string, cls: NodeClass = 'removed') => {
    alias.set(out, x);
    nodeClass.set(node.name, cls);
  };

  /** Lowers a Conv/Gemm/MatMul (or a quantized form) with a constant weight, or says why not. */
  const lowerLayer = (node: NodeIR, x: string): string => {
    const layer = layers.get(node.name);
    if (!layer || layer.weight === '' || layer.runtimeWeight)
      return layer?.runtimeWeight
        ? 'it multiplies two run-time tensors: no constant weight to compress'
        : 'its weight is not a constant the analysis could read';
    if (layer.macs === null) return 'its MACs are unknown (a shape is unknown)';
    const t = tensors.get(x);
    if (!t) return 'its input is not an array activation';
    const cin = layer.cinPerGroup * layer.group;
    const isConv = CONV_OPS.has(node.opType);
    const rank = layer.weightShape.length;
    if (isConv && rank > 4)
      return `a ${rank - 2}-D convolution: the array runs 1-D and 2-D convolutions`;
    if (isConv && t.layout !== (rank === 3 ? 'ncl' : 'nchw'))
      return `its input layout ${t.layout} does not fit a ${rank - 2}-D convolution`;
    const vector = t.layout !== 'nchw' || (t.h === 1 && t.w === 1);
    if (!isConv && (!vector || rank !== 2 || attrInt(node, 'transA', 0) === 1))
      return 'a matrix product over other than the last axis of [N, F] or [N, T, F]';
    if (t.c !== cin) return `its input has ${t.c} channels where the weight takes ${cin}`;
    const [kh, kw] = isConv ? window2(layer.weightShape.slice(2), 1) : [1, 1];
    const [sh, sw] = isConv ? window2(attrInts(node, 'strides'), 1) : [1, 1];
    addOp(
      node,
      'conv',
      [x],
      {
        conv: {
          cout: layer.cout,
          cin,
          group: layer.group,
          kh,
          kw,
          sh,
          sw,
          pads: isConv ? pads4(node, rank - 2) : [0, 0, 0, 0],
          weight: layer.weight,
          mask: layer.mask,
        },
      },
      layer.macs / batch,
      isConv ? undefined : t.layout,
    );
    return '';
  };

  const { order: sorted, cyclic } = topologicalOrder(graph);
  // a node in a cycle has no place in any order: nothing can run it (BS2006 says so)
  for (const node of cyclic) nodeClass.set(node.name, 'unplaced');
  for (const node of sorted) {
    order++;
    const live = node.inputs.filter((i) => i !== '' && runtime.has(i));
    const liveData = live.filter((i) => !qparams.has(i));
    if (live.length === 0 || node.opType === 'Constant') {
      nodeClass.set(node.name, 'removed'); // computed before the run (folded constants)
      continue;
    }
    if (SHAPE_OPS.has(node.opType) || liveData.length === 0) {
      // shapes are static; arithmetic on quantization scales is the datapath's
      nodeClass.set(node.name, liveData.length === 0 && live.length > 0 ? 'fused' : 'removed');
      if (!SHAPE_OPS.has(node.opType)) for (const o of node.outputs) if (o) qparams.add(o);
      continue;
    }
    for (const o of node.outputs) if (o) runtime.add(o);
    const missing = liveData.find((i) => !activation(i));
    if (missing !== undefined) {
      const why = viewOf(scope.shape(missing), undefined);
      toCpu(node, `its input '${missing}': ${typeof why === 'string' ? why : 'is on the CPU'}`);
      continue;
    }
    const actInputs = liveData;
    const x = canon(actInputs[0]);
    const out = node.outputs[0] ?? '';
    const soleUser = useCount(x) === 1;
    const std = node.domain === '' || node.domain === 'ai.onnx';
    if (!std) {
      toCpu(node, `custom op of domain ${node.domain}`);
      continue;
    }
    if (CONV_OPS.has(node.opType) || MATMUL_OPS.has(node.opType)) {
      const why = lowerLayer(node, x);
      if (why) toCpu(node, why);
      continue;
    }
    switch (node.opType) {
      case 'BatchNormalization': {
        const p = producer.get(x);
        if (p && p.kind === 'conv' && p.fused.length === 1 && soleUser) fuseInto(p, node, out, x);
        else toCpu(node, 'a BatchNormalization that does not follow a conv');
        break;
      }
      case 'Relu':
      case 'Clip': {
        const p = producer.get(x);
        if (p && p.kind !== 'concat' && soleUser && FUSIBLE_ACTIVATIONS.has(node.opType))
          fuseInto(p, node, out, x);
        else toCpu(node, `a ${node.opType} that does not follow an accelerator op alone`);
        break;
      }
      case 'Add':
      case 'Mul': {
        const p = producer.get(x);
        // x·scale (+ bias) right after a conv, with a constant or run-time scale: the conv's
        // requantization / folded normalisation, as BatchNormalization is
        const same = (a?: readonly number[], b?: readonly number[]) =>
          !!a && !!b && a.length === b.length && a.every((d, k) => d === b[k]);
        if (
          actInputs.length === 1 &&
          p &&
          p.kind === 'conv' &&
          soleUser &&
          same(scope.shape(out), scope.shape(x))
        ) {
          fuseInto(p, node, out, x);
          break;
        }
        const t = tensors.get(x);
        addOp(
          node,
          node.opType === 'Add' ? 'add' : 'mul',
          actInputs.map(canon),
          {},
          t ? t.h * t.w * t.c : 0,
          t?.layout,
        );
        break;
      }
      case 'MaxPool':
      case 'AveragePool': {
        const k = attrInts(node, 'kernel_shape') ?? [1, 1];
        const t = tensors.get(x);
        if (k.length > 2 || !t || (k.length === 1) !== (t.layout === 'ncl')) {
          toCpu(node, `a ${k.length}-D pool over a ${t?.layout ?? 'non-array'} tensor`);
          break;
        }
        const [kh, kw] = window2(k, 1);
        const [sh, sw] = window2(attrInts(node, 'strides'), 1);
        const pool = { kh, kw, sh, sw, pads: pads4(node, k.length) };
        addOp(node, node.opType === 'MaxPool' ? 'maxpool' : 'avgpool', [x], { pool }, 0);
        break;
      }
      case 'GlobalAveragePool':
        addOp(node, 'gap', [x], {}, 0);
        break;
      case 'Concat': {
        const t = tensors.get(x);
        const axis = attrInt(node, 'axis', 1);
        if (t && (axis === 1 || axis === -3) && actInputs.length === node.inputs.length) {
          addOp(node, 'concat', actInputs.map(canon), {}, 0);
        } else toCpu(node, 'a Concat along other than the channels, or with constant parts');
        break;
      }
      default:
        if (ALIASES.has(node.opType)) rename(node, out, x);
        else if (DATAPATH.has(node.opType)) {
          // its scale and zero point outputs (DynamicQuantizeLinear) are the datapath's
          node.outputs.slice(1).forEach((o) => o && qparams.add(o));
          rename(node, out, x, 'fused');
        } else if (
          choices.classifier === 'on-array' &&
          LAYOUT_CHANGES.has(node.opType) &&
          node.opType !== 'Transpose' &&
          (node.opType !== 'Reshape' || (scope.shape(out)?.length ?? 99) <= 2)
        )
          rename(node, out, x);
        else
          toCpu(
            node,
            LAYOUT_CHANGES.has(node.opType)
              ? `${node.opType} changes the layout (data movement the paper's compiler leaves to the CPU)`
              : `no accelerator kernel for ${node.opType}`,
          );
    }
  }
  const graphOutputs = new Set(
    graph.outputs.filter((o) => activation(o.name)).map((o) => canon(o.name)),
  );
  if (cpuNodes.length > 0) {
    const byType = new Map<string, number>();
    for (const n of cpuNodes) byType.set(n.opType, (byType.get(n.opType) ?? 0) + 1);
    const list = [...byType].map(([op, count]) => `${op} x${count}`).join(', ');
    diagnostics.push(
      'BS4001',
      'info',
      `${cpuNodes.length} ${cpuNodes.length === 1 ? 'op runs' : 'ops run'} on the CPU, outside the accelerator estimate: ${list}`,
    );
  }
  if (batch > 1) {
    diagnostics.push(
      'BS4007',
      'info',
      `batch ${batch}: estimated as ${batch} images one after another (the paper's compiler runs batch 1); layer times are for one image`,
    );
  }
  // inputs of ops refer to canonical names; canonicalise once all aliases are known
  const final = ops.map((op) => ({ ...op, inputs: op.inputs.map(canon) }));
  return { ops: final, tensors, graphOutputs, cpuNodes, nodeClass, batch };
}
