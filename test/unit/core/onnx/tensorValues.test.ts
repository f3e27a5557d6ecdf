import { strict as assert } from 'node:assert';
import type { TensorIR, TensorStorage } from '../../../../src/core/onnx/ir';
import { readTensorValues, toFloat32Scan } from '../../../../src/core/onnx/tensorValues';
import { toHalfBits } from '../../../fixtures/netBuilder';

function tensor(dataType: number, dims: number[], storage: TensorStorage): TensorIR {
  return { name: 't', dataType, dims, storage, docString: '' };
}

function values(t: TensorIR): number[] {
  const v = readTensorValues(t, undefined, null);
  assert.ok(!('code' in v), 'code' in v ? v.message : '');
  return Array.from(v);
}

/** Bytes placed at an odd offset of a larger buffer, as raw_data often is inside a protobuf. */
function unaligned(bytes: Uint8Array): Uint8Array {
  const host = new Uint8Array(bytes.length + 3);
  host.set(bytes, 3);
  return host.subarray(3);
}

describe('readTensorValues', () => {
  it('float32 raw data, aligned and unaligned', () => {
    const f = new Float32Array([1.5, 0, -2, 3.25]);
    const raw = new Uint8Array(f.buffer);
    assert.deepEqual(values(tensor(1, [4], { kind: 'raw', bytes: raw })), [1.5, 0, -2, 3.25]);
    assert.deepEqual(
      values(tensor(1, [2, 2], { kind: 'raw', bytes: unaligned(raw) })),
      [1.5, 0, -2, 3.25],
    );
  });

  it('float16 and bfloat16 raw data', () => {
    const half = new Uint16Array([toHalfBits(1), toHalfBits(-0.5), 0, toHalfBits(65504)]);
    assert.deepEqual(
      values(tensor(10, [4], { kind: 'raw', bytes: unaligned(new Uint8Array(half.buffer)) })),
      [1, -0.5, 0, 65504],
    );
    const bf = new Uint16Array([0x3f80, 0xc000, 0x0000]); // 1, -2, 0
    assert.deepEqual(
      values(tensor(16, [3], { kind: 'raw', bytes: new Uint8Array(bf.buffer) })),
      [1, -2, 0],
    );
  });

  it('integer types in raw data', () => {
    assert.deepEqual(
      values(tensor(3, [3], { kind: 'raw', bytes: new Uint8Array([0xff, 0, 5]) })),
      [-1, 0, 5],
    );
    assert.deepEqual(
      values(tensor(2, [3], { kind: 'raw', bytes: new Uint8Array([0xff, 0, 5]) })),
      [255, 0, 5],
    );
    const i32 = new Int32Array([-7, 0, 1 << 30]);
    assert.deepEqual(
      values(tensor(6, [3], { kind: 'raw', bytes: unaligned(new Uint8Array(i32.buffer)) })),
      [-7, 0, 1 << 30],
    );
    const i64 = new BigInt64Array([-3n, 0n, 1n << 40n]);
    assert.deepEqual(values(tensor(7, [3], { kind: 'raw', bytes: new Uint8Array(i64.buffer) })), [
      -3,
      0,
      2 ** 40,
    ]);
    const f64 = new Float64Array([0.25, -0]);
    assert.deepEqual(
      values(tensor(11, [2], { kind: 'raw', bytes: unaligned(new Uint8Array(f64.buffer)) })),
      [0.25, -0],
    );
  });

  it('typed fields: float_data, int32_data (int8, float16 bits), int64_data, double_data', () => {
    assert.deepEqual(
      values(tensor(1, [2], { kind: 'typed', field: 'float_data', values: [0.5, 0] })),
      [0.5, 0],
    );
    assert.deepEqual(
      values(tensor(3, [2], { kind: 'typed', field: 'int32_data', values: [-4, 0] })),
      [-4, 0],
    );
    assert.deepEqual(
      values(tensor(10, [1], { kind: 'typed', field: 'int32_data', values: [toHalfBits(2)] })),
      [2],
    );
    assert.deepEqual(
      values(tensor(7, [2], { kind: 'typed', field: 'int64_data', values: [9, -1] })),
      [9, -1],
    );
    assert.deepEqual(
      values(tensor(11, [1], { kind: 'typed', field: 'double_data', values: [1e-300] })),
      [1e-300],
    );
  });

  it('data shorter than its shape is BS1020', () => {
    const v = readTensorValues(
      tensor(1, [4], { kind: 'raw', bytes: new Uint8Array(12) }),
      undefined,
      'n',
    );
    assert.ok('code' in v && v.code === 'BS1020' && v.node === 'n');
    const t = readTensorValues(
      tensor(1, [3], { kind: 'typed', field: 'float_data', values: [1] }),
      undefined,
      null,
    );
    assert.ok('code' in t && t.code === 'BS1020');
  });

  it('strings and sub-byte types are not analysed (BS1021)', () => {
    const v = readTensorValues(tensor(8, [1], { kind: 'empty' }), undefined, null);
    assert.ok('code' in v && v.code === 'BS1021');
  });

  it('huge or invalid shapes are refused before any allocation', () => {
    const huge = readTensorValues(
      tensor(1, [1 << 20, 1 << 20], { kind: 'empty' }),
      undefined,
      null,
    );
    assert.ok('code' in huge && huge.code === 'BS1022');
    const neg = readTensorValues(tensor(1, [-1, 4], { kind: 'empty' }), undefined, null);
    assert.ok('code' in neg && neg.code === 'BS1020');
  });

  it('the scanner reads float32 values in place (external data is not copied again)', () => {
    const f = new Float32Array([1.5, 0, -2, 1e-30]);
    const scan = toFloat32Scan(f);
    assert.equal(scan.buffer, f.buffer, 'a view of the same memory');
    assert.deepEqual(
      [0, 1, 2, 3].map((i) => scan.getFloat32(4 * i, true)),
      Array.from(f),
    );
    // float64 values are narrowed into new memory, tiny ones kept non-zero
    const d = toFloat32Scan(new Float64Array([1e-300, 0, 3]));
    assert.notEqual(d.getFloat32(0, true), 0);
    assert.equal(d.getFloat32(4, true), 0);
    assert.equal(d.getFloat32(8, true), 3);
  });
});
