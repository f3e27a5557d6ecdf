import type { SimulationReport } from '../estimate/simulationReport';

const us = (s: number) => `${(s * 1e6).toFixed(1)} µs`;

/**
 * The estimate part of a layer's code lens: " · dense µs → sparse µs on <array>" for layers on
 * the array (several names: their sum), " · on the CPU (graph cut)" for layers the paper-mode
 * cut leaves to the CPU, and nothing when the layer is not estimated at all.
 */
export function layerEstimateLabel(
  sim: SimulationReport | null | undefined,
  names: readonly string[],
): string {
  if (!sim) return '';
  const sum = (layers: readonly { name: string; seconds: number }[] | undefined) => {
    const wanted = new Set(names);
    let total = 0;
    let found = 0;
    for (const l of layers ?? [])
      if (wanted.has(l.name)) {
        total += l.seconds;
        found++;
      }
    return found > 0 ? total : null;
  };
  const dense = sum(sim.modes.dense?.layers);
  const sparse = sum(sim.modes.sparse?.layers);
  if (dense !== null && sparse !== null)
    return ` · ${us(dense)} → ${us(sparse)} on ${sim.arch.name}`;
  const cut = new Set(sim.cpu.cutLayers);
  if (names.length > 0 && names.every((n) => cut.has(n))) return ' · on the CPU (graph cut)';
  return '';
}
