import type { AieArchitecture } from '../target/architecture';
import type { Precision } from '../target/precision';
import type { Diagnostic } from '../diagnostics';
import { PAPER_CHOICES, type CompilerChoices } from './choices';
import type { CompilerInput } from './compilerInput';
import { compressWeights, type WeightPlan } from './compression';
import { tileForDdr, type DdrTiling } from './ddrTiling';
import { planDepthRuns } from './depthTiling';
import {
  dumpCut,
  dumpDdr,
  dumpLowered,
  dumpMemory,
  dumpPrograms,
  dumpSchedule,
  dumpTiles,
  dumpWeights,
} from './dumps';
import { cutGraph, type GraphCut } from './graphCut';
import { lower } from './lower';
import { planMemory, type StepMemory } from './memory';
import type { LoweredNetwork, LoweredOp, SparsityMode } from './network';
import { CompileDiagnostics, type PassContext } from './passContext';
import { buildProgram, passCount, type OpProgram } from './program';
import { scheduleSteps, type Schedule } from './schedule';
import { MAX_PASSES, tileOp, type Tiling } from './tiles';

/** Everything the passes decide, one field per pass, each written once. */
export interface CompilePlan {
  readonly network: LoweredNetwork;
  readonly cut: GraphCut;
  readonly schedule: Schedule;
  /** Ops that could not be placed have no tiling (and are reported, BS4002). */
  readonly tiles: ReadonlyMap<number, Tiling>;
  readonly weights: ReadonlyMap<number, WeightPlan>;
  readonly memory: ReadonlyMap<number, StepMemory>;
  readonly ddr: ReadonlyMap<number, DdrTiling>;
  readonly program: ReadonlyMap<number, OpProgram>;
}

export type PlanKey = keyof CompilePlan;

/**
 * A named compiler pass: it reads the fields of earlier passes it declares, writes one field,
 * and renders what it decided as text (golden dumps, --dump-passes).
 */
export interface CompilerPass<R extends PlanKey, W extends PlanKey> {
  readonly name: string;
  readonly reads: readonly R[];
  readonly writes: W;
  run(plan: Pick<CompilePlan, R>, input: CompilerInput, ctx: PassContext): CompilePlan[W];
  dump(value: CompilePlan[W], plan: Pick<CompilePlan, R>): string;
}

/** A pass with its types erased, as the pipeline holds it. */
export interface AnyPass {
  readonly name: string;
  readonly reads: readonly PlanKey[];
  readonly writes: PlanKey;
  run(plan: Partial<CompilePlan>, input: CompilerInput, ctx: PassContext): unknown;
  dump(value: unknown, plan: Partial<CompilePlan>): string;
}

function definePass<R extends PlanKey, W extends PlanKey>(p: CompilerPass<R, W>): AnyPass {
  return p as unknown as AnyPass;
}

/** BS4002: an op the array cannot take, and why; it leaves the estimate. */
function unplaceable(ctx: PassContext, op: LoweredOp, why: string): void {
  ctx.diagnostics.push(
    'BS4002',
    'warning',
    `${op.name} (${op.kind}) cannot be placed on ${ctx.arch.name}: ${why}`,
    op.name,
  );
}

/** The steps whose ops all have a tiling (the others were reported as BS4002). */
const placedSteps = (s: Schedule, tiles: ReadonlyMap<number, Tiling>): Schedule =>
  s.filter((step) => step.ops.every((id) => tiles.has(id)));

const scheduled = (s: Schedule, net: LoweredNetwork) =>
  s.flatMap((x) => x.ops.map((id) => net.ops[id]));

