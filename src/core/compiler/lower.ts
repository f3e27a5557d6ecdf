import { attrInt, attrInts } from '../onnx/attributes';
import type { NodeIR } from '../onnx/ir';
import { topologicalOrder } from '../onnx/shapeInference';
import type { CompilerChoices } from './choices';
import type { CompilerInput } from './compilerInput';
import type { ActTensor, CpuNode, LoweredNetwork, LoweredOp, OpKind } from './network';
import type { CompileDiagnostics } from './passContext';

/** Ops that only rename a tensor: they vanish (AIE2-MODEL.md §3.1). */
const ALIASES = new Set(['Identity', 'Dropout']);
/**
 * Layout changes: on the array a tensor is H x W x C, so turning it into a vector (or reordering
 * its axes) is a data movement the paper's compiler leaves to the CPU (PAPER-COMPILER.md rule 1).
 * With the classifier on the array, Flatten/Squeeze/Unsqueeze and a Reshape into a vector are
 * just renames.
 */
const LAYOUT_CHANGES = new Set(['Flatten', 'Reshape', 'Squeeze', 'Unsqueeze', 'Transpose']);
/** Activations that fuse into the op producing their input. */
const FUSIBLE_ACTIVATIONS = new Set(['Relu', 'Clip']);

type MutableOp = LoweredOp & { fused: string[] };

/** Activation view of an NCHW (or [N, F], [N, S, F]) shape; undefined when not expressible. */
function actShape(shape: readonly number[] | undefined): [number, number, number] | undefined {
  if (!shape || shape.length === 0 || shape[0] !== 1) return undefined;
  if (shape.length === 4) return [shape[2], shape[3], shape[1]];
  if (shape.length === 3) return [shape[1], 1, shape[2]];
  if (shape.length === 2) return [1, 1, shape[1]];
  return undefined;
}

function pads4(node: NodeIR): [number, number, number, number] {
  const p = attrInts(node, 'pads') ?? [0, 0, 0, 0];
  return [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0, p[3] ?? 0];
}

