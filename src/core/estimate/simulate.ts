import { maskDensity } from '../blocks/chunkDensity';
import { MEMTILE_LANES, unitNames } from './traceUnits';
import { PAPER_CHOICES, type CompilerChoices } from '../compiler/choices';
import {
  compile,
  PASSES,
  type AnyPass,
  type CompiledNetwork,
  type CompilePlan,
} from '../compiler/compile';
import type { CompilerInput } from '../compiler/compilerInput';
import type { SparsityMode } from '../compiler/network';
import type { Lane } from '../compiler/program';
import { diag, type Diagnostic } from '../diagnostics';
import { formatMicros } from '../units';
import { columnMemtileBytes, type AieArchitecture } from '../target/architecture';
import { choicesOf, PAPER_MODEL, timeModelOf, type EstimateModel } from './assumptions';
import { PRECISION_INFO, type Precision } from '../target/precision';
import { coverageOf } from './coverage';
import { paperTimeModel } from './paperTimeModel';
import type {
  DepthRunReport,
  ModeResult,
  SimLayer,
  SimulationReport,
  TraceEvent,
} from './simulationReport';
import { zeroLanes, type OpTiming, type TimedGroup, type TimeModel } from './timeModel';

export interface SimulateOptions {
  readonly arch: AieArchitecture;
  readonly precision?: Precision;
  readonly modes?: readonly SparsityMode[];
  /** Paper or refined mode (paper by default): the compiler's choices and the time model. */
  readonly model?: EstimateModel;
  /** Overrides the model's time model (tests of single rules). */
  readonly timeModel?: TimeModel;
  /** Overrides the model's compiler choices. */
  readonly choices?: CompilerChoices;
  /**
   * The trace: every unit (true, for Chrome traces), one memtile and one core ('lanes': every
   * unit of a lane does the same in paper mode, and the timeline draws lanes), or none (false).
   */
  readonly trace?: boolean | 'lanes';
  /** Most trace events per mode (default MAX_TRACE_EVENTS); later layers are not traced. */
  readonly maxTraceEvents?: number;
  /** Sees each pass's decisions as the compiler makes them (for --dump-passes). */
  readonly onPass?: (
    mode: SparsityMode,
    pass: AnyPass,
    value: unknown,
    plan: Partial<CompilePlan>,
  ) => void;
}

/** Lanes that run on the memtile side (one unit per column) vs. the core side (one per core). */

function expandTrace(
  layer: number,
  groups: readonly TimedGroup[],
  start: number,
  arch: AieArchitecture,
  macsPerCycle: number,
  allUnits: boolean,
): TraceEvent[] {
  const events: TraceEvent[] = [];
  const { memtiles, cores } = unitNames(arch, allUnits ? 'all' : 'one');
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
    for (const unit of MEMTILE_LANES.has(g.lane) ? memtiles : cores) events.push({ ...base, unit });
  }
  return events;
}

/**
 * Most timeline events one mode records. Real CNNs stay far below (ResNet-50 on paper-8x8 with
 * every unit: a few tens of thousands); a hostile model with thousands of passes per layer would
 * otherwise fill gigabytes. Past it the remaining layers are timed but not drawn (BS4004).
 */
export const MAX_TRACE_EVENTS = 1_000_000;

