import type { AieArchitecture } from '../target/architecture';
import type { Precision } from '../target/precision';
import { diag, type Diagnostic } from '../diagnostics';
import type { GraphIR } from '../onnx/ir';
import type { ShapeScope } from '../onnx/shapeInference';
import type { LayerReport } from '../analysis/analysisReport';
import { chunkDensity } from '../blocks/chunkDensity';
import {
  dumpCompression,
  dumpLowered,
  dumpMemory,
  dumpPrograms,
  dumpSchedule,
  dumpTilings,
} from './dumps';
import { buildProgram } from './instructions';
import { lower } from './lower';
import { planMemory } from './memoryPlan';
import type { CompilePlan, Compression, LoweredOp, SparsityMode, Tiling } from './plan';
import { chooseTiling, chunkBytes } from './subvolume';
import { PRECISION_INFO } from '../target/precision';

/** What the compiler reads: the main graph, its shapes, and the analysed layers by node name. */
export interface CompileInput {
  readonly graph: GraphIR;
  readonly shapes: ShapeScope;
  readonly layers: ReadonlyMap<string, LayerReport>;
}

/** A named compiler pass over the plan; dump() renders what it decided, for golden files. */
export interface CompilerPass {
  readonly name: string;
  run(plan: CompilePlan, input: CompileInput): void;
  dump(plan: CompilePlan): string;
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`compiler bug: pass order broken, ${what} missing`);
  return value;
}

function compressionOf(
  op: LoweredOp,
  t: Tiling,
  mode: SparsityMode,
  precision: Precision,
): Compression {
  const cv = op.conv;
  if (!cv) return { rho: 1, chunkBytes: 0, layerWeightBytes: 0 };
  const [co, kh, kw, ci] = t.sub.W;
  const rho = mode === 'dense' ? 1 : chunkDensity(cv.blocks, cv.cout / cv.group, co, ci);
  const w = chunkBytes(rho, co, kh, kw, ci, PRECISION_INFO[precision].bytes);
  return { rho, chunkBytes: w, layerWeightBytes: w * t.splits.chunks * t.splits.cinSlices };
}

/** BS4002: an op the array cannot take, and why; it leaves the schedule. */
function unplaceable(plan: CompilePlan, op: LoweredOp, why: string, how = ''): Diagnostic {
  return diag(
    'BS4002',
    'warning',
    `${op.name} (${op.kind}) cannot be placed on ${plan.arch.name}${how}: ${why}`,
    op.name,
  );
}

function tilingContext(plan: CompilePlan, widthTiles: number) {
  const net = need(plan.network, 'network');
  return {
    arch: plan.arch,
    precision: plan.precision,
    mode: plan.mode,
    tensors: net.tensors,
    widthTiles,
  };
}

/** The compiler's passes, in order (AIE2-MODEL.md §3). */
export const PASSES: readonly CompilerPass[] = [
  {
    name: 'lower',
    run(plan, input) {
      plan.network = lower(input.graph, input.shapes, input.layers, plan.diagnostics);
    },
    dump: (plan) => dumpLowered(need(plan.network, 'network')),
  },
  {
    name: 'schedule',
    run(plan) {
      // lowering emits ops in topological order; the paper schedules exactly that order
      plan.order = need(plan.network, 'network').ops.map((op) => op.id);
    },
    dump: (plan) => dumpSchedule(need(plan.network, 'network'), need(plan.order, 'order')),
  },
  {
    name: 'subvolume',
    run(plan) {
      const net = need(plan.network, 'network');
      const ctx = tilingContext(plan, 1);
      plan.tilings = new Map();
      const placed: number[] = [];
      for (const id of need(plan.order, 'order')) {
        const op = net.ops[id];
        const t = chooseTiling(op, ctx);
        if (typeof t === 'string') {
          plan.diagnostics.push(unplaceable(plan, op, t));
        } else {
          plan.tilings.set(id, t);
          placed.push(id);
        }
      }
      plan.order = placed;
    },
    dump: (plan) =>
      dumpTilings(
        need(plan.network, 'network'),
        need(plan.order, 'order'),
        need(plan.tilings, 'tilings'),
      ),
  },
  {
    name: 'compression',
    run(plan) {
      const net = need(plan.network, 'network');
      const tilings = need(plan.tilings, 'tilings');
      plan.compressions = new Map(
        need(plan.order, 'order').map((id) => [
          id,
          compressionOf(net.ops[id], need(tilings.get(id), 'tiling'), plan.mode, plan.precision),
        ]),
      );
    },
    dump: (plan) =>
      dumpCompression(
        need(plan.network, 'network'),
        need(plan.order, 'order'),
        need(plan.compressions, 'compressions'),
      ),
  },
  {
    name: 'memory',
    run(plan) {
      const net = need(plan.network, 'network');
      const tilings = need(plan.tilings, 'tilings');
      const compressions = need(plan.compressions, 'compressions');
      const planned = planMemory(
        net,
        need(plan.order, 'order'),
        tilings,
        compressions,
        plan.arch,
        plan.precision,
      );
      plan.memory = new Map();
      const unplaced = new Set<number>();
      for (const [id, p] of planned) {
        plan.memory.set(id, p.decision);
        if (p.widthTiles > 1) {
          // computed in DDR width tiles: narrower sub-volumes, one pass per tile
          const t = chooseTiling(net.ops[id], tilingContext(plan, p.widthTiles));
          if (typeof t !== 'string') {
            tilings.set(id, t);
            compressions.set(id, compressionOf(net.ops[id], t, plan.mode, plan.precision));
          } else {
            plan.diagnostics.push(
              unplaceable(plan, net.ops[id], t, ` in ${p.widthTiles} DDR tiles`),
            );
            plan.memory.delete(id);
            unplaced.add(id);
          }
        }
      }
      plan.order = need(plan.order, 'order').filter((id) => !unplaced.has(id));
    },
    dump: (plan) =>
      dumpMemory(
        need(plan.network, 'network'),
        need(plan.order, 'order'),
        need(plan.memory, 'memory'),
      ),
  },
  {
    name: 'instructions',
    run(plan) {
      const net = need(plan.network, 'network');
      plan.programs = new Map(
        need(plan.order, 'order').map((id) => [
          id,
          buildProgram(
            net.ops[id],
            need(plan.tilings?.get(id), 'tiling'),
            need(plan.compressions?.get(id), 'compression'),
            need(plan.memory?.get(id), 'memory'),
            plan.precision,
          ),
        ]),
      );
    },
    dump: (plan) =>
      dumpPrograms(
        need(plan.network, 'network'),
        need(plan.order, 'order'),
        need(plan.programs, 'programs'),
      ),
  },
];

/** Runs every pass; `onPass` sees the plan after each one (for --dump-passes). */
export function compile(
  input: CompileInput,
  arch: AieArchitecture,
  mode: SparsityMode,
  precision: Precision,
  onPass?: (pass: CompilerPass, plan: CompilePlan) => void,
): CompilePlan {
  const plan: CompilePlan = { arch, mode, precision, diagnostics: [] };
  for (const pass of PASSES) {
    pass.run(plan, input);
    onPass?.(pass, plan);
  }
  return plan;
}