/**
 * Lowering (pass 1): the main graph's ONNX nodes → accelerator ops. BatchNormalization folds
 * into the preceding conv, Relu/Clip fuse into their producer, Gemm/MatMul with constant
 * weights become 1x1 convs, pools/Add/Mul/Concat are accelerator ops; anything else runs on the
 * CPU and is reported (BS4001).
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
  const consumers = new Map<string, number>();
  for (const n of graph.nodes)
    for (const i of n.inputs) consumers.set(i, (consumers.get(i) ?? 0) + 1);
  for (const o of graph.outputs) consumers.set(o.name, (consumers.get(o.name) ?? 0) + 1);

  const tensors = new Map<string, ActTensor>();
  const producer = new Map<string, MutableOp>();
  const ops: MutableOp[] = [];
  const cpuNodes: CpuNode[] = [];
  const isConst = (t: string) => t === '' || scope.constants.get(t) !== undefined;
  const activation = (t: string) => tensors.has(canon(t));

  const register = (name: string, origin: ActTensor['origin']): boolean => {
    const s = actShape(scope.shape(name));
    if (!s) return false;
    tensors.set(name, { name, h: s[0], w: s[1], c: s[2], origin });
    return true;
  };
  for (const input of graph.inputs) if (!isConst(input.name)) register(input.name, 'input');

  let order = 0;
  const toCpu = (node: NodeIR) => {
    cpuNodes.push({
      name: node.name,
      opType: node.opType,
      order,
      activationInputs: node.inputs.filter((i) => i !== '' && activation(i)).map(canon),
    });
    for (const o of node.outputs) if (o) register(o, 'cpu');
  };
  const addOp = (
    node: NodeIR,
    kind: OpKind,
    inputs: string[],
    extra: Partial<LoweredOp>,
    macs: number,
  ) => {
    const out = node.outputs[0] ?? '';
    if (!register(out, 'op')) {
      diagnostics.push(
        'BS4003',
        'warning',
        `${node.opType} output shape ${JSON.stringify(scope.shape(out) ?? null)} is not an activation the array holds (batch 1, rank 2 to 4); the op runs outside the estimate`,
        node.name,
      );
      toCpu(node);
      return;
    }
    const op: MutableOp = {
      ...extra,
      id: ops.length,
      name: node.name,
      kind,
      fused: [node.opType],
      inputs,
      output: out,
      macs,
      order,
    };
    ops.push(op);
    producer.set(out, op);
  };

  for (const node of topologicalOrder(graph).order) {
    order++;
    const actInputs = node.inputs.filter((i) => i !== '' && activation(i));
    if (actInputs.length === 0 || node.opType === 'Shape' || node.opType === 'Constant') continue;
    const x = canon(actInputs[0]);
    const out = node.outputs[0] ?? '';
    const soleUser = (consumers.get(x) ?? 0) === 1;
    const layer = layers.get(node.name);
    switch (node.opType) {
      case 'Conv':
      case 'Gemm':
      case 'MatMul': {
        if (!layer || layer.macs === null || !isConst(node.inputs[1] ?? '')) {
          toCpu(node);
          break;
        }
        const isConv = node.opType === 'Conv';
        const [kh, kw] = isConv ? [layer.weightShape[2] ?? 1, layer.weightShape[3] ?? 1] : [1, 1];
        const strides = attrInts(node, 'strides') ?? [1, 1];
        addOp(
          node,
          'conv',
          [x],
          {
            conv: {
              cout: layer.cout,
              cin: layer.cinPerGroup * layer.group,
              group: layer.group,
              kh,
              kw,
              sh: isConv ? (strides[0] ?? 1) : 1,
              sw: isConv ? (strides[1] ?? 1) : 1,
              pads: isConv ? pads4(node) : [0, 0, 0, 0],
              weight: layer.weight,
              mask: layer.mask,
            },
          },
          layer.macs,
        );
        break;
      }
      case 'BatchNormalization': {
        const p = producer.get(x);
        if (p && p.kind === 'conv' && p.fused.length === 1 && soleUser) {
          p.fused.push('BatchNormalization');
          alias.set(out, x);
        } else toCpu(node);
        break;
      }
      case 'Relu':
      case 'Clip': {
        const p = producer.get(x);
        if (p && p.kind !== 'concat' && soleUser && FUSIBLE_ACTIVATIONS.has(node.opType)) {
          p.fused.push(node.opType);
          alias.set(out, x);
        } else toCpu(node);
        break;
      }
      case 'Add':
      case 'Mul': {
        const t = tensors.get(x);
        addOp(
          node,
          node.opType === 'Add' ? 'add' : 'mul',
          actInputs.map(canon),
          {},
          t ? t.h * t.w * t.c : 0,
        );
        break;
      }
      case 'MaxPool':
      case 'AveragePool': {
        const k = attrInts(node, 'kernel_shape') ?? [1, 1];
        const s = attrInts(node, 'strides') ?? [1, 1];
        if (k.length !== 2) {
          toCpu(node);
          break;
        }
        const pool = { kh: k[0], kw: k[1], sh: s[0] ?? 1, sw: s[1] ?? 1, pads: pads4(node) };
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
        } else toCpu(node);
        break;
      }
      default:
        if (ALIASES.has(node.opType)) alias.set(out, x);
        else if (
          choices.classifier === 'on-array' &&
          LAYOUT_CHANGES.has(node.opType) &&
          node.opType !== 'Transpose' &&
          (node.opType !== 'Reshape' || (scope.shape(out)?.length ?? 99) <= 2)
        )
          alias.set(out, x);
        else toCpu(node);
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
  // inputs of ops refer to canonical names; canonicalise once all aliases are known
  const final = ops.map((op) => ({ ...op, inputs: op.inputs.map(canon) }));
  return { ops: final, tensors, graphOutputs, cpuNodes };
}
