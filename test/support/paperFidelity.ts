import { simulate } from '../../src/core/estimate/simulate';
import type { CompilerInput } from '../../src/core/compiler/compilerInput';
import type { SimLayer, SimulationReport } from '../../src/core/estimate/simulationReport';
import { inceptionV3, resnet50, vgg16 } from '../fixtures/models';
import {
  PUBLISHED_TIMES,
  type PaperNet,
  type PublishedTime,
} from '../fixtures/paper/publishedTimes';
import { compileInputOf, preset } from './compileBytes';
import type { CalibrationTable } from './paperCalibration';

/**
 * The paper's evaluation models as fixtures: torchvision topologies at full width with 50% of
 * each layer's 8x8 blocks zero (the first conv on RGB left dense), Inception at 299x299.
 */
export function paperModels(): Record<PaperNet, CompilerInput> {
  return {
    resnet50: compileInputOf(resnet50({ zeroFraction: 0.5 }).bytes),
    inception3: compileInputOf(inceptionV3({ zeroFraction: 0.5 }).bytes),
    vgg16: compileInputOf(vgg16({ zeroFraction: 0.5 }).bytes),
  };
}

/** Our paper-mode estimate of one published configuration, next to the paper's. */
export interface FidelityRow extends PublishedTime {
  readonly estimate: number;
  /** Layers that could not be placed (a configuration that does not compile has some). */
  readonly unplaced: number;
  /** estimate / paper − 1, when the paper has a time. */
  readonly error: number | null;
  /** Layers slower sparse than dense in this configuration (on the dense row). */
  readonly sparseSlowerLayers?: number;
}

