import type { ModeResult, SimulationReport } from './simulationReport';

/** What a sparse estimate's time is spent on, cause by cause. */
export type WhyCause =
  | 'ddr'
  | 'memtile-core'
  | 'weights-to-cores'
  | 'imbalance'
  | 'dense-layers'
  | 'other-ops'
  | 'sparse-compute';

export const WHY_TITLES: Readonly<Record<WhyCause, string>> = {
  ddr: 'waiting for DDR: LOAD, LOADW and WRITE not hidden behind compute',
  'memtile-core': 'moving tiles between memtiles and cores (LOADFM, WRITEFM on the critical path)',
  'weights-to-cores': 'loading weight chunks into the cores (LOADWM, once per pass)',
  imbalance: "uneven blocks: the busiest core's blocks beyond the layer's mean density",
  'dense-layers': 'compute of layers with no zero blocks, or kept dense',
  'other-ops': 'pools, adds and other ops without weights',
  'sparse-compute': 'compute of the sparse layers, sparsity already taken off',
};

export interface WhyLayer {
  readonly name: string;
  readonly seconds: number;
}

/** One cause: its seconds in one image's estimate, share of the total and the layers it costs most in. */
export interface WhyRow {
  readonly cause: WhyCause;
  readonly title: string;
  readonly seconds: number;
  readonly share: number;
  readonly layers: readonly WhyLayer[];
}

const TOP_LAYERS = 5;

/**
 * "Why isn't it faster?", computed from the estimate itself: every layer's seconds split by its
 * critical path (DDR, memtile ↔ core, weight loads, compute) and its compute split further by
 * what sparsity could not take off (the busiest core's excess blocks, layers without zero blocks,
 * ops without weights). The rows add up to the mode's time for one image and are ranked by it.
 */
export function whyNotFaster(report: SimulationReport): WhyRow[] {
  const mode: ModeResult | undefined = report.modes.sparse ?? report.modes.dense;
  if (!mode) return [];
  const per = new Map<WhyCause, Map<string, number>>();
  const add = (cause: WhyCause, layer: string, seconds: number) => {
    if (!(seconds > 0)) return;
    const m = per.get(cause) ?? new Map<string, number>();
    m.set(layer, (m.get(layer) ?? 0) + seconds);
    per.set(cause, m);
  };
  for (const l of mode.layers) {
    add('ddr', l.name, l.path.ddr);
    add('memtile-core', l.name, l.path.memtileCore);
    add('weights-to-cores', l.name, l.path.weights);
    const compute = l.path.compute;
    if (!l.op.startsWith('conv')) add('other-ops', l.name, compute);
    else if (mode.mode === 'dense' || l.keptDense || l.layerDensity >= 1)
      add('dense-layers', l.name, compute);
    else {
      // the chunk is charged at ρ (the busiest core's share in refined mode); the layer's own
      // density would take compute · layerDensity / ρ
      const excess = l.rho > l.layerDensity ? compute * (1 - l.layerDensity / l.rho) : 0;
      add('imbalance', l.name, excess);
      add('sparse-compute', l.name, compute - excess);
    }
  }
  const total = mode.imageSeconds;
  return [...per]
    .map(([cause, layers]) => {
      const seconds = [...layers.values()].reduce((a, b) => a + b, 0);
      return {
        cause,
        title: WHY_TITLES[cause],
        seconds,
        share: total > 0 ? seconds / total : 0,
        layers: [...layers]
          .map(([name, s]) => ({ name, seconds: s }))
          .sort((a, b) => b.seconds - a.seconds || a.name.localeCompare(b.name))
          .slice(0, TOP_LAYERS),
      };
    })
    .sort((a, b) => b.seconds - a.seconds || a.cause.localeCompare(b.cause));
}
