/** Numeric precision of activations and weights on the array. */
export type Precision = 'int8' | 'int16' | 'bf16';

export const PRECISIONS: readonly Precision[] = ['int8', 'int16', 'bf16'];

/** Bytes per element and MACs per cycle per core, by precision (AIE2-MODEL.md §2). */
export const PRECISION_INFO: Readonly<Record<Precision, { bytes: number; macsPerCycle: number }>> =
  {
    int8: { bytes: 1, macsPerCycle: 256 },
    int16: { bytes: 2, macsPerCycle: 128 },
    bf16: { bytes: 2, macsPerCycle: 128 },
  };
