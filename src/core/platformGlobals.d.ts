/**
 * The few globals core may use: they exist in Node, workers and browsers alike, but core is
 * type-checked without DOM or Node typings so that nothing else slips in.
 */
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: Uint8Array): string;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
