import { strict as assert } from 'node:assert';
import { staleModules } from '../../../scripts/generate';
import { onnx } from '../../../src/core/onnx/onnxDecoder.generated';
import { onnxTypes } from '../../../src/core/onnx/protoRoot';
import { inceptionBlock, resnetMini } from '../../fixtures/models';
import { oneConvModel } from '../../fixtures/specialModels';

/** Own fields, bytes as plain arrays: what the decoder's caller can tell apart. */
function fields(value: unknown): unknown {
  if (value instanceof Uint8Array) return Array.from(value);
  if (Array.isArray(value)) return value.map(fields);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) out[k] = fields((value as Record<string, unknown>)[k]);
    // the oneof a dimension sets, read through the prototype's getter
    if ('value' in value) out.value = (value as { value: unknown }).value;
    return out;
  }
  return value;
}

describe('generated modules (scripts/generate.ts)', () => {
  it('are what their sources generate now (run npm run generate after editing one)', async () => {
    assert.deepEqual(await staleModules(), []);
  });

  it('the static ONNX decoder decodes as protobufjs reflection does', () => {
    const models = [
      resnetMini({ zeroFraction: 0.5 }).bytes,
      inceptionBlock().bytes,
      resnetMini({ storage: 'typed' }).bytes,
      oneConvModel({ data_location: 1, external_data: [{ key: 'location', value: 'w.bin' }] }),
    ];
    for (const bytes of models) {
      const reflected = onnxTypes().ModelProto.decode(bytes);
      assert.deepEqual(fields(onnx.ModelProto.decode(bytes)), fields(reflected));
    }
  });

  it('the static decoder refuses truncated bytes with protobufjs’s own message', () => {
    const bytes = resnetMini().bytes;
    assert.throws(
      () => onnx.ModelProto.decode(bytes.subarray(0, bytes.length - 5)),
      /index out of range/,
    );
  });
});
