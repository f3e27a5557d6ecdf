import * as protobuf from 'protobufjs';
import { ONNX_PROTO_SOURCE } from './onnxSchema';

/** The protobufjs message types of the ONNX schema, parsed once on first use. */
export interface OnnxTypes {
  readonly root: protobuf.Root;
  readonly ModelProto: protobuf.Type;
  readonly TensorProto: protobuf.Type;
  readonly GraphProto: protobuf.Type;
  readonly NodeProto: protobuf.Type;
}

let cached: OnnxTypes | undefined;

/** Returns the parsed ONNX schema; parsing costs a few milliseconds, so it happens lazily. */
export function onnxTypes(): OnnxTypes {
  if (!cached) {
    const root = protobuf.parse(ONNX_PROTO_SOURCE, { keepCase: true }).root;
    cached = {
      root,
      ModelProto: root.lookupType('onnx.ModelProto'),
      TensorProto: root.lookupType('onnx.TensorProto'),
      GraphProto: root.lookupType('onnx.GraphProto'),
      NodeProto: root.lookupType('onnx.NodeProto'),
    };
  }
  return cached;
}
