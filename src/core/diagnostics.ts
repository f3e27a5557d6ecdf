/**
 * Problems found in a user's model. They are returned, never thrown: an exception in core
 * means a bug in our code. Codes are stable: tests, docs and users refer to them.
 */

export type Severity = 'error' | 'warning' | 'info';

/** Every diagnostic code the product emits, with its meaning. Never renumber. */
export const DIAGNOSTIC_CODES = {
  BS1000: 'model file cannot be read',
  BS1001: 'file is not a readable ONNX model',
  BS1006: 'model protobuf is larger than 2 GiB',
  BS1002: 'file is empty',
  BS1003: 'model has no graph',
  BS1004: 'integer value exceeds 2^53 and cannot be represented exactly',
  BS1005: 'model nesting is too deep',
  BS1010: 'external data location leaves the model folder',
  BS1011: 'external data file cannot be read',
  BS1012: 'external data range lies outside its file',
  BS1013: 'external data is not available (no resolver given)',
  BS1020: 'tensor data does not match its shape',
  BS1021: 'tensor data type is not supported for analysis',
  BS1022: 'tensor is too large to analyse',
  BS1030: 'a constant subgraph could not be folded (limit or bad values)',
  BS1031: 'constant folding stopped at its depth limit',
  BS2001: "an operator's shape rule could not infer its outputs (says why)",
  BS2002: 'dynamic input dimensions were assumed',
  BS2003: 'input override names no graph input',
  BS2004: 'input override has the wrong rank',
  BS2005: 'a graph input has no shape',
  BS2006: 'a node is part of a cycle',
  BS2007: 'no shape rule for an operator',
  BS2008: 'an inferred shape is invalid',
  BS3001: 'layer multiplies two run-time tensors; listed with its MACs, not sparsifiable',
  BS3002: 'layer weight has an unexpected shape; layer left out',
  BS3003: 'quantized layer weight zero point is not a constant; layer left out',
  BS4001: 'operators run on the CPU, outside the accelerator estimate',
  BS4002: 'layer cannot be placed on the array',
  BS4003: 'operator shape unknown; excluded from the estimate',
  BS4004: 'the timeline is too large; later layers are not drawn',
  BS4005: 'the graph is cut at its first CPU-only node; what follows runs on the CPU',
  BS4006: 'a layer stays slower sparse than dense',
  BS4007: 'a batch is estimated as images one after another',
  BS4010: 'architecture description is invalid',
  BS5001: 'the output would replace the input model',
  BS5002: 'the output file exists',
  BS5003: 'writing the sparse model failed',
  BS5004: 'a weight computed from constants cannot be sparsified in place',
  BS5005: 'writing the mask file failed',
  BS5006: 'writing the fine-tuning kit failed',
  BS5007: 'a sparsified layer ends above the ceiling or with an empty block-row or -column',
  BS5010: 'ONNX Runtime is not installed; verification skipped',
  BS5011: 'the sparse model does not run like the original',
  BS5012: 'the evaluation data or model cannot be used',
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** One problem, pinned to a node when it concerns one. */
export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  /** Node name (with subgraph path) the problem concerns, or null. */
  readonly node: string | null;
}

/** Builds a diagnostic. */
export function diag(
  code: DiagnosticCode,
  severity: Severity,
  message: string,
  node: string | null = null,
): Diagnostic {
  return { code, severity, message, node };
}

/** True when any diagnostic is an error (the model could not be read as a whole). */
export function hasError(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
