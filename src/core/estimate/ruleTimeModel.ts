import type { OpProgram } from '../compiler/program';
import type { AieArchitecture } from '../target/architecture';
import type { KernelEfficiency } from './assumptions';
import { zeroLanes, type Bound, type OpTiming, type TimedGroup, type TimeModel } from './timeModel';

/** The timing rules a model applies; all false / null is the paper's estimator. */
export interface TimeRules {
  /** COMP from the output sub-volume's MACs per core instead of the input tile. */
  readonly outputCompute: boolean;
  /** Cycles divided by the kernel's efficiency (null: the MAC peak). */
  readonly efficiency: KernelEfficiency | null;
  /** Real channel counts (DDR both ways, memtile DMA streams); else every lane one 4 GiB/s. */
  readonly channels: boolean;
  /** Weights loaded ahead while the previous op computes. */
  readonly prefetch: boolean;
}

export const PAPER_RULES: TimeRules = {
  outputCompute: false,
  efficiency: null,
  channels: false,
  prefetch: false,
};

/**
 * A time model from rules. With PAPER_RULES it is the paper's estimator (AIE2-MODEL.md §4), rule
 * for rule, including its unphysical parts: LOAD overlaps LOADW; every lane moves 4 GiB/s (WRITE
 * too, whatever the text says); head and tail iterations run LOADFM + COMP + WRITEFM one after
 * another; body iterations overlap fully, n · max(LOADFM, COMP, WRITEFM), with no pipeline fill
 * or drain; T = max(LOAD, LOADW) + Σ passes [LOADWM + head/tail + body] + WRITE.
 */
export function ruleTimeModel(name: string, rules: TimeRules): TimeModel {
  return { name, time: (program, arch, window = 0) => timeOp(program, arch, rules, window) };
}

