import type { NodeIR } from './ir';

/** Typed reads of node attributes with ONNX defaults. */

export function attrInt(node: NodeIR, name: string, fallback: number): number {
  const a = node.attributes.get(name);
  return a?.type === 'int' ? a.value : fallback;
}

export function attrFloat(node: NodeIR, name: string, fallback: number): number {
  const a = node.attributes.get(name);
  return a?.type === 'float' ? a.value : fallback;
}

export function attrInts(node: NodeIR, name: string): readonly number[] | undefined {
  const a = node.attributes.get(name);
  if (a?.type === 'ints') return a.value;
  if (a?.type === 'int') return [a.value];
  return undefined;
}

export function attrFloats(node: NodeIR, name: string): readonly number[] | undefined {
  const a = node.attributes.get(name);
  if (a?.type === 'floats') return a.value;
  if (a?.type === 'float') return [a.value];
  return undefined;
}

export function attrString(node: NodeIR, name: string, fallback: string): string {
  const a = node.attributes.get(name);
  return a?.type === 'string' ? a.value : fallback;
}
