import { PRECISION_INFO, type Precision } from '../target/precision';
import type {
  Compression,
  IterationGroup,
  IterationWork,
  LoweredOp,
  MemoryDecision,
  OpProgram,
  PassProgram,
  Tiling,
} from './plan';
import { roundUp } from './subvolume';

/** Fixed instruction overheads of the estimator (AIE2-MODEL.md §4, "Weights"). */
const LOADWM_HEADER: Readonly<Record<string, number>> = {
  conv: 192,
  add: 160,
  mul: 160,
  maxpool: 96,
  avgpool: 96,
  gap: 96,
};
const LOADW_HEADER = 192;
const LOADW_POOL_EXTRA = 128;

/** Bytes and cycles of one iteration of an op (AIE2-MODEL.md §4, per-iteration table). */
export function iterationWork(
  op: LoweredOp,
  t: Tiling,
  rho: number,
  precision: Precision,
): IterationWork {
  const { bytes: e, macsPerCycle } = PRECISION_INFO[precision];
  const [ih, iw, ic] = t.sub.I;
  const [oh, ow, oc] = t.sub.O;
  switch (op.kind) {
    case 'conv': {
      const [, kh, kw, ci] = t.sub.W;
      return {
        loadfmBytes: ih * roundUp(iw, 8) * ic * e,
        compCycles: Math.ceil((ih * iw * ic * kh * kw * ci) / macsPerCycle) * rho,
        writefmBytes: oh * roundUp(ow, 8) * oc * e,
      };
    }
    case 'add':
    case 'mul':
      return {
        loadfmBytes: op.inputs.length * ih * iw * ic * e,
        compCycles: Math.ceil((ih * iw * ic) / macsPerCycle),
        writefmBytes: oh * ow * oc * e,
      };
    case 'maxpool':
    case 'avgpool':
    case 'gap':
      return {
        loadfmBytes: ih * iw * ic * e,
        compCycles: Math.ceil((ih * iw * ic) / macsPerCycle),
        writefmBytes: oh * ow * oc * e,
      };
    case 'concat':
      return { loadfmBytes: 0, compCycles: 0, writefmBytes: 0 };
  }
}

/**
 * The instruction pass (AIE2-MODEL.md §3.7): per op, LOAD/LOADW into the memtiles, then per
 * pass a LOADWM into the cores and the row iterations grouped as head, body and tail, then
 * WRITE. The first pass's LOADWM carries the instruction header, later passes only weights.
 */
export function buildProgram(
  op: LoweredOp,
  t: Tiling,
  c: Compression,
  m: MemoryDecision,
  precision: Precision,
): OpProgram {
  if (op.kind === 'concat') {
    return { loadBytes: m.loadBytes, loadwBytes: 0, writeBytes: m.writeBytes, passes: [], macs: 0 };
  }
  const work = iterationWork(op, t, c.rho, precision);
  const isConv = op.kind === 'conv';
  const groups: IterationGroup[] = [];
  if (t.head > 0) groups.push({ kind: 'head', iterations: t.head, work });
  if (t.body > 0) groups.push({ kind: 'body', iterations: t.body, work });
  if (t.tail > 0) groups.push({ kind: 'tail', iterations: t.tail, work });
  const weightBytes = isConv ? roundUp(c.chunkBytes, 16) : 0;
  const passes: PassProgram[] = Array.from({ length: t.passes }, (_, p) => ({
    loadwmBytes: weightBytes + (p === 0 ? (LOADWM_HEADER[op.kind] ?? 0) : 0),
    groups,
    streaming: t.streaming,
  }));
  const pools = op.kind === 'maxpool' || op.kind === 'avgpool' || op.kind === 'gap';
  const loadwOnce = isConv
    ? roundUp(t.splits.chunksPerMemtile * c.chunkBytes, 128) + LOADW_HEADER
    : LOADW_HEADER + (pools ? LOADW_POOL_EXTRA : 0);
  return {
    loadBytes: m.loadBytes,
    // a layer computed in DDR tiles reloads its weights per tile
    loadwBytes: loadwOnce * t.splits.ddrTiles,
    writeBytes: m.writeBytes,
    passes,
    macs: op.macs,
  };
}