function timeOp(
  program: OpProgram,
  arch: AieArchitecture,
  rules: TimeRules,
  window: number,
): OpTiming {
  const bw = arch.ddrChannelBytesPerSecond;
  const channels = Math.max(1, arch.ddrChannelsPerMemtile);
  // paper: one 4 GiB/s channel per lane (two per load with dedicated memtiles);
  // channels: LOAD and LOADW share the MM2S channels, evictions and WRITE the S2MM ones
  const readRate = rules.channels ? channels * bw : arch.memtiles === 'dedicated' ? 2 * bw : bw;
  const writeRate = rules.channels ? channels * bw : bw;
  const mc = arch.memtileCoreBytesPerSecond;
  const dma = Math.max(1, arch.memtileDmaChannels);
  // WRITEFM: each core row writes its channels on its own stream; LOADWM: the chunks of a
  // column's cores share the MM2S channels LOADFM leaves
  const wfmRate = rules.channels ? mc * Math.min(program.activeRows, dma) : mc;
  const lwmFactor = rules.channels ? Math.ceil(program.activeRows / Math.max(1, dma - 1)) : 1;
  const lanes = zeroLanes();
  const groups: TimedGroup[] = [];
  const load = program.loadBytes / readRate;
  const loadw = program.loadwBytes / readRate;
  const hidden =
    rules.prefetch && program.prefetchBytes > 0 && window > 0 ? Math.min(loadw, window) : 0;
  const evict = rules.channels ? program.evictBytes / writeRate : 0;
  lanes.LOAD = load;
  lanes.LOADW = loadw;
  let pre: number;
  if (rules.channels) {
    // weights first (prefetched ones from before the op's start), then the activations
    const loadwStart = -hidden;
    if (loadw > 0)
      groups.push(
        group('LOADW', 'pre', 0, 1, loadwStart, loadwStart + loadw, program.loadwBytes, 0),
      );
    const loadStart = Math.max(0, loadw - hidden);
    if (load > 0)
      groups.push(group('LOAD', 'pre', 0, 1, loadStart, loadStart + load, program.loadBytes, 0));
    if (evict > 0) groups.push(group('WRITE', 'pre', 0, 1, 0, evict, program.evictBytes, 0));
    pre = Math.max(loadStart + load, evict);
  } else {
    if (load > 0) groups.push(group('LOAD', 'pre', 0, 1, 0, load, program.loadBytes, 0));
    if (loadw > 0)
      groups.push(group('LOADW', 'pre', 0, 1, -hidden, loadw - hidden, program.loadwBytes, 0));
    pre = Math.max(load, loadw - hidden);
  }
  const eff = rules.efficiency && program.kernel !== 'none' ? rules.efficiency[program.kernel] : 1;
  const cyclesOf = (paperCycles: number, outMacs: number) =>
    (rules.outputCompute ? (outMacs * program.rho) / program.macsPerCycle : paperCycles) / eff;
  let t = pre;
  let compute = 0;
  let memtileCore = 0;
  let weights = 0;
  program.passes.forEach((pass, p) => {
    const lwm = (pass.loadwmBytes / mc) * lwmFactor;
    lanes.LOADWM += lwm;
    weights += lwm;
    if (lwm > 0) groups.push(group('LOADWM', 'pass', p, 1, t, t + lwm, pass.loadwmBytes, 0));
    t += lwm;
    for (const g of pass.groups) {
      const fm = g.work.loadfmBytes / mc;
      const cycles = cyclesOf(g.work.compCycles, g.work.outMacs);
      const comp = cycles / arch.clockHz;
      const wfm = g.work.writefmBytes / wfmRate;
      const n = g.iterations;
      lanes.LOADFM += n * fm;
      lanes.COMP += n * comp;
      lanes.WRITEFM += n * wfm;
      const overlapped = g.kind === 'body' && pass.streaming;
      if (overlapped) {
        const step = Math.max(fm, comp, wfm);
        groups.push(group('LOADFM', 'body', p, n, t, t + n * fm, n * g.work.loadfmBytes, 0));
        groups.push(group('COMP', 'body', p, n, t, t + n * comp, 0, n * cycles));
        groups.push(group('WRITEFM', 'body', p, n, t, t + n * wfm, n * g.work.writefmBytes, 0));
        if (step === comp) compute += n * step;
        else memtileCore += n * step;
        t += n * step;
      } else {
        for (let i = 0; i < n; i++) {
          groups.push(group('LOADFM', g.kind, p, 1, t, t + fm, g.work.loadfmBytes, 0));
          groups.push(group('COMP', g.kind, p, 1, t + fm, t + fm + comp, 0, cycles));
          groups.push(
            group(
              'WRITEFM',
              g.kind,
              p,
              1,
              t + fm + comp,
              t + fm + comp + wfm,
              g.work.writefmBytes,
              0,
            ),
          );
          t += fm + comp + wfm;
        }
        compute += n * comp;
        memtileCore += n * (fm + wfm);
      }
    }
  });
  const passSeconds = t - pre;
  const outBytes = rules.channels ? program.outputWriteBytes : program.writeBytes;
  const write = outBytes / writeRate;
  lanes.WRITE = write + evict;
  if (write > 0) groups.push(group('WRITE', 'post', 0, 1, t, t + write, outBytes, 0));
  const ddr = pre + write;
  return {
    seconds: t + write,
    lanes,
    bound: boundOf(compute, ddr, memtileCore + weights),
    groups,
    path: { ddr, weights, compute, memtileCore },
    prefetchSeconds: hidden,
    passSeconds,
  };
}

function group(
  lane: TimedGroup['lane'],
  phase: TimedGroup['phase'],
  pass: number,
  iterations: number,
  start: number,
  end: number,
  bytes: number,
  cycles: number,
): TimedGroup {
  return { lane, phase, pass, iterations, start, end, bytes, cycles };
}

/** The part of the layer's critical path that dominates. */
function boundOf(compute: number, ddr: number, memtileCore: number): Bound {
  if (compute === 0 && ddr === 0 && memtileCore === 0) return 'none';
  if (compute >= ddr && compute >= memtileCore) return 'compute';
  return ddr >= memtileCore ? 'ddr' : 'memtile-core';
}
