import type { OpProgram } from '../compiler/program';
import type { AieArchitecture } from '../target/architecture';
import { zeroLanes, type Bound, type OpTiming, type TimedGroup, type TimeModel } from './timeModel';

/**
 * The paper's estimator (AIE2-MODEL.md §4), rule for rule, including its unphysical parts:
 * LOAD overlaps LOADW; every lane moves 4 GiB/s (WRITE too, whatever the text says); head and
 * tail iterations run LOADFM + COMP + WRITEFM one after another; body iterations overlap fully,
 * n · max(LOADFM, COMP, WRITEFM), with no pipeline fill or drain;
 * T = max(LOAD, LOADW) + Σ passes [LOADWM + head/tail + body] + WRITE.
 */
export const paperTimeModel: TimeModel = {
  name: 'paper',
  time(program: OpProgram, arch: AieArchitecture): OpTiming {
    const ddrLoad =
      arch.memtiles === 'dedicated'
        ? 2 * arch.ddrChannelBytesPerSecond
        : arch.ddrChannelBytesPerSecond;
    const ddrWrite = arch.ddrChannelBytesPerSecond;
    const mc = arch.memtileCoreBytesPerSecond;
    const lanes = zeroLanes();
    const groups: TimedGroup[] = [];
    const load = program.loadBytes / ddrLoad;
    const loadw = program.loadwBytes / ddrLoad;
    lanes.LOAD = load;
    lanes.LOADW = loadw;
    if (load > 0) groups.push(group('LOAD', 'pre', 0, 1, 0, load, program.loadBytes, 0));
    if (loadw > 0) groups.push(group('LOADW', 'pre', 0, 1, 0, loadw, program.loadwBytes, 0));
    let t = Math.max(load, loadw);
    let compute = 0;
    let memtileCore = 0;
    program.passes.forEach((pass, p) => {
      const lwm = pass.loadwmBytes / mc;
      lanes.LOADWM += lwm;
      memtileCore += lwm;
      if (lwm > 0) groups.push(group('LOADWM', 'pass', p, 1, t, t + lwm, pass.loadwmBytes, 0));
      t += lwm;
      for (const g of pass.groups) {
        const fm = g.work.loadfmBytes / mc;
        const comp = g.work.compCycles / arch.clockHz;
        const wfm = g.work.writefmBytes / mc;
        const n = g.iterations;
        lanes.LOADFM += n * fm;
        lanes.COMP += n * comp;
        lanes.WRITEFM += n * wfm;
        const overlapped = g.kind === 'body' && pass.streaming;
        if (overlapped) {
          const step = Math.max(fm, comp, wfm);
          groups.push(group('LOADFM', 'body', p, n, t, t + n * fm, n * g.work.loadfmBytes, 0));
          groups.push(group('COMP', 'body', p, n, t, t + n * comp, 0, n * g.work.compCycles));
          groups.push(group('WRITEFM', 'body', p, n, t, t + n * wfm, n * g.work.writefmBytes, 0));
          if (step === comp) compute += n * step;
          else memtileCore += n * step;
          t += n * step;
        } else {
          for (let i = 0; i < n; i++) {
            groups.push(group('LOADFM', g.kind, p, 1, t, t + fm, g.work.loadfmBytes, 0));
            groups.push(group('COMP', g.kind, p, 1, t + fm, t + fm + comp, 0, g.work.compCycles));
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
    const write = program.writeBytes / ddrWrite;
    lanes.WRITE = write;
    if (write > 0) groups.push(group('WRITE', 'post', 0, 1, t, t + write, program.writeBytes, 0));
    const ddr = Math.max(load, loadw) + write;
    return { seconds: t + write, lanes, bound: boundOf(compute, ddr, memtileCore), groups };
  },
};

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
