import { strict as assert } from 'node:assert';
import { findPreset } from '../../../src/core/target/presets';
import { simulate } from '../../../src/core/estimate/simulate';
import { rangeSummary, type RangeRow } from '../../../webview/rangeSummary';
import { resnetMini } from '../../fixtures/models';
import { compileInputOf } from '../../support/compileBytes';

describe('timeline range summary (webview, pure)', () => {
  // a real simulated trace: ResNet-mini, half its blocks zero, on the paper's 4x4 array
  const arch = findPreset('paper-4x4');
  assert.ok(arch);
  const sim = simulate(compileInputOf(resnetMini({ zeroFraction: 0.5 }).bytes), { arch });
  const rows: RangeRow[] = [];
  for (const mode of ['dense', 'sparse'] as const) {
    const m = sim.modes[mode];
    assert.ok(m);
    const layers = m.layers.map((l) => l.name);
    rows.push({
      label: `${mode} layers`,
      mode,
      layerTrack: true,
      events: m.layers.map((l, i) => ({ start: l.start, end: l.start + l.seconds, layer: i })),
      layers,
    });
    const comp = m.trace.filter((e) => e.lane === 'COMP' && e.unit === m.trace[0].unit);
    rows.push({ label: `${mode} COMP`, mode, layerTrack: false, events: comp, layers });
  }
  const total = Math.max(sim.modes.dense?.seconds ?? 0, sim.modes.sparse?.seconds ?? 0);

  it('the whole run: each lane sums to its slices, each layer to its own time', () => {
    const s = rangeSummary(rows, 0, total);
    for (const lane of s.lanes) {
      const row = rows.find((r) => r.label === lane.label);
      assert.ok(row);
      const sum = row.events.reduce((a, e) => a + (e.end - e.start), 0);
      assert.ok(Math.abs(lane.seconds - sum) < 1e-12, `${lane.label}: ${lane.seconds} vs ${sum}`);
      assert.equal(lane.slices, row.events.length);
    }
    const dense = sim.modes.dense;
    assert.ok(dense);
    const inRange = s.layers.filter((l) => l.mode === 'dense');
    assert.equal(inRange.length, dense.layers.filter((l) => l.seconds > 0).length);
    const layerSum = inRange.reduce((a, l) => a + l.seconds, 0);
    assert.ok(Math.abs(layerSum - dense.seconds) < 1e-9, 'the dense layers add up to its run');
    for (let i = 1; i < s.layers.length; i++)
      assert.ok(s.layers[i - 1].seconds >= s.layers[i].seconds, 'largest first');
  });

  it('a range cuts slices at its edges; either drag direction gives the same range', () => {
    const t0 = total * 0.3;
    const t1 = total * 0.6;
    const s = rangeSummary(rows, t1, t0);
    assert.deepEqual([s.start, s.end], [t0, t1]);
    for (const lane of s.lanes) assert.ok(lane.seconds <= t1 - t0 + 1e-15, lane.label);
    const dense = s.layers.filter((l) => l.mode === 'dense').reduce((a, l) => a + l.seconds, 0);
    // the dense run lasts the whole range here (it is the longer run), so its layers fill it
    assert.ok(Math.abs(dense - (t1 - t0)) < 1e-12);
    assert.deepEqual(
      rangeSummary(rows, t0, t0).lanes.map((l) => l.seconds),
      s.lanes.map(() => 0),
    );
  });
});
