import type { AssumptionLedger } from '../core/estimate/assumptionLedger';
import type { ModeResult, SimLayer, SimulationReport } from '../core/estimate/simulationReport';
import { whyNotFaster } from '../core/estimate/whyNotFaster';

/** The CLI's JSON contract for one simulated layer. */
function layerJson(l: SimLayer) {
  return {
    name: l.name,
    op: l.op,
    seconds: l.seconds,
    lanes: l.lanes,
    bound: l.bound,
    subvolume: l.subvolume,
    splits: l.splits,
    iterations: l.iterations,
    memory: l.memory,
    path: l.path,
    prefetchSeconds: l.prefetchSeconds,
    ddrBytes: l.ddrBytes,
    depthRun: l.depthRun,
    rho: l.rho,
    layerDensity: l.layerDensity,
    keptDense: l.keptDense,
    spillBytes: l.spillBytes,
    compiledWeightBytes: l.compiledWeightBytes,
  };
}

function modeJson(m: ModeResult | undefined) {
  if (!m) return undefined;
  return {
    seconds: m.seconds,
    imageSeconds: m.imageSeconds,
    batch: m.batch,
    lanes: m.lanes,
    compiledWeightBytes: m.compiledWeightBytes,
    peakMemtileBytes: m.peakMemtileBytes,
    ddrBytes: m.ddrBytes,
    depthRuns: m.depthRuns,
    macs: m.macs,
    utilisation: m.utilisation,
    layers: m.layers.map(layerJson),
  };
}

/** `blocksparse simulate --json` output. */
export function simulationJson(
  file: string,
  r: SimulationReport,
  ledger: AssumptionLedger | null = null,
) {
  return {
    file,
    arch: r.arch,
    precision: r.precision,
    timeModel: r.timeModel,
    model: r.model,
    ledger,
    why: whyNotFaster(r),
    modes: { dense: modeJson(r.modes.dense), sparse: modeJson(r.modes.sparse) },
    speedup: r.speedup,
    cpu: r.cpu,
    coverage: r.coverage,
    diagnostics: r.diagnostics.map((d) => ({
      code: d.code,
      severity: d.severity,
      message: d.message,
      node: d.node,
    })),
  };
}
