import { strict as assert } from 'node:assert';
import {
  axisTicks,
  formatDuration,
  indexSpans,
  panBy,
  spanAt,
  toTime,
  toX,
  visibleRange,
  zoomAt,
} from '../../../webview/timeScale';

describe('timeline time scale (webview, pure)', () => {
  const w = { start: 0, end: 10, width: 1000 };

  it('maps time to pixels and back', () => {
    assert.equal(toX(w, 2.5), 250);
    assert.equal(toTime(w, 750), 7.5);
  });

  it('zooms around the pointer and stays inside the trace', () => {
    const z = zoomAt(w, 250, 2, 10);
    assert.equal(z.end - z.start, 5);
    assert.ok(Math.abs(toTime(z, 250) - 2.5) < 1e-12, 'the time under the pointer does not move');
    const out = zoomAt(z, 500, 0.01, 10);
    assert.deepEqual([out.start, out.end], [0, 10], 'zooming out stops at the whole trace');
    const edge = zoomAt(w, 0, 4, 10);
    assert.equal(edge.start, 0);
  });

  it('pans and clamps at both ends', () => {
    const z = zoomAt(w, 500, 2, 10); // [2.5, 7.5]
    assert.deepEqual([panBy(z, 100, 10).start, panBy(z, 100, 10).end], [3, 8]);
    assert.equal(panBy(z, 10000, 10).end, 10);
    assert.equal(panBy(z, -10000, 10).start, 0);
  });

  it('finds the visible spans with binary searches, long spans included', () => {
    const spans = [
      { start: 0, end: 9 }, // long: visible in any window before 9
      { start: 1, end: 2 },
      { start: 3, end: 4 },
      { start: 5, end: 6 },
      { start: 7, end: 8 },
    ];
    const ix = indexSpans(spans);
    const [a, b] = visibleRange(ix, 4.5, 5.5);
    const hits = spans.slice(a, b).filter((s) => s.end >= 4.5 && s.start <= 5.5);
    assert.deepEqual(hits, [spans[0], spans[3]]);
    assert.deepEqual(visibleRange(ix, 20, 30), [5, 5]);
    assert.equal(spanAt(ix, 5.5), 3);
    assert.equal(spanAt(ix, 2.5), 0, 'only the long span covers 2.5');
    assert.equal(spanAt(ix, 9.5), -1);
  });

  it('stays fast on 200,000 spans (a search touches few of them)', () => {
    const spans = Array.from({ length: 200000 }, (_, i) => ({ start: i, end: i + 0.5 }));
    const ix = indexSpans(spans);
    const [a, b] = visibleRange(ix, 100000, 100010);
    assert.deepEqual([a, b], [100000, 100011]);
  });
});

describe('timeline axis units (webview, pure)', () => {
  it('labels ticks in the unit the step reads best in: ms for a whole run, ns deep in a zoom', () => {
    // a 177 ms run (ResNet-50 dense on a small array): ticks every 20 ms, not "177000 µs"
    const run = axisTicks(0, 0.177);
    assert.deepEqual(
      run.map((t) => t.label),
      ['0 ms', '20 ms', '40 ms', '60 ms', '80 ms', '100 ms', '120 ms', '140 ms', '160 ms'],
    );
    const zoom = axisTicks(1e-6, 3e-6);
    assert.equal(zoom[0].label, '1000 ns');
    assert.match(zoom[1].label, /^1200 ns$/);
    const micro = axisTicks(0, 45e-6);
    assert.deepEqual(
      micro.slice(0, 3).map((t) => t.label),
      ['0 µs', '5 µs', '10 µs'],
    );
    // 1.5 ms zoomed: 200 µs steps read in µs; below a nanosecond the step keeps its digits
    assert.equal(axisTicks(0, 0.0015)[1].label, '200 µs');
    assert.equal(axisTicks(0, 5e-9)[1].label, '0.5 ns');
    assert.deepEqual(axisTicks(1, 1), []);
    for (const ticks of [run, zoom, micro])
      assert.ok(ticks.length >= 4 && ticks.length <= 11, `${ticks.length} ticks`);
  });

  it('formats a duration with three significant digits in its own unit', () => {
    assert.equal(formatDuration(0.004213), '4.21 ms');
    assert.equal(formatDuration(8.3e-7), '830 ns');
    assert.equal(formatDuration(2.5), '2.5 s');
    assert.equal(formatDuration(1.2345e-5), '12.3 µs');
  });
});
