/**
 * Shapes of the protobufjs-decoded ONNX messages, as far as decodeModel.ts reads them.
 * Fields use the schema's snake_case names (the schema is parsed with keepCase). int64
 * fields arrive as numbers or long.js objects, hence `unknown`.
 */

export interface PbStringStringEntry {
  key?: string;
  value?: string;
}

export interface PbTensor {
  dims?: unknown[];
  data_type?: number;
  float_data?: number[];
  int32_data?: number[];
  int64_data?: unknown[];
  double_data?: number[];
  uint64_data?: unknown[];
  name?: string;
  doc_string?: string;
  raw_data?: Uint8Array;
  external_data?: PbStringStringEntry[];
  data_location?: number;
}

export interface PbDimension {
  dim_value?: unknown;
  dim_param?: string;
  value?: string;
}

export interface PbTypeProto {
  tensor_type?: { elem_type?: number; shape?: { dim?: PbDimension[] } | null } | null;
  value?: string;
}

export interface PbValueInfo {
  name?: string;
  type?: PbTypeProto | null;
  doc_string?: string;
}

export interface PbAttribute {
  name?: string;
  type?: number;
  f?: number;
  i?: unknown;
  s?: Uint8Array;
  t?: PbTensor | null;
  g?: PbGraph | null;
  floats?: number[];
  ints?: unknown[];
  strings?: Uint8Array[];
  tensors?: PbTensor[];
  graphs?: PbGraph[];
}

export interface PbNode {
  input?: string[];
  output?: string[];
  name?: string;
  op_type?: string;
  domain?: string;
  attribute?: PbAttribute[];
  doc_string?: string;
  metadata_props?: PbStringStringEntry[];
}

export interface PbGraph {
  node?: PbNode[];
  name?: string;
  initializer?: PbTensor[];
  doc_string?: string;
  input?: PbValueInfo[];
  output?: PbValueInfo[];
  value_info?: PbValueInfo[];
}

export interface PbModel {
  ir_version?: unknown;
  opset_import?: { domain?: string; version?: unknown }[];
  producer_name?: string;
  producer_version?: string;
  domain?: string;
  model_version?: unknown;
  doc_string?: string;
  graph?: PbGraph | null;
  metadata_props?: PbStringStringEntry[];
}
