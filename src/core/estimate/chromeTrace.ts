import { LANES } from '../compiler/program';
import type { SimulationReport } from './simulationReport';
import { traceOnUnits, type TraceUnits } from './traceUnits';

/** Longest layer name repeated in each event of the trace. */
const MAX_EVENT_NAME = 200;

/** One Chrome trace event (the JSON Trace Event Format that Perfetto and chrome://tracing read). */
export interface ChromeTraceEvent {
  readonly name: string;
  readonly ph: 'X' | 'M';
  readonly pid: number;
  readonly tid: number;
  readonly ts?: number;
  readonly dur?: number;
  readonly cat?: string;
  readonly args?: Record<string, unknown>;
}

/**
 * The simulated timeline as a Chrome trace: one process per mode and unit (memtile or core),
 * one thread per lane, plus a "layers" process per mode with one span per layer. Times in µs.
 * `units`: every memtile and core (the default), or one of each, as the timeline shows them.
 */
export function toChromeTrace(
  report: SimulationReport,
  units: TraceUnits = 'all',
): {
  traceEvents: ChromeTraceEvent[];
  displayTimeUnit: 'ns';
} {
  const events: ChromeTraceEvent[] = [];
  const meta: ChromeTraceEvent[] = [];
  const pids = new Map<string, number>();
  const pidOf = (key: string, label: string, sortIndex: number) => {
    let pid = pids.get(key);
    if (pid === undefined) {
      pid = pids.size + 1;
      pids.set(key, pid);
      meta.push({ name: 'process_name', ph: 'M', pid, tid: 0, args: { name: label } });
      meta.push({
        name: 'process_sort_index',
        ph: 'M',
        pid,
        tid: 0,
        args: { sort_index: sortIndex },
      });
    }
    return pid;
  };
  const threads = new Set<string>();
  const tidOf = (pid: number, lane: string) => {
    const tid = LANES.indexOf(lane as (typeof LANES)[number]) + 1;
    const key = `${pid}:${tid}`;
    if (!threads.has(key)) {
      threads.add(key);
      meta.push({ name: 'thread_name', ph: 'M', pid, tid, args: { name: lane } });
    }
    return tid;
  };
  // µs with ns resolution; durations from integer ns so they carry no float noise
  const ns = (s: number) => Math.round(s * 1e9);
  const us = (s: number) => ns(s) / 1e3;
  const span = (a: number, b: number) => (ns(b) - ns(a)) / 1e3;
  (['dense', 'sparse'] as const).forEach((mode, m) => {
    const result = report.modes[mode];
    if (!result) return;
    const layersPid = pidOf(`${mode}:layers`, `${mode}: layers`, m * 10000);
    meta.push({ name: 'thread_name', ph: 'M', pid: layersPid, tid: 1, args: { name: 'layers' } });
    for (const l of result.layers) {
      events.push({
        name: l.name,
        cat: l.op,
        ph: 'X',
        pid: layersPid,
        tid: 1,
        ts: us(l.start),
        dur: span(l.start, l.start + l.seconds),
        args: {
          op: l.op,
          bound: l.bound,
          macs: l.macs,
          subvolume: l.subvolume,
          splits: l.splits,
          // refined prefetch: this layer's weights started loading during the previous layer
          ...(l.prefetchSeconds > 0 ? { prefetchUs: us(l.prefetchSeconds) } : {}),
        },
      });
    }
    // every event names its layer: a hostile 100 KB node name times thousands of events would
    // make a gigabyte of JSON, so events carry at most 200 characters (the layers track, one
    // event per layer, keeps the full name)
    const short = result.layers.map((l) =>
      l.name.length > MAX_EVENT_NAME ? `${l.name.slice(0, MAX_EVENT_NAME - 1)}…` : l.name,
    );
    for (const e of traceOnUnits(result.trace, report.arch, units)) {
      const unitIndex = e.unit.startsWith('memtile') ? 1 : 2;
      const pid = pidOf(
        `${mode}:${e.unit}`,
        `${mode}: ${e.unit}`,
        m * 10000 + unitIndex * 1000 + pids.size,
      );
      events.push({
        name: `${e.lane} ${short[e.layer] ?? ''}`,
        cat: e.phase,
        ph: 'X',
        pid,
        tid: tidOf(pid, e.lane),
        ts: us(e.start),
        dur: span(e.start, e.end),
        args: {
          layer: short[e.layer],
          phase: e.phase,
          pass: e.pass,
          iterations: e.iterations,
          bytes: e.bytes,
          macs: e.macs,
        },
      });
    }
  });
  events.sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0) || a.pid - b.pid || a.tid - b.tid);
  return { traceEvents: [...meta, ...events], displayTimeUnit: 'ns' };
}