/** Times a compiled network step by step with a time model: the network in one mode. */
export function timeNetwork(
  compiled: CompiledNetwork,
  model: TimeModel,
  withTrace: boolean | 'lanes',
  diagnostics: Diagnostic[],
  maxEvents = MAX_TRACE_EVENTS,
): ModeResult {
  const { plan, target } = compiled;
  const { network: net } = plan;
  const { macsPerCycle } = PRECISION_INFO[target.precision];
  const lanes = zeroLanes();
  const layers: SimLayer[] = [];
  const trace: TraceEvent[] = [];
  let truncatedAt: string | undefined;
  let t = 0;
  let weightBytes = 0;
  let peak = 0;
  let macs = 0;
  let ddrBytes = 0;
  const cap = columnMemtileBytes(target.arch);
  let previous: { timing: OpTiming; memtileBytes: number } | null = null;
  // depth-tiled runs in schedule order, and each run's index (its members share one DepthRun)
  const depthRuns: DepthRunReport[] = [];
  const runIndex = new Map<object, number>();
  for (const id of plan.schedule.flatMap((s) => s.ops)) {
    const op = net.ops[id];
    const program = plan.program.get(id);
    const weights = plan.weights.get(id);
    const memory = plan.memory.get(id);
    const ddr = plan.ddr.get(id);
    if (!program || !weights || !memory || !ddr) continue; // not placed: reported as BS4002
    const tiling = ddr.tiling;
    // the previous op computes while this one's weights come in, if they fit beside it
    const window =
      previous && previous.memtileBytes + program.weightMemtileBytes <= cap
        ? previous.timing.passSeconds
        : 0;
    const timing = model.time(program, target.arch, window);
    previous = { timing, memtileBytes: ddr.memtileBytes };
    let depthRun: number | null = null;
    if (ddr.run) {
      depthRun = runIndex.get(ddr.run) ?? depthRuns.length;
      if (depthRun === depthRuns.length) {
        runIndex.set(ddr.run, depthRun);
        depthRuns.push({
          layers: ddr.run.ops.map((o) => net.ops[o].name),
          tiles: ddr.run.tiles,
          savedBytes: ddr.run.savedBytes,
        });
      }
    }
    const programBytes = program.loadBytes + program.loadwBytes + program.writeBytes;
    ddrBytes += programBytes;
    for (const lane of Object.keys(lanes) as Lane[]) lanes[lane] += timing.lanes[lane];
    if (withTrace && trace.length >= maxEvents) {
      truncatedAt ??= op.name;
    } else if (withTrace) {
      const events = expandTrace(
        layers.length,
        timing.groups,
        t,
        target.arch,
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
      splits: {
        chunks: tiling.core.chunks,
        chunksPerMemtile: tiling.core.chunksPerMemtile,
        cinSlices: tiling.core.cinSlices,
        coutChunksPerCore: tiling.core.coutChunksPerCore,
        weightGroups: ddr.weightGroups,
        ddrTiles: ddr.tiles,
        ddrAxis: ddr.axis,
        channelPasses: tiling.channelPasses,
      },
      memory: memory.mode,
      path: timing.path,
      prefetchSeconds: timing.prefetchSeconds,
      ddrBytes: programBytes,
      depthRun,
      layerDensity: op.conv && op.conv.mask.nonZero.length > 0 ? maskDensity(op.conv.mask) : 1,
      iterations: {
        n: ddr.tileRows[0].iterations,
        head: ddr.tileRows[0].head,
        body: ddr.tileRows[0].body,
        tail: ddr.tileRows[0].tail,
        passes: program.passes.length,
      },
      rho: weights.rho,
      keptDense: target.mode === 'sparse' && target.keptDense.has(op.name),
      macs: op.macs,
      spillBytes: memory.spillBytes,
      compiledWeightBytes: weights.compiledBytes,
      memtileBytes: ddr.memtileBytes,
    });
    t += timing.seconds;
    weightBytes += weights.compiledBytes;
    peak = Math.max(peak, ddr.memtileBytes);
    macs += op.kind === 'conv' ? op.macs : 0;
  }
  if (truncatedAt !== undefined) {
    diagnostics.push(
      diag(
        'BS4004',
        'warning',
        `the ${target.mode} timeline has more than ${maxEvents} events; from ${truncatedAt} on, layers are timed but not drawn`,
        truncatedAt,
      ),
    );
  }
  const cores = target.arch.columns * target.arch.rows;
  return {
    mode: target.mode,
    seconds: t * net.batch,
    imageSeconds: t,
    batch: net.batch,
    lanes,
    compiledWeightBytes: weightBytes,
    peakMemtileBytes: peak,
    ddrBytes,
    depthRuns,
    macs,
    utilisation: t > 0 ? macs / (t * cores * macsPerCycle * target.arch.clockHz) : 0,
    layers,
    trace,
  };
}

/**
 * The layers to compile dense next: each sparse layer (with weights) slower than its dense twin,
 * or, when it is kept dense already or has no weights (its slowness comes from the memtiles'
 * state), the latest earlier conv that went to DDR where its dense twin stayed in the memtiles.
 * `unfixable`: slower layers for which neither exists.
 */
export function layersToKeepDense(
  sparse: readonly SimLayer[],
  dense: ReadonlyMap<string, SimLayer>,
  kept: ReadonlySet<string>,
): { fixes: string[]; unfixable: SimLayer[] } {
  const fixes = new Set<string>();
  const unfixable: SimLayer[] = [];
  const isConv = (l: SimLayer) => l.op.startsWith('conv');
  sparse.forEach((l, i) => {
    const d = dense.get(l.name);
    if (!d || l.seconds <= d.seconds) return;
    if (isConv(l) && !kept.has(l.name)) {
      fixes.add(l.name);
      return;
    }
    const upstream = sparse
      .slice(0, i)
      .reverse()
      .find(
        (e) =>
          isConv(e) &&
          !kept.has(e.name) &&
          e.memory === 'ddr' &&
          dense.get(e.name)?.memory === 'fm',
      );
    if (upstream) fixes.add(upstream.name);
    else unfixable.push(l);
  });
  return { fixes: [...fixes], unfixable };
}

