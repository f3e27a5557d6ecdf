import type { ModeResult, SimLayer, SimulationReport } from '../core/estimate/simulationReport';

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
    rho: l.rho,
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
    macs: m.macs,
    utilisation: m.utilisation,
    layers: m.layers.map(layerJson),
  };
}

/** `blocksparse simulate --json` output. */
export function simulationJson(file: string, r: SimulationReport) {
  return {
    file,
    arch: r.arch,
    precision: r.precision,
    timeModel: r.timeModel,
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