/** The compiler's passes, in order (AIE2-MODEL.md §3, PAPER-COMPILER.md). */
export const PASSES: readonly AnyPass[] = [
  definePass({
    name: 'lower',
    reads: [],
    writes: 'network',
    run: (_plan, input, ctx) => lower(input, ctx.choices, ctx.diagnostics),
    dump: (net) => dumpLowered(net),
  }),
  definePass({
    name: 'cut',
    reads: ['network'],
    writes: 'cut',
    run: (plan, input, ctx) => cutGraph(plan.network, input, ctx),
    dump: (cut, plan) => dumpCut(plan.network, cut),
  }),
  definePass({
    name: 'schedule',
    reads: ['network', 'cut'],
    writes: 'schedule',
    run: (plan) => scheduleSteps(plan.network, plan.cut),
    dump: (schedule, plan) => dumpSchedule(plan.network, schedule),
  }),
  definePass({
    name: 'subvolume',
    reads: ['network', 'schedule'],
    writes: 'tiles',
    run(plan, _input, ctx) {
      const tiles = new Map<number, Tiling>();
      for (const op of scheduled(plan.schedule, plan.network)) {
        const t = tileOp(op, plan.network, ctx);
        if (typeof t === 'string') unplaceable(ctx, op, t);
        else tiles.set(op.id, t);
      }
      return tiles;
    },
    dump: (tiles, plan) => dumpTiles(plan.network, plan.schedule, tiles),
  }),
  definePass({
    name: 'compression',
    reads: ['network', 'schedule', 'tiles'],
    writes: 'weights',
    run: (plan, _input, ctx) =>
      new Map(
        [...plan.tiles].map(([id, t]) => [id, compressWeights(plan.network.ops[id], t, ctx)]),
      ),
    dump: (weights, plan) => dumpWeights(plan.network, plan.schedule, weights),
  }),
  definePass({
    name: 'memory',
    reads: ['network', 'cut', 'schedule', 'tiles', 'weights'],
    writes: 'memory',
    run: (plan, _input, ctx) =>
      planMemory(
        plan.network,
        plan.cut,
        placedSteps(plan.schedule, plan.tiles),
        plan.tiles,
        plan.weights,
        ctx,
      ),
    dump: (memory, plan) => dumpMemory(plan.network, plan.schedule, memory),
  }),
  definePass({
    name: 'ddr-tiling',
    reads: ['network', 'cut', 'schedule', 'tiles', 'weights', 'memory'],
    writes: 'ddr',
    run(plan, _input, ctx) {
      const ddr = new Map<number, DdrTiling>();
      for (const op of scheduled(plan.schedule, plan.network)) {
        const t = plan.tiles.get(op.id);
        const w = plan.weights.get(op.id);
        const m = plan.memory.get(op.id);
        if (!t || !w || !m) continue;
        const d = tileForDdr(op, plan.network, t, w, m, ctx);
        const passes = typeof d === 'string' ? 0 : passCount(d.tiling, d, ctx);
        if (typeof d === 'string') unplaceable(ctx, op, d);
        else if (passes > MAX_PASSES)
          unplaceable(
            ctx,
            op,
            `it would take ${passes} passes (the limit is ${MAX_PASSES}); are its shapes right?`,
          );
        else ddr.set(op.id, d);
      }
      if (ctx.choices.depthTiling) {
        const order = placedSteps(plan.schedule, plan.tiles).flatMap((s) => s.ops);
        planDepthRuns(plan.network, plan.cut, order, plan.weights, plan.memory, ddr, ctx);
      }
      return ddr;
    },
    dump: (ddr, plan) => dumpDdr(plan.network, placedSteps(plan.schedule, plan.tiles), ddr),
  }),
  definePass({
    name: 'program',
    reads: ['network', 'schedule', 'weights', 'memory', 'ddr'],
    writes: 'program',
    run(plan, _input, ctx) {
      const programs = new Map<number, OpProgram>();
      for (const op of scheduled(plan.schedule, plan.network)) {
        const w = plan.weights.get(op.id);
        const m = plan.memory.get(op.id);
        const d = plan.ddr.get(op.id);
        if (w && m && d) programs.set(op.id, buildProgram(op, w, m, d, ctx));
      }
      return programs;
    },
    dump: (programs, plan) => dumpPrograms(plan.network, plan.schedule, programs),
  }),
];

/** The file name of a pass's dump: numbered by its place in PASSES. */
export function passDumpName(pass: AnyPass): string {
  return `${PASSES.indexOf(pass) + 1}-${pass.name}`;
}

/** The compiler's target: array, precision, mode and the choices (paper mode's by default). */
export interface CompileTarget {
  readonly arch: AieArchitecture;
  readonly precision: Precision;
  readonly mode: SparsityMode;
  readonly choices?: CompilerChoices;
  /** Sparse mode: layers to compile with their zero blocks kept (see PassContext.keptDense). */
  readonly keptDense?: ReadonlySet<string>;
}

/** A compiled network: every pass's decisions and the diagnostics found on the way. */
export interface CompiledNetwork {
  readonly plan: CompilePlan;
  readonly target: Required<CompileTarget>;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Runs passes in order, each once. A pass sees only the fields it declares (reading another
 * throws), may read only what earlier passes wrote, and may not write a field twice: the pipeline
 * cannot silently re-run a decision or depend on a later one.
 */
export function runPasses(
  passes: readonly AnyPass[],
  input: CompilerInput,
  ctx: PassContext,
  onPass?: (pass: AnyPass, value: unknown, plan: Partial<CompilePlan>) => void,
): Partial<CompilePlan> {
  const plan: Partial<Record<PlanKey, unknown>> = {};
  for (const pass of passes) {
    for (const r of pass.reads) {
      if (!(r in plan))
        throw new Error(`compiler bug: pass '${pass.name}' reads '${r}' before any pass wrote it`);
    }
    if (pass.writes in plan) {
      throw new Error(
        `compiler bug: pass '${pass.name}' would write '${pass.writes}' a second time`,
      );
    }
    const allowed = new Set<string>(pass.reads);
    const view = new Proxy(plan, {
      get(target, key) {
        if (typeof key === 'string' && !allowed.has(key))
          throw new Error(
            `compiler bug: pass '${pass.name}' read '${key}', which it does not declare`,
          );
        return target[key as PlanKey];
      },
    });
    const value = pass.run(view as Partial<CompilePlan>, input, ctx);
    plan[pass.writes] = value;
    onPass?.(pass, value, view as Partial<CompilePlan>);
  }
  return plan as Partial<CompilePlan>;
}

/** Compiles the network for a target; `onPass` sees each pass's decisions (for --dump-passes). */
export function compile(
  input: CompilerInput,
  target: CompileTarget,
  onPass?: (pass: AnyPass, value: unknown, plan: Partial<CompilePlan>) => void,
): CompiledNetwork {
  // `?? ` rather than spreading defaults: an explicit `choices: undefined` means the default too
  const full: Required<CompileTarget> = {
    ...target,
    choices: target.choices ?? PAPER_CHOICES,
    keptDense: target.keptDense ?? new Set<string>(),
  };
  const diagnostics = new CompileDiagnostics();
  const ctx: PassContext = { ...full, diagnostics };
  const plan = runPasses(PASSES, input, ctx, onPass) as CompilePlan;
  return { plan, target: full, diagnostics: diagnostics.list };
}
