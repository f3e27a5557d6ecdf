// `npm run fidelity`: paper mode against the paper's published times, and per layer against the
// calibration tables. Prints one row per network x array x mode, the held-out summary, and with
// --layers <run> (e.g. Res2-dense) every calibration layer that is off by more than 10 ns.
import { formatMicros } from '../src/core/units';
import { calibrationTables } from '../test/support/paperCalibration';
import {
  calibrationRunOf,
  compareCalibration,
  fidelitySummary,
  paperFidelity,
  paperModels,
} from '../test/support/paperFidelity';

const args = process.argv.slice(2);
const detail = args[args.indexOf('--layers') + 1];
const { rows, reports } = paperFidelity(paperModels());
const pct = (x: number | null) =>
  x === null ? '' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
console.log('net         array mode     paper ms  ours ms    error  set');
for (const r of rows) {
  console.log(
    `${r.net.padEnd(11)} ${`${r.size}x${r.size}`.padEnd(5)} ${r.mode.padEnd(7)} ${(r.seconds === null ? 'failed' : (r.seconds * 1e3).toFixed(3)).padStart(9)} ${(r.estimate * 1e3).toFixed(3).padStart(8)} ${pct(r.error).padStart(8)}  ${r.calibration ? 'calibration' : 'held out'}${r.unplaced ? ` (${r.unplaced} layers not placed)` : ''}`,
  );
}
const s = fidelitySummary(rows);
console.log(
  `\nheld out: ${s.heldOut} configurations, median |error| ${pct(s.medianAbsError)}, worst ResNet-50 ${pct(s.worst.resnet50)}, VGG-16 ${pct(s.worst.vgg16)}, Inception-v3 ${pct(s.worst.inception3)}`,
);
console.log(
  `speedup: median |error| ${s.medianSpeedupError.toFixed(3)} over ${s.speedupPairs} pairs; calibration runs within ${pct(s.worstCalibration)}; ${s.compiled}/42 configurations compile; ${s.sparseSlower} layers slower sparse than dense`,
);
for (const table of calibrationTables()) {
  const run = calibrationRunOf(table.run);
  const report = reports.get(`${run.net}/${run.size}`);
  if (!report) continue;
  const c = compareCalibration(table, run, report);
  console.log(
    `${table.run}: ${c.matched}/${c.rows} layers within 10 ns, decisions (W, I, O, passes) ${c.decisions}/${c.rows}, ours ${formatMicros(c.ours)} µs vs ${formatMicros(c.paper)} µs over these layers`,
  );
  if (detail === table.run)
    for (const m of c.misses)
      console.log(
        `  ${m.layer.padEnd(26)} T ${m.ours.toFixed(3).padStart(9)} vs ${m.paper.toFixed(3).padStart(9)}  ${m.why}`,
      );
}