/**
 * Compiles the network for an array in each mode (compile → program) and times each program
 * with a time model (paper rules by default).
 *
 * Sparse mode never runs a layer slower than dense: the paper's rules are not monotone in ρ
 * (a sparse chunk may take twice the input channels, gaining no COMP and carrying more index
 * bytes; weights that fit alone in sparse mode take no weight groups, so the step may spill
 * where its dense twin fitted). A layer that would be slower compressed is compiled with its
 * zero blocks kept (the paper's nocompression, per layer) and recompiled until none is slower.
 */
export function simulate(input: CompilerInput, options: SimulateOptions): SimulationReport {
  const precision = options.precision ?? 'int8';
  const estimateModel = options.model ?? PAPER_MODEL;
  const model = options.timeModel ?? (options.model ? timeModelOf(options.model) : paperTimeModel);
  const modes = options.modes ?? ['dense', 'sparse'];
  const choices = options.choices ?? (options.model ? choicesOf(options.model) : PAPER_CHOICES);
  const results: { dense?: ModeResult; sparse?: ModeResult } = {};
  const diagnostics: Diagnostic[] = [];
  let cpu: SimulationReport['cpu'] = {
    cutAt: null,
    cutOps: 0,
    cpuOps: 0,
    cutMacs: 0,
    cutLayers: [],
  };
  const trace = options.trace ?? true;
  const report = (compiled: CompiledNetwork) => {
    // both modes lower the same graph: report its diagnostics once
    for (const d of compiled.diagnostics)
      if (!diagnostics.some((x) => x.code === d.code && x.message === d.message))
        diagnostics.push(d);
    for (const pass of PASSES)
      options.onPass?.(compiled.target.mode, pass, compiled.plan[pass.writes], compiled.plan);
    const { cut, network } = compiled.plan;
    cpu = {
      cutAt: cut.at?.name ?? null,
      cutOps: cut.cutOps.length,
      cpuOps: network.cpuNodes.length,
      cutMacs: cut.cutMacs,
      cutLayers: cut.cutLayers,
    };
  };
  const target = { arch: options.arch, precision, choices };
  // the trace changes no time: a run without one is reused when no trace is asked for
  const timed = (compiled: CompiledNetwork, untraced: ModeResult) =>
    trace ? timeNetwork(compiled, model, trace, diagnostics, options.maxTraceEvents) : untraced;
  // dense first: sparse mode compares each of its layers with the dense ones
  const denseCompiled = compile(input, { ...target, mode: 'dense' });
  const denseUntraced = timeNetwork(denseCompiled, model, false, []);
  const coverage = coverageOf(input, denseCompiled.plan);
  const denseLayers = new Map(denseUntraced.layers.map((l) => [l.name, l]));
  if (modes.includes('dense')) {
    report(denseCompiled);
    results.dense = timed(denseCompiled, denseUntraced);
  }
  if (modes.includes('sparse')) {
    const keptDense = new Set<string>();
    for (;;) {
      const compiled = compile(input, { ...target, mode: 'sparse', keptDense });
      const untraced = timeNetwork(compiled, model, false, []);
      const { fixes, unfixable } = layersToKeepDense(untraced.layers, denseLayers, keptDense);
      if (fixes.length === 0) {
        report(compiled);
        for (const l of unfixable) {
          const d = denseLayers.get(l.name);
          diagnostics.push(
            diag(
              'BS4006',
              'warning',
              `${l.name} takes ${formatMicros(l.seconds)} µs sparse, ${formatMicros(d?.seconds ?? 0)} µs dense on ${options.arch.name}: ` +
                'no layer kept dense makes up for it (the memtiles fill differently in the two modes)',
              l.name,
            ),
          );
        }
        results.sparse = timed(compiled, untraced);
        break;
      }
      for (const name of fixes) keptDense.add(name);
    }
  }
  const { dense, sparse } = results;
  return {
    arch: options.arch,
    precision,
    timeModel: model.name,
    model: estimateModel,
    modes: results,
    speedup: dense && sparse && sparse.seconds > 0 ? dense.seconds / sparse.seconds : null,
    cpu,
    coverage,
    diagnostics,
  };
}
