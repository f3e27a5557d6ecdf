import type { AttributeValue } from './ir';
import { dataTypeInfo } from './dataTypes';

/** Lists longer than this are cut with an ellipsis (a 4096-element ints attribute says nothing). */
const MAX_INLINE = 16;

/** The element type as ONNX's text format writes it ('float', not 'float32'). */
export function elemTypeText(elemType: number): string {
  return dataTypeInfo(elemType).name.replace('float32', 'float');
}

/** An attribute's type and value as the text view and the graph inspector both show them. */
export function attributeText(a: AttributeValue): {
  readonly type: string;
  readonly value: string;
} {
  const list = (xs: readonly (number | string)[]) =>
    `[${xs
      .slice(0, MAX_INLINE)
      .map((x) => (typeof x === 'string' ? JSON.stringify(x) : String(x)))
      .join(', ')}${xs.length > MAX_INLINE ? ', …' : ''}]`;
  switch (a.type) {
    case 'int':
    case 'float':
      return { type: a.type, value: String(a.value) };
    case 'string':
      return { type: 'string', value: JSON.stringify(a.value) };
    case 'ints':
    case 'floats':
    case 'strings':
      return { type: a.type, value: list(a.value) };
    case 'tensor':
      return {
        type: 'tensor',
        value: `${elemTypeText(a.value.dataType)}[${a.value.dims.join(',')}]`,
      };
    case 'tensors':
      return { type: 'tensors', value: `[${a.value.length} tensors]` };
    case 'graph':
      return { type: 'graph', value: `${a.value.name || '(unnamed)'} {…}` };
    case 'graphs':
      return { type: 'graphs', value: `[${a.value.length} graphs]` };
    default:
      return { type: '?', value: '' };
  }
}
