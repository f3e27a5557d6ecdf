import { compile, type CompileInput, type CompilerPass } from '../compiler/compile';
import type { CompilePlan, Lane, SparsityMode } from '../compiler/plan';
import { diag, type Diagnostic } from '../diagnostics';
import type { ModeResult, SimLayer, SimulationReport, TraceEvent } from './simulationReport';
import { type AieArchitecture } from '../target/architecture';
import { PRECISION_INFO, type Precision } from '../target/precision';
import { paperTimeModel } from './paperTimeModel';
import { zeroLanes, type TimedGroup, type TimeModel } from './timeModel';

export interface SimulateOptions {
  readonly arch: AieArchitecture;
  readonly precision?: Precision;
  readonly modes?: readonly SparsityMode[];
  readonly timeModel?: TimeModel;
  /**
   * The trace: every unit (true, for Chrome traces), one memtile and one core ('lanes': every
   * unit of a lane does the same in paper mode, and the timeline draws lanes), or none (false).
   */
  readonly trace?: boolean | 'lanes';
  /** Most trace events per mode (default MAX_TRACE_EVENTS); later layers are not traced. */
  readonly maxTraceEvents?: number;
  readonly onPass?: (mode: SparsityMode, pass: CompilerPass, plan: CompilePlan) => void;
}

/** Lanes that run on the memtile side (one unit per column) vs. the core side (one per core). */
const MEMTILE_LANES: ReadonlySet<Lane> = new Set(['LOAD', 'LOADW', 'WRITE', 'LOADFM', 'WRITEFM']);

function expandTrace(
  layer: number,
  groups: readonly TimedGroup[],
  start: number,
  arch: AieArchitecture,
  macsPerCycle: number,
  allUnits: boolean,
): TraceEvent[] {
  const events: TraceEvent[] = [];
  const columns = allUnits ? arch.columns : 1;
  const rows = allUnits ? arch.rows : 1;
  for (const g of groups) {
    const base = {
      layer,
      lane: g.lane,
      phase: g.phase,
      pass: g.pass,
      iterations: g.iterations,
      start: start + g.start,
      end: start + g.end,
      bytes: g.bytes,
      macs: g.cycles * macsPerCycle,
    };
    if (MEMTILE_LANES.has(g.lane)) {
      for (let c = 0; c < columns; c++) events.push({ ...base, unit: `memtile ${c}` });
    } else {
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < columns; c++) events.push({ ...base, unit: `core ${r},${c}` });
    }
  }
  return events;
}

/**
 * Most timeline events one mode records. Real CNNs stay far below (ResNet-50 on paper-8x8 with
 * every unit: a few tens of thousands); a hostile model with thousands of passes per layer would
 * otherwise fill gigabytes. Past it the remaining layers are timed but not drawn (BS4004).
 */
export const MAX_TRACE_EVENTS = 1_000_000;

function simulatePlan(
  plan: CompilePlan,
  model: TimeModel,
  withTrace: boolean | 'lanes',
  diagnostics: Diagnostic[],
  maxEvents: number,
): ModeResult {
  const net = plan.network;
  const order = plan.order ?? [];
  if (!net) throw new Error('compiler bug: no network after compile');
  const { macsPerCycle } = PRECISION_INFO[plan.precision];
  const lanes = zeroLanes();
  const layers: SimLayer[] = [];
  const trace: TraceEvent[] = [];
  let truncatedAt: string | undefined;
  let t = 0;
  let weightBytes = 0;
  let peak = 0;
  let macs = 0;
  for (const id of order) {
    const op = net.ops[id];
    const program = plan.programs?.get(id);
    const tiling = plan.tilings?.get(id);
    const comp = plan.compressions?.get(id);
    const mem = plan.memory?.get(id);
    if (!program || !tiling || !comp || !mem)
      throw new Error(`compiler bug: op ${id} incompletely compiled`);
    const timing = model.time(program, plan.arch);
    for (const lane of Object.keys(lanes) as Lane[]) lanes[lane] += timing.lanes[lane];
    if (withTrace && trace.length >= maxEvents) {
      truncatedAt ??= op.name;
    } else if (withTrace) {
      const events = expandTrace(
        layers.length,
        timing.groups,
        t,
        plan.arch,
        macsPerCycle,
        withTrace === true,
      );
      // a loop, not push(...events): spreading a large array overflows the call stack
      for (const e of events) trace.push(e);
    }
    layers.push({
      name: op.name,
      op: op.fused.length > 1 ? `${op.kind}+${op.fused.slice(1).join('+')}` : op.kind,
      seconds: timing.seconds,
      start: t,
      lanes: timing.lanes,
      bound: timing.bound,
      subvolume: tiling.sub,
      splits: tiling.splits,
      iterations: {
        n: tiling.iterations,
        head: tiling.head,
        body: tiling.body,
        tail: tiling.tail,
        passes: tiling.passes,
      },
      rho: comp.rho,
      macs: op.macs,
      spillBytes: mem.spillBytes,
      weightBytes: comp.layerWeightBytes,
      memtileBytes: mem.memtileBytes,
      inDdr: mem.inDdr,
    });
    t += timing.seconds;
    weightBytes += comp.layerWeightBytes;
    peak = Math.max(peak, mem.memtileBytes);
    macs += op.kind === 'conv' ? op.macs : 0;
  }
  if (truncatedAt !== undefined) {
    diagnostics.push(
      diag(
        'BS4004',
        'warning',
        `the ${plan.mode} timeline has more than ${maxEvents} events; from ${truncatedAt} on, layers are timed but not drawn`,
        truncatedAt,
      ),
    );
  }
  const cores = plan.arch.columns * plan.arch.rows;
  return {
    mode: plan.mode,
    seconds: t,
    lanes,
    weightBytes,
    peakMemtileBytes: peak,
    macs,
    utilisation: t > 0 ? macs / (t * cores * macsPerCycle * plan.arch.clockHz) : 0,
    layers,
    trace,
  };
}

/** Compiles the network for an array in each mode and times it (paper rules by default). */
export function simulate(input: CompileInput, options: SimulateOptions): SimulationReport {
  const precision = options.precision ?? 'int8';
  const model = options.timeModel ?? paperTimeModel;
  const modes = options.modes ?? ['dense', 'sparse'];
  const results: { dense?: ModeResult; sparse?: ModeResult } = {};
  const diagnostics: Diagnostic[] = [];
  for (const mode of modes) {
    const plan = compile(input, options.arch, mode, precision, (pass, p) =>
      options.onPass?.(mode, pass, p),
    );
    // both modes lower the same graph: report its diagnostics once
    for (const d of plan.diagnostics)
      if (!diagnostics.some((x) => x.code === d.code && x.message === d.message))
        diagnostics.push(d);
    const maxEvents = options.maxTraceEvents ?? MAX_TRACE_EVENTS;
    results[mode] = simulatePlan(plan, model, options.trace ?? true, diagnostics, maxEvents);
  }
  const { dense, sparse } = results;
  return {
    arch: options.arch,
    precision,
    timeModel: model.name,
    modes: results,
    speedup: dense && sparse && sparse.seconds > 0 ? dense.seconds / sparse.seconds : null,
    diagnostics,
  };
}
