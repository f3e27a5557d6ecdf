/** ONNX element types: code → name and storage size. One table, used everywhere. */

export interface DataTypeInfo {
  readonly name: string;
  /** Bytes per element in raw_data; 0 for types we cannot read (string, complex, sub-byte). */
  readonly bytes: number;
}

export const DataType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  BFLOAT16: 16,
} as const;

const TABLE: Readonly<Record<number, DataTypeInfo>> = {
  1: { name: 'float32', bytes: 4 },
  2: { name: 'uint8', bytes: 1 },
  3: { name: 'int8', bytes: 1 },
  4: { name: 'uint16', bytes: 2 },
  5: { name: 'int16', bytes: 2 },
  6: { name: 'int32', bytes: 4 },
  7: { name: 'int64', bytes: 8 },
  8: { name: 'string', bytes: 0 },
  9: { name: 'bool', bytes: 1 },
  10: { name: 'float16', bytes: 2 },
  11: { name: 'float64', bytes: 8 },
  12: { name: 'uint32', bytes: 4 },
  13: { name: 'uint64', bytes: 8 },
  14: { name: 'complex64', bytes: 0 },
  15: { name: 'complex128', bytes: 0 },
  16: { name: 'bfloat16', bytes: 2 },
  17: { name: 'float8e4m3fn', bytes: 0 },
  18: { name: 'float8e4m3fnuz', bytes: 0 },
  19: { name: 'float8e5m2', bytes: 0 },
  20: { name: 'float8e5m2fnuz', bytes: 0 },
  21: { name: 'uint4', bytes: 0 },
  22: { name: 'int4', bytes: 0 },
  23: { name: 'float4e2m1', bytes: 0 },
};

/** Name and size of an element type; unknown codes get bytes 0. */
export function dataTypeInfo(code: number): DataTypeInfo {
  return TABLE[code] ?? { name: `type#${code}`, bytes: 0 };
}
