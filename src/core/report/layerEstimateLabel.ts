import type { SimulationReport } from '../estimate/simulationReport';

const us = (s: number) => `${(s * 1e6).toFixed(1)} µs`;

/**
 * The estimate part of a layer's code lens: " · dense µs → sparse µs on <array>" for layers on
 * the array (several names: their sum), " · on the CPU (graph cut)" for layers the paper-mode
 * cut leaves to the CPU (" · on the CPU (<reason>)" for other CPU layers), and nothing when the
 * layer is not estimated at all.
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
  const where = names.map((n) => layerOnCpu(sim, n));
  if (names.length > 0 && where.every((w) => w !== null)) return ` · on the ${where[0]}`;
  return '';
}

/**
 * Where a layer the array does not run goes: "CPU (graph cut)" for what paper mode's cut
 * leaves behind, "CPU (<reason>)" for a CPU op (Conv3d, activation x activation, a layer in an
 * If body, ...), "CPU (not placeable)"; null for a layer on the array or not estimated.
 */
export function layerOnCpu(sim: SimulationReport | null | undefined, name: string): string | null {
  if (!sim) return null;
  if (sim.cpu.cutLayers.includes(name)) return 'CPU (graph cut)';
  const off =
    sim.coverage.offArray.find((n) => n.name === name) ??
    // a layer inside an If/Loop body: its node runs where the If does
    sim.coverage.offArray.find((n) => name.startsWith(`${n.name}/`));
  if (!off) return null;
  if (off.class === 'unplaced') return 'CPU (not placeable)';
  return off.name === name ? `CPU (${off.reason})` : `CPU (inside ${off.opType} '${off.name}')`;
}
