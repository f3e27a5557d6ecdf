import { strict as assert } from 'node:assert';
import { toChromeTrace, type ChromeTraceEvent } from '../../../../src/core/estimate/chromeTrace';
import { ARCHITECTURE_PRESETS } from '../../../../src/core/target/presets';
import { simulate } from '../../../../src/core/estimate/simulate';
import { traceOnUnits } from '../../../../src/core/estimate/traceUnits';
import { LANES } from '../../../../src/core/compiler/program';
import { inceptionBlock, resnet50, resnetMini, vggStack } from '../../../fixtures/models';
import { compileInputOf, preset } from '../../../support/compileBytes';

const PAPER = ARCHITECTURE_PRESETS.filter((a) => a.name.startsWith('paper-'));

describe('simulate (paper mode)', () => {
  it('more cores: never a different MAC count, and the dense time falls from 2x2 to 8x8', () => {
    const input = compileInputOf(resnetMini({ size: 64 }).bytes);
    const runs = PAPER.map((arch) => simulate(input, { arch, trace: false }));
    assert.equal(new Set(runs.map((r) => r.modes.dense?.macs)).size, 1);
    assert.ok((runs[6].modes.dense?.seconds ?? 0) < (runs[0].modes.dense?.seconds ?? 0));
  });

  it('is deterministic: same input, byte-identical report', () => {
    const bytes = inceptionBlock().bytes;
    const a = JSON.stringify(simulate(compileInputOf(bytes), { arch: preset('paper-4x4') }));
    const b = JSON.stringify(simulate(compileInputOf(bytes), { arch: preset('paper-4x4') }));
    assert.equal(a, b);
  });

  it('precision: bf16 doubles bytes and halves MACs per cycle, so it is slower', () => {
    const input = compileInputOf(vggStack().bytes);
    const int8 = simulate(input, { arch: preset('paper-4x4'), modes: ['dense'], trace: false })
      .modes.dense;
    const bf16 = simulate(input, {
      arch: preset('paper-4x4'),
      modes: ['dense'],
      precision: 'bf16',
      trace: false,
    }).modes.dense;
    assert.ok(int8 && bf16);
    assert.ok(bf16.seconds > int8.seconds);
    assert.ok(bf16.compiledWeightBytes > 1.9 * int8.compiledWeightBytes);
  });
});

describe('trace size bound', () => {
  it('past maxTraceEvents the remaining layers are timed but not traced (BS4004)', () => {
    const input = compileInputOf(resnetMini().bytes);
    const full = simulate(input, { arch: preset('paper-4x4'), trace: true, modes: ['dense'] });
    const all = full.modes.dense?.trace.length ?? 0;
    const capped = simulate(input, {
      arch: preset('paper-4x4'),
      trace: true,
      modes: ['dense'],
      maxTraceEvents: Math.floor(all / 3),
    });
    const m = capped.modes.dense;
    assert.ok(m);
    assert.ok(m.trace.length < all && m.trace.length >= all / 3, `${m.trace.length} of ${all}`);
    const traced = new Set(m.trace.map((e) => e.layer));
    assert.ok(traced.size < m.layers.length);
    const d = capped.diagnostics.find((x) => x.code === 'BS4004');
    assert.ok(d, 'BS4004');
    assert.equal(d.node, m.layers[traced.size].name, 'names the first layer left out');
    // the times do not change
    assert.equal(m.seconds, full.modes.dense?.seconds);
    assert.equal(
      full.diagnostics.some((x) => x.code === 'BS4004'),
      false,
    );
  });
});

