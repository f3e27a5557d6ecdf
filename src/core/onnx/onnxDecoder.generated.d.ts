// The one entry point of onnxDecoder.generated.js that the core uses (decodeModel.ts); the
// objects it returns are typed by protoMessages.ts.
export declare const onnx: {
  readonly ModelProto: { decode(bytes: Uint8Array): unknown };
};