/** Runs every network on every paper array in both modes. */
export function paperFidelity(models: Record<PaperNet, CompilerInput>): {
  rows: FidelityRow[];
  reports: Map<string, SimulationReport>;
} {
  const reports = new Map<string, SimulationReport>();
  const rows = PUBLISHED_TIMES.map((p): FidelityRow => {
    const key = `${p.net}/${p.size}`;
    let report = reports.get(key);
    if (!report) {
      report = simulate(models[p.net], { arch: preset(`paper-${p.size}x${p.size}`), trace: false });
      reports.set(key, report);
    }
    const estimate = report.modes[p.mode]?.seconds ?? NaN;
    const unplaced = report.diagnostics.filter((d) => d.code === 'BS4002').length;
    const sparse = new Map((report.modes.sparse?.layers ?? []).map((l) => [l.name, l.seconds]));
    const sparseSlowerLayers = (report.modes.dense?.layers ?? []).filter(
      (l) => (sparse.get(l.name) ?? 0) > l.seconds * (1 + 1e-12),
    ).length;
    return {
      ...p,
      estimate,
      unplaced,
      error: p.seconds === null ? null : estimate / p.seconds - 1,
      ...(p.mode === 'dense' ? { sparseSlowerLayers } : {}),
    };
  });
  return { rows, reports };
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** The torch module path of a fixture node name ('/layer1/layer1.0/conv1/Conv' → 'layer1.0.conv1'). */
function modulePath(nodeName: string): string {
  const scopes = nodeName.split('/').filter(Boolean).slice(0, -1);
  let path = '';
  for (const s of scopes) {
    const last = path.split('.').pop() ?? '';
    if (path === '') path = s;
    else if (s.startsWith(`${last}.`)) path = `${path.slice(0, path.length - last.length)}${s}`;
    else path = `${path}.${s}`;
  }
  return path;
}

/**
 * The calibration tables name layers the torch way ('layer1.0.downsample', 'f12',
 * 'Mixed_6a/branch3x3'); the fixtures' ONNX node names carry the module path. Pools without a
 * module get the table's name from their position (VGG's features index, Inception's block).
 */
export function paperLayerNames(net: PaperNet, layers: readonly SimLayer[]): string[] {
  const vggPools = [4, 9, 16, 23, 30];
  let pool = 0;
  let lastMixed = '';
  return layers.map((l) => {
    const m = modulePath(l.name);
    if (l.op === 'gap' || (net === 'vgg16' && l.op === 'avgpool')) return 'avgpool';
    if (l.op.startsWith('add')) return `${m}.add`;
    if (net === 'vgg16')
      return l.op === 'maxpool' ? `f${vggPools[pool++]}` : m.replace(/^features\./, 'f');
    if (net === 'inception3') {
      const mixed = /^(Mixed_\w+)\./.exec(m)?.[1];
      if (mixed) lastMixed = mixed;
      if (l.op === 'maxpool' || l.op === 'avgpool')
        return `${/^Mixed_\w+$/.test(m) ? m : lastMixed}/pool`;
      return m.replace(/\.conv$/, '').replace(/\./, '/');
    }
    return m.replace(/\.0$/, '').replace(/_\d+$/, '');
  });
}

/** Which network, array and mode a calibration table ('Res4-dense') describes. */
export function calibrationRunOf(run: string): {
  net: PaperNet;
  size: number;
  mode: 'dense' | 'sparse';
} {
  const m = /^(Res|Inc|VGG)(\d)-(dense|sparse)$/.exec(run);
  if (!m) throw new Error(`unknown calibration run ${run}`);
  const net = ({ Res: 'resnet50', Inc: 'inception3', VGG: 'vgg16' } as const)[m[1] as 'Res'];
  return { net, size: Number(m[2]), mode: m[3] as 'dense' | 'sparse' };
}

const eq = (a: readonly number[] | null, b: readonly number[]) =>
  a === null || (a.length === b.length && a.every((x, i) => x === b[i]));

/** One calibration table against our layers: decisions and times, layer by layer. */
export function compareCalibration(
  table: CalibrationTable,
  run: { net: PaperNet; mode: 'dense' | 'sparse' },
  report: SimulationReport,
): {
  rows: number;
  matched: number;
  decisions: number;
  ours: number;
  paper: number;
  misses: { layer: string; ours: number; paper: number; why: string }[];
  /** Layers whose W, I, O, head/body/tail or passes differ from the paper's. */
  decisionMisses: string[];
} {
  const layers = report.modes[run.mode]?.layers ?? [];
  const names = paperLayerNames(run.net, layers);
  let matched = 0;
  let decisions = 0;
  let ours = 0;
  let paper = 0;
  const misses: { layer: string; ours: number; paper: number; why: string }[] = [];
  const decisionMisses: string[] = [];
  const rows = table.rows.filter((r) => r.op !== 'conv' || r.W !== null);
  for (const row of rows) {
    const i = names.indexOf(row.layer);
    const l = i >= 0 ? layers[i] : undefined;
    const T = l ? l.seconds * 1e6 : 0;
    ours += T / 1e6;
    paper += row.us.T / 1e6;
    if (!l) {
      misses.push({ layer: row.layer, ours: 0, paper: row.us.T, why: 'not in our estimate' });
      decisionMisses.push(row.layer);
      continue;
    }
    const why: string[] = [];
    if (row.W && !eq(row.W, l.subvolume.W)) why.push(`W ${l.subvolume.W} vs ${row.W}`);
    if (!eq(row.I, l.subvolume.I)) why.push(`I ${l.subvolume.I} vs ${row.I}`);
    if (!eq(row.O, l.subvolume.O)) why.push(`O ${l.subvolume.O} vs ${row.O}`);
    const it = l.iterations;
    if (
      it.head !== row.head ||
      it.body !== row.body ||
      it.tail !== row.tail ||
      it.passes !== row.passes
    )
      why.push(
        `${it.head}/${it.body}/${it.tail} x${it.passes} vs ${row.head}/${row.body}/${row.tail} x${row.passes}`,
      );
    const decided = why.length === 0;
    for (const lane of ['LOAD', 'LOADW', 'WRITE'] as const) {
      const a = l.lanes[lane] * 1e6;
      if (Math.abs(a - row.us[lane]) > 0.002)
        why.push(`${lane} ${a.toFixed(3)} vs ${row.us[lane]}`);
    }
    const good = Math.abs(T - row.us.T) <= 0.011 + 1e-4 * row.us.T;
    if (decided) decisions++;
    else decisionMisses.push(row.layer);
    if (good) matched++;
    else
      misses.push({ layer: row.layer, ours: T, paper: row.us.T, why: why.join('; ') || 'times' });
  }
  return { rows: rows.length, matched, decisions, ours, paper, misses, decisionMisses };
}

/** The acceptance figures of the fidelity check. */
export function fidelitySummary(rows: readonly FidelityRow[]) {
  const published = rows.filter((r) => r.error !== null);
  const held = published.filter((r) => !r.calibration);
  const worst = (net: PaperNet) =>
    Math.max(...held.filter((r) => r.net === net).map((r) => Math.abs(r.error ?? 0)));
  const pairs = rows
    .filter((r) => r.mode === 'dense')
    .flatMap((d) => {
      const s = rows.find((r) => r.net === d.net && r.size === d.size && r.mode === 'sparse');
      return s && d.seconds !== null && s.seconds !== null
        ? [Math.abs(d.estimate / s.estimate - d.seconds / s.seconds)]
        : [];
    });
  return {
    heldOut: held.length,
    medianAbsError: median(held.map((r) => Math.abs(r.error ?? 0))),
    worst: { resnet50: worst('resnet50'), vgg16: worst('vgg16'), inception3: worst('inception3') },
    worstCalibration: Math.max(
      ...published.filter((r) => r.calibration).map((r) => Math.abs(r.error ?? 0)),
    ),
    medianSpeedupError: median(pairs),
    speedupPairs: pairs.length,
    compiled: rows.filter((r) => r.unplaced === 0 && Number.isFinite(r.estimate)).length,
    sparseSlower: rows
      .filter((r) => r.mode === 'dense')
      .reduce((a, r) => a + (r.sparseSlowerLayers ?? 0), 0),
  };
}