describe('Chrome trace export', () => {
  const report = simulate(compileInputOf(resnet50({ widthDivisor: 4, zeroFraction: 0.5 }).bytes), {
    arch: preset('paper-2x2'),
  });
  const trace = toChromeTrace(report);

  it('events carry at most 200 characters of a layer name; the layers track the whole name', () => {
    const long = 'x'.repeat(100_000);
    const dense = report.modes.dense;
    assert.ok(dense);
    const renamed = {
      ...report,
      modes: { dense: { ...dense, layers: dense.layers.map((l) => ({ ...l, name: long })) } },
    };
    const t = toChromeTrace(renamed);
    const spans = t.traceEvents.filter((e) => e.ph === 'X');
    const full = spans.filter((e) => e.name === long);
    assert.equal(full.length, dense.layers.length, 'one full name per layer');
    const others = spans.filter((e) => e.name !== long);
    assert.ok(others.length > 1000);
    for (const e of others) assert.ok(e.name.length <= 210, `${e.name.length} characters`);
    assert.ok(
      JSON.stringify(t).length <
        JSON.stringify(toChromeTrace(report)).length + 100_000 * 2 * dense.layers.length,
    );
  });

  it("the view's one-of-each trace widened to all units is the full trace; its export has the same processes", () => {
    const input = compileInputOf(resnet50({ widthDivisor: 4, zeroFraction: 0.5 }).bytes);
    const arch = preset('paper-4x4');
    const full = simulate(input, { arch, trace: true });
    const lanes = simulate(input, { arch, trace: 'lanes' });
    const key = (e: { unit: string; lane: string; start: number; end: number; layer: number }) =>
      `${e.unit}|${e.lane}|${e.layer}|${e.start}|${e.end}`;
    for (const mode of ['dense', 'sparse'] as const) {
      const f = full.modes[mode]?.trace ?? [];
      const widened = traceOnUnits(lanes.modes[mode]?.trace ?? [], arch, 'all');
      assert.ok(f.length > 0);
      assert.deepEqual(widened.map(key).sort(), f.map(key).sort(), mode);
      assert.deepEqual(
        traceOnUnits(f, arch, 'one').map(key).sort(),
        (lanes.modes[mode]?.trace ?? []).map(key).sort(),
      );
    }
    const processes = (t: ReturnType<typeof toChromeTrace>) =>
      t.traceEvents.filter((e) => e.ph === 'M' && e.name === 'process_name').length;
    // per mode: the layers track, 4 memtiles and 16 cores (the CLI's full trace: 42)
    assert.equal(processes(toChromeTrace(full)), 2 * (1 + 4 + 16));
    assert.equal(processes(toChromeTrace(lanes, 'all')), 2 * (1 + 4 + 16));
    assert.equal(processes(toChromeTrace(lanes, 'one')), 2 * 3);
    assert.equal(processes(toChromeTrace(full, 'one')), 2 * 3);
  });

  it('has the fields Perfetto requires, with metadata naming every process and thread', () => {
    assert.equal(trace.displayTimeUnit, 'ns');
    const named = new Set(
      trace.traceEvents.filter((e) => e.ph === 'M' && e.name === 'process_name').map((e) => e.pid),
    );
    const threads = new Set(
      trace.traceEvents
        .filter((e) => e.ph === 'M' && e.name === 'thread_name')
        .map((e) => `${e.pid}:${e.tid}`),
    );
    for (const e of trace.traceEvents) {
      assert.equal(typeof e.name, 'string');
      assert.ok(e.ph === 'X' || e.ph === 'M');
      assert.ok(Number.isInteger(e.pid) && Number.isInteger(e.tid));
      if (e.ph === 'X') {
        assert.ok(
          typeof e.ts === 'number' && e.ts >= 0 && typeof e.dur === 'number' && e.dur >= 0,
          JSON.stringify(e),
        );
        assert.ok(named.has(e.pid), `process ${e.pid} is named`);
        assert.ok(threads.has(`${e.pid}:${e.tid}`), `thread ${e.pid}:${e.tid} is named`);
      }
    }
    JSON.parse(JSON.stringify(trace));
  });

  it('one process per mode and unit (memtiles and cores), one thread per lane', () => {
    const names = trace.traceEvents
      .filter((e) => e.ph === 'M' && e.name === 'process_name')
      .map((e) => String(e.args?.name));
    for (const mode of ['dense', 'sparse']) {
      assert.ok(names.includes(`${mode}: layers`));
      for (let c = 0; c < 2; c++) assert.ok(names.includes(`${mode}: memtile ${c}`));
      for (let r = 0; r < 2; r++)
        for (let c = 0; c < 2; c++) assert.ok(names.includes(`${mode}: core ${r},${c}`));
    }
    assert.equal(new Set(names).size, names.length);
    const laneNames = new Set(
      trace.traceEvents
        .filter((e) => e.ph === 'M' && e.name === 'thread_name')
        .map((e) => String(e.args?.name)),
    );
    assert.deepEqual([...laneNames].sort(), [...LANES, 'layers'].sort());
  });

  it('events on one track never partly overlap (properly nested)', () => {
    const tracks = new Map<string, ChromeTraceEvent[]>();
    for (const e of trace.traceEvents)
      if (e.ph === 'X')
        tracks.set(`${e.pid}:${e.tid}`, [...(tracks.get(`${e.pid}:${e.tid}`) ?? []), e]);
    for (const [track, events] of tracks) {
      const sorted = [...events].sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0));
      for (let i = 1; i < sorted.length; i++) {
        const prevEnd = (sorted[i - 1].ts ?? 0) + (sorted[i - 1].dur ?? 0);
        assert.ok(
          (sorted[i].ts ?? 0) >= prevEnd - 1e-3,
          `${track}: ${sorted[i - 1].name} overlaps ${sorted[i].name}`,
        );
      }
    }
  });

  it('layer spans cover the network time; lane events carry layer, phase, bytes and MACs', () => {
    const dense = report.modes.dense;
    assert.ok(dense);
    const spans = trace.traceEvents.filter(
      (e) => e.ph === 'X' && e.tid === 1 && e.args?.bound !== undefined,
    );
    assert.equal(spans.length, dense.layers.length + (report.modes.sparse?.layers.length ?? 0));
    const comp = trace.traceEvents.find((e) => e.ph === 'X' && e.name.startsWith('COMP'));
    assert.ok(
      comp?.args &&
        typeof comp.args.macs === 'number' &&
        comp.args.macs > 0 &&
        typeof comp.args.layer === 'string',
    );
  });
});
