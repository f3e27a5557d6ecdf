import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { inceptionV3, resnet50, resnetMini } from '../fixtures/models';
import { subgraphModel } from '../fixtures/specialModels';
import { formatMicros } from '../../src/core/units';
import { modelViewReportOf } from '../support/modelViewReport';
import { modelViewReport } from '../../src/core/report/modelViewReport';
import { REFINED_MODEL } from '../../src/core/estimate/assumptions';
import { simulate } from '../../src/core/estimate/simulate';
import { formatBytes, formatPercent } from '../../src/core/units';
import { compileInputOf, preset } from '../support/compileBytes';
import { formatDuration } from '../../webview/timeScale';
import { launch, openWebview, postDiff, postReport, type Theme } from './webviewPage';

const SHOTS = path.resolve('test-results', 'browser');
const LANE_ROWS = [
  'memtile 0 LOAD',
  'memtile 0 LOADW',
  'memtile 0 LOADFM',
  'memtile 0 WRITEFM',
  'memtile 0 WRITE',
  'core 0,0 LOADWM',
  'core 0,0 COMP',
];

const reportOf = (bytes: Uint8Array) => modelViewReportOf(bytes, true);

/** Chooses a value in one of the view's vscode-single-select pickers, as a user's click would. */
async function pick(page: Page, control: string, value: string): Promise<void> {
  const select = page.locator(`vscode-single-select[data-control="${control}"]`);
  await select.click();
  await select.getByRole('option', { name: value, exact: true }).click();
}

const posted = (page: Page) => page.evaluate<{ type: string }[]>('window.posted');

describe('model view webview in headless Chromium (dist/webview.js)', function () {
  this.timeout(120000);
  let browser: Browser;
  const mini = reportOf(resnetMini({ zeroFraction: 0.5 }).bytes);
  before(async () => {
    browser = await launch();
    fs.mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => browser?.close());

  it('asks the host for a report as soon as it loads', async () => {
    const page = await openWebview(browser, 'light');
    assert.deepEqual(await posted(page), [{ type: 'ready' }]);
    await page.close();
  });

  it('one row per layer; sorting by a column; filtering', async () => {
    const page = await openWebview(browser, 'light');
    await postReport(page, mini);
    const f = page;
    assert.equal(await f.locator('tbody tr[data-layer]').count(), mini.analysis.layers.length);
    await f.locator('th', { hasText: 'Sparse µs' }).click();
    const times = await f.locator('tbody tr[data-layer] td:nth-child(11)').allInnerTexts();
    const values = times.map(Number);
    assert.deepEqual(
      values,
      [...values].sort((a, b) => b - a),
      'slowest first',
    );
    await f.locator('input[type=search]').fill('block0');
    assert.equal(await f.locator('tbody tr[data-layer]').count(), 2);
    await page.close();
  });

  it('a select message highlights the row; double-click asks for the source; exports post a request', async () => {
    const page = await openWebview(browser, 'light');
    await postReport(page, mini);
    await page.evaluate(`window.postMessage({ type: 'select', layer: '/down/conv/Conv' }, '*')`);
    assert.equal(
      await page.locator('tbody tr.selected').getAttribute('data-layer'),
      '/down/conv/Conv',
    );
    await page.locator('tbody tr[data-layer="/block0/conv1/Conv"]').click();
    assert.equal(
      await page.locator('tbody tr.selected').getAttribute('data-layer'),
      '/block0/conv1/Conv',
    );
    assert.deepEqual((await posted(page)).slice(-1), [
      { type: 'selected', layer: '/block0/conv1/Conv' },
    ]);
    await page.locator('tbody tr', { hasText: '/fc/Gemm' }).dblclick();
    await page.locator('vscode-button[data-export=csv]').click();
    const sent = await posted(page);
    assert.deepEqual(sent.slice(-2), [
      { type: 'goToSource', layer: '/fc/Gemm' },
      { type: 'export', format: 'csv' },
    ]);
    await page.close();
  });

  it('5,000 layers: only the rows in view exist; scrolling and selecting bring others in', async () => {
    const base = mini.analysis.layers;
    const layers = Array.from({ length: 5000 }, (_, i) => ({
      ...base[i % base.length],
      name: `layer_${i}`,
    }));
    const page = await openWebview(browser, 'light');
    await postReport(page, modelViewReport({ ...mini.analysis, layers }, null));
    const rendered = await page.locator('tbody tr[data-layer]').count();
    assert.ok(rendered > 10 && rendered < 200, `${rendered} rows rendered`);
    assert.equal(await page.locator('p.count').innerText(), '5000 of 5000 layers');
    await page.locator('.table-scroll').evaluate((e) => (e.scrollTop = 2500 * 22));
    await page.waitForTimeout(100);
    const names = await page
      .locator('tbody tr[data-layer]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-layer')));
    assert.ok(names.includes('layer_2505'), 'rows around the scroll position are rendered');
    await page.evaluate(`window.postMessage({ type: 'select', layer: 'layer_4321' }, '*')`);
    await page.waitForTimeout(100);
    assert.equal(await page.locator('tbody tr.selected').getAttribute('data-layer'), 'layer_4321');
    await page.close();
  });

  it('changing the array or the precision asks the host to re-estimate', async () => {
    const page = await openWebview(browser, 'light');
    await postReport(page, mini);
    await pick(page, 'Array', 'paper-8x8');
    assert.deepEqual((await posted(page)).slice(-1), [
      { type: 'reanalyze', block: '8x8', arch: 'paper-8x8', precision: 'int8', timeModel: 'paper' },
    ]);
    const precision = page.locator('vscode-single-select[data-control=Precision]');
    assert.equal(
      await precision.evaluate((e) => (e as unknown as { value: string }).value),
      'int8',
      'shows the precision of the estimate',
    );
    await pick(page, 'Precision', 'bf16');
    assert.deepEqual((await posted(page)).slice(-1), [
      { type: 'reanalyze', block: '8x8', arch: 'paper-8x8', precision: 'bf16', timeModel: 'paper' },
    ]);
    assert.match(await page.innerText('body'), /Estimate on paper-4x4 \(int8, paper\)/);
    await pick(page, 'Estimate', 'refined');
    assert.deepEqual((await posted(page)).slice(-1), [
      {
        type: 'reanalyze',
        block: '8x8',
        arch: 'paper-8x8',
        precision: 'bf16',
        timeModel: 'refined',
      },
    ]);
    await page.close();
  });

  it('heat-map size, timeline zoom, tooltip, click-to-select', async () => {
    const page = await openWebview(browser, 'dark');
    await postReport(page, mini);
    await page.evaluate(`window.postMessage({ type: 'select', layer: '/down/conv/Conv' }, '*')`);
    await page.locator('button.tab[data-tab=sparsity]').click();
    const heat = page.locator('canvas.heatmap');
    assert.deepEqual(
      [await heat.getAttribute('data-rows'), await heat.getAttribute('data-cols')],
      ['4', '2'],
    );
    assert.equal(await heat.getAttribute('data-shaded'), 'true');
    // block norms as shades: the non-zero cells are not all one colour
    const colours = await heat.evaluate((c) => {
      const canvas = c as unknown as {
        width: number;
        getContext(k: '2d'): {
          getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
        } | null;
      };
      const g = canvas.getContext('2d');
      const cell = canvas.width / 2;
      const seen = new Set<string>();
      for (let r = 0; r < 4; r++)
        for (let k = 0; k < 2; k++)
          seen.add(String(g?.getImageData(k * cell + 2, r * cell + 2, 1, 1).data.join(',')));
      return seen.size;
    });
    const nonZero = mini.analysis.layers.find((l) => l.name === '/down/conv/Conv')?.zeroBlocks;
    assert.ok(colours >= 3, `${colours} colours for 8 cells (${nonZero} zero)`);
    await page.locator('button.tab[data-tab=timeline]').click();
    const canvas = page.locator('.timeline canvas');
    await page.waitForTimeout(100);
    const windowOf = () =>
      canvas.evaluate((c) =>
        (c as unknown as { timeWindow: () => { start: number; end: number } }).timeWindow(),
      );
    const before = await windowOf();
    const box = await canvas.boundingBox();
    assert.ok(box);
    await page.mouse.move(box.x + box.width / 2, box.y + 100);
    await page.mouse.wheel(0, -300);
    await page.waitForTimeout(100);
    const after = await windowOf();
    assert.ok(after.end - after.start < before.end - before.start, 'zoomed in');
    // the zoom is view state: a tab switch and back keeps it
    await page.locator('button.tab[data-tab=layers]').click();
    await page.locator('button.tab[data-tab=timeline]').click();
    await page.waitForTimeout(100);
    assert.deepEqual(await windowOf(), after, 'the zoom survives a tab switch');
    // hover the COMP row of the dense run until a block is under the pointer
    const labels = await canvas.evaluate((c) =>
      (c as unknown as { rowLabels: () => string[] }).rowLabels(),
    );
    assert.equal(labels[0], 'dense layers', 'the layer track on top of the lanes');
    assert.deepEqual(
      labels.slice(1, 8),
      LANE_ROWS.map((l) => `dense ${l}`),
      'each memtile lane, then each core lane',
    );
    assert.equal(labels[8], 'sparse layers');
    // the axis reads in the unit its step reads best in (a zoomed-in window: µs or ns, never "0.000x ms")
    const axis = await canvas.evaluate((c) =>
      (c as unknown as { axisLabels: () => string[] }).axisLabels(),
    );
    assert.ok(axis.length >= 3, axis.join(', '));
    assert.ok(
      axis.every((a) => /^\d+(\.\d+)? (ns|µs|ms)$/.test(a)),
      axis.join(', '),
    );
    // W zooms in, S out, A/D pan; Reset shows the whole run; Fit zooms to the selected layer
    await canvas.focus();
    const z0 = await windowOf();
    await page.keyboard.press('w');
    const z1 = await windowOf();
    assert.ok(z1.end - z1.start < z0.end - z0.start, 'W zooms in');
    await page.keyboard.press('d');
    assert.ok((await windowOf()).start > z1.start, 'D pans to later times');
    await page.locator('vscode-button[data-action=reset-zoom]').click();
    // Shift+drag selects a range: its duration and a per-lane and per-layer summary
    const cb = await canvas.boundingBox();
    assert.ok(cb);
    await page.keyboard.down('Shift');
    await page.mouse.move(cb.x + 200, cb.y + 40);
    await page.mouse.down();
    await page.mouse.move(cb.x + 500, cb.y + 60, { steps: 5 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    assert.match(await page.locator('.range-summary p').innerText(), /^Range .+: \d/);
    assert.ok((await page.locator('table.range-layers tr').count()) > 1, 'layers in the range');
    // the whole run selected: every lane's busy time is the sum of its slices in the report
    const run = Math.max(
      mini.simulation?.modes.dense?.seconds ?? 0,
      mini.simulation?.modes.sparse?.seconds ?? 0,
    );
    await canvas.evaluate(
      (c, t) => (c as unknown as { selectRange: (a: number, b: number) => void }).selectRange(0, t),
      run,
    );
    const lanesShown = await page.locator('table.range-lanes tr').allInnerTexts();
    const denseRun = mini.simulation?.modes.dense;
    assert.ok(denseRun);
    for (const lane of ['COMP', 'LOADFM']) {
      const unit = lane === 'COMP' ? 'core 0,0' : 'memtile 0';
      const sum: number = denseRun.trace
        .filter((e) => e.lane === lane && e.unit === unit)
        .reduce((a, e) => a + (e.end - e.start), 0);
      const line = lanesShown.find((l) => l.startsWith(`dense ${unit} ${lane}\t`));
      assert.ok(line, `dense ${unit} ${lane} in the summary`);
      assert.equal(line.split('\t')[1], formatDuration(sum), `dense ${lane}: the lane's total`);
    }
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('.range-summary p').count(), 0, 'Esc clears the range');
    const whole = await windowOf();
    const total = Math.max(
      mini.simulation?.modes.dense?.seconds ?? 0,
      mini.simulation?.modes.sparse?.seconds ?? 0,
    );
    assert.ok(whole.start === 0 && Math.abs(whole.end - total) < 1e-12, 'Reset: the whole run');
    await page.locator('vscode-button[data-action=fit-selection]').click();
    const fitted = await windowOf();
    const down = (['dense', 'sparse'] as const).map((m) =>
      mini.simulation?.modes[m]?.layers.find((l) => l.name === '/down/conv/Conv'),
    );
    const t0 = Math.min(...down.map((l) => l?.start ?? Infinity));
    const t1 = Math.max(...down.map((l) => (l ? l.start + l.seconds : -Infinity)));
    assert.ok(fitted.start <= t0 && fitted.end >= t1, 'Fit: the selected layer is in view');
    assert.ok(fitted.end - fitted.start < (t1 - t0) * 1.2, 'Fit: and fills the view');
    await page.locator('vscode-button[data-action=reset-zoom]').click();
    const compRow = 22 + labels.indexOf('dense core 0,0 COMP') * 18 + 9;
    let tip = '';
    for (let x = 180; x < box.width && !tip; x += 7) {
      await page.mouse.move(box.x + x, box.y + compRow);
      tip = (await page.locator('.timeline-tip').isVisible())
        ? await page.locator('.timeline-tip').innerText()
        : '';
    }
    assert.match(tip, /COMP · (head|body|tail)/);
    assert.match(tip, /\d (ns|µs|ms)\n/, 'the duration in its own unit');
    assert.match(tip, /MACs/);
    // the hovered layer is highlighted in both runs
    await page.waitForTimeout(50);
    const lit = await canvas.evaluate((c) =>
      (c as unknown as { highlighted: () => { dense: number; sparse: number } }).highlighted(),
    );
    assert.ok(lit.dense > 0 && lit.sparse > 0, `highlighted ${JSON.stringify(lit)}`);
    // slice search: the count of matching layers; Enter selects the first and fits it
    await page.locator('vscode-textfield.slice-search input').fill('down');
    assert.match(await page.locator('.timeline-tools .count').innerText(), /^1 layer match$/);
    await page.locator('vscode-textfield.slice-search input').press('Enter');
    const selectedNow = await page.evaluate<{ selected?: string }>('window.state');
    assert.equal(selectedNow.selected, '/down/conv/Conv');
    await page.mouse.click(box.x + 181, box.y + compRow);
    await page.close();
  });

  it('one store, long-lived views: interactions update in place, tabs keep their panels, theme changes redraw, listeners go with their panel', async () => {
    const page = await openWebview(browser, 'light');
    // counts the window listeners the views hold (the timeline's mouseup), from here on
    await page.evaluate(`
      window.live = 0;
      const add = window.addEventListener.bind(window);
      const remove = window.removeEventListener.bind(window);
      window.addEventListener = (t, f, o) => { if (t === 'mouseup') window.live++; add(t, f, o); };
      window.removeEventListener = (t, f, o) => { if (t === 'mouseup') window.live--; remove(t, f, o); };
    `);
    await postReport(page, mini);
    const tag = (selector: string) =>
      page
        .locator(selector)
        .evaluate(
          (e) => ((e as unknown as { dataset: Record<string, string> }).dataset.probe = 'kept'),
        );
    const kept = (selector: string) => page.locator(selector).getAttribute('data-probe');
    await tag('.summary');
    await tag('.controls');
    await tag('table.layers');
    await page.locator('th', { hasText: 'MACs' }).click();
    await page.locator('input[type=search]').fill('block');
    await page.locator('input[type=search]').fill('');
    await page.locator('tbody tr[data-layer]').nth(2).click();
    assert.equal(await page.locator('tbody tr.selected').count(), 1);
    for (const s of ['.summary', '.controls', 'table.layers'])
      assert.equal(await kept(s), 'kept', `${s} updated in place, not drawn anew`);
    // a tab switch hides one panel and shows another: both survive
    await page.locator('button.tab[data-tab=timeline]').click();
    await tag('.timeline canvas');
    await page.locator('button.tab[data-tab=layers]').click();
    assert.equal(await kept('table.layers'), 'kept');
    await page.locator('button.tab[data-tab=timeline]').click();
    assert.equal(await kept('.timeline canvas'), 'kept', 'the timeline is not rebuilt');
    assert.equal(await page.locator('.timeline').count(), 1);
    // a new report (a re-estimate) replaces the panels; the old timeline's listener goes with it
    for (let i = 0; i < 3; i++) await postReport(page, mini);
    assert.equal(await page.locator('.timeline').count(), 1);
    assert.equal(await page.evaluate('window.live'), 1, 'one live timeline, one window listener');
    // theme colours are cached and refreshed when VS Code changes the body's class
    await page.locator('button.tab[data-tab=sparsity]').click();
    const pixel = () =>
      page.locator('canvas.heatmap').evaluate((c) => {
        const canvas = c as unknown as {
          width: number;
          height: number;
          getContext(k: '2d'): {
            getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
          } | null;
        };
        const g = canvas.getContext('2d');
        // the most saturated blue-ish pixel: a non-zero block's fill
        const d =
          g?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
        let best = '';
        let score = -1;
        for (let i = 0; i < d.length; i += 4) {
          const s = d[i + 2] - d[i];
          if (s > score) [score, best] = [s, `${d[i]},${d[i + 1]},${d[i + 2]}`];
        }
        return best;
      });
    const before = await pixel();
    await page.evaluate(`
      document.body.style.setProperty('--vscode-charts-blue', '#00ff00');
      document.body.className = 'vscode-dark';
    `);
    await page.waitForTimeout(100);
    assert.notEqual(await pixel(), before, 'the heat-map redrew in the new theme colour');
    await page.close();
  });

  it('Why and Memory tabs: DDR steps, kept-dense layers, analysed vs compiled weight bytes', async () => {
    // ResNet-50 on 3x3: conv1 streams from DDR, and four layers would be slower compressed
    const report = modelViewReportOf(resnet50({ zeroFraction: 0.5 }).bytes, false, 'paper-3x3');
    const kept = report.simulation?.modes.sparse?.layers.filter((l) => l.keptDense) ?? [];
    assert.ok(kept.length > 0, 'the fixture has kept-dense layers');
    const page = await openWebview(browser, 'light');
    await postReport(page, report, 'resnet50-bs50.onnx');
    const facts = await page.locator('dl').innerText();
    assert.match(facts, /Estimate on paper-3x3/, 'the array the estimate is for');
    assert.match(facts, /Left to the CPU\s+the graph is cut at \S*Flatten: 2 nodes/);
    const c = report.simulation?.coverage;
    assert.ok(c);
    // 4,089,184,256 MACs, 2,048,000 of them in the cut classifier: 99.95% shows as 99.9%, never 100%
    assert.ok(c.macsCpu === 2_048_000 && c.macs === 4_089_184_256);
    assert.match(facts, /MACs on the array\s+99\.9% of 4\.09 G/);
    const off = page.locator('details.off-array');
    assert.match(
      await off.locator('summary').innerText(),
      // torchvision ResNet-50's fc: 2048 x 1000 = 2,048,000 MACs, and the Flatten before it
      /Not on the array: 2 nodes, 2\.05 M MACs/,
    );
    await off.locator('summary').click();
    const first = await off.locator('li').first().innerText();
    assert.match(first, /^\/fc\/Gemm Gemm, 2\.05 M MACs: after the graph cut at Flatten/);
    await page.locator('button.tab[data-tab=why]').click();
    const why = await page.locator('.diagnostics:visible').innerText();
    for (const l of kept) assert.ok(why.includes(l.name), `${l.name} is explained`);
    assert.match(why, /kept dense: compressed, this layer would run slower/);
    assert.match(why, /streams from DDR in \d+ tiles?: its activations do not fit/);
    assert.match(why, /BS4005/, 'the graph cut is among the diagnostics');
    // ranked: the causes by their µs, the slow-layer groups by their layers' µs, and each group's
    // layers likewise; the figures are the report's own (slowLayerGroups is the panel's ranking)
    const causeSummaries = await page.locator('details.cause summary').allInnerTexts();
    assert.equal(causeSummaries.length, report.why.length);
    const causeMicros = causeSummaries.map((t) => Number(t.split(' ')[0]));
    assert.deepEqual(
      causeMicros,
      [...causeMicros].sort((a, b) => b - a),
      'largest cause first',
    );
    assert.ok(Math.abs(causeMicros[0] - report.why[0].seconds * 1e6) < 1e-3);
    const groupMicros = (await page.locator('details.slow-group summary').allInnerTexts()).map(
      (t) => Number(/([\d.]+) µs$/.exec(t)?.[1]),
    );
    assert.ok(groupMicros.length >= 2, 'several reasons');
    assert.deepEqual(
      groupMicros,
      [...groupMicros].sort((a, b) => b - a),
      'costliest reason first',
    );
    const kept0 = page.locator('details.slow-group[data-reason=kept-dense]');
    const rowMicros = (await kept0.locator('tbody td:nth-child(2)').allInnerTexts()).map(Number);
    assert.equal(rowMicros.length, kept.length, 'every kept-dense layer in its group');
    assert.deepEqual(
      rowMicros,
      [...rowMicros].sort((a, b) => b - a),
      'costliest layer first',
    );
    // a layer link jumps to the Layers tab, selects the row and scrolls it into view
    const target = await kept0.locator('tbody a').last().innerText();
    await kept0.locator('tbody a').last().click();
    assert.equal(await page.locator('button.tab.active').getAttribute('data-tab'), 'layers');
    const row = page.locator('tbody tr.selected');
    assert.equal(await row.getAttribute('data-layer'), target);
    assert.ok(await row.isVisible());
    const inView = await row.evaluate((r) => {
      const box = r.getBoundingClientRect();
      const frame = r.closest('.table-scroll')?.getBoundingClientRect();
      if (!frame) return false;
      return box.top >= frame.top && box.bottom <= frame.bottom;
    });
    assert.ok(inView, 'the selected row is scrolled into the view of the table');
    await page.locator('button.tab[data-tab=why]').click();
    await page.screenshot({ path: path.join(SHOTS, 'why-resnet50-3x3.png') });
    await page.locator('button.tab[data-tab=memory]').click();
    const header = await page.locator('table.memory th').allInnerTexts();
    assert.deepEqual(header.slice(0, 4), [
      'Layer',
      'Weights: dense',
      'compressed',
      'compiled (sparse)',
    ]);
    const compiledTip = await page
      .locator('table.memory th', { hasText: 'compiled' })
      .getAttribute('title');
    assert.match(compiledTip ?? '', /per-core chunk/);
    const conv1 = await page.locator('table.memory tbody tr').first().innerText();
    assert.match(conv1, /^\/conv1\/Conv/);
    assert.match(conv1, /DDR step, 1 tile/);
    await page.close();
  });

  it('the table keeps its scroll position when it is drawn anew, and in the saved state', async () => {
    const page = await openWebview(browser, 'light');
    const base = mini.analysis.layers;
    const layers = Array.from({ length: 2000 }, (_, i) => ({
      ...base[i % base.length],
      name: `layer_${i}`,
    }));
    await postReport(page, modelViewReport({ ...mini.analysis, layers }, null));
    const scroller = page.locator('.table-scroll');
    await scroller.evaluate((e) => (e.scrollTop = 12000));
    await page.waitForTimeout(100);
    // sorting draws the view anew
    await page.locator('th', { hasText: 'MACs' }).click();
    assert.equal(await page.locator('th[aria-sort=descending]').count(), 1);
    const top = await page.locator('.table-scroll').evaluate((e) => e.scrollTop);
    assert.ok(Math.abs(top - 12000) < 2, `scrollTop ${top}`);
    const state = await page.evaluate<{ tableScroll?: number }>('window.state');
    assert.ok(Math.abs((state?.tableScroll ?? 0) - 12000) < 2, 'kept with setState');
    await page.close();
  });

  it('keyboard: arrows move the selection (the sidebar follows), Enter opens the source', async () => {
    const page = await openWebview(browser, 'light');
    await postReport(page, mini);
    await page.locator('tbody tr[data-layer]').first().click();
    const order = await Promise.all(
      (await page.locator('tbody tr[data-layer]').all()).map((r) => r.getAttribute('data-layer')),
    );
    // the selection changes in place: the table is the same element before and after
    await page.evaluate(`document.querySelector('table.layers').dataset.probe = 'kept'`);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('tbody tr.selected').getAttribute('data-layer'), order[2]);
    assert.equal(await page.locator('table.layers[data-probe=kept]').count(), 1, 'not redrawn');
    await page.keyboard.press('ArrowUp');
    assert.equal(await page.locator('tbody tr.selected').getAttribute('data-layer'), order[1]);
    await page.keyboard.press('End');
    assert.equal(
      await page.locator('tbody tr.selected').getAttribute('data-layer'),
      order[order.length - 1],
    );
    await page.keyboard.press('Enter');
    const sent = await posted(page);
    assert.deepEqual(sent.slice(-2), [
      { type: 'selected', layer: order[order.length - 1] },
      { type: 'goToSource', layer: order[order.length - 1] },
    ]);
    await page.close();
  });

  it('a dynamic input shows as dynamic; its shape editor posts shapes for this model only', async () => {
    const page = await openWebview(browser, 'light');
    await postReport(page, mini);
    const facts = await page.locator('dl').innerText();
    assert.match(facts, /image 1×3×32×32\s+\(dynamic N: assumed\)/);
    const field = page.locator('vscode-textfield[data-input=image] input');
    await field.fill('1x3x0x64');
    await field.press('Enter');
    assert.match(await page.locator('.inputs .problem').innerText(), /expected sizes like/);
    assert.equal((await posted(page)).filter((m) => m.type === 'setInputShapes').length, 0);
    await field.fill('2x3x64x64');
    await page.locator('vscode-button[data-apply-input=image]').click();
    assert.deepEqual((await posted(page)).slice(-1), [
      { type: 'setInputShapes', shapes: [['image', [2, 3, 64, 64]]] },
    ]);
    await page.close();
  });

  it('the header names the precision of the estimate; names are whole on hover', async () => {
    const bf16 = modelViewReport(
      mini.analysis,
      simulate(compileInputOf(resnetMini({ zeroFraction: 0.5 }).bytes), {
        arch: preset('paper-4x4'),
        precision: 'bf16',
        trace: 'lanes',
      }),
    );
    const page = await openWebview(browser, 'light');
    await postReport(page, bf16);
    const facts = await page.locator('dl').innerText();
    assert.match(facts, /bf16 weights/);
    assert.doesNotMatch(facts, /int8 weights/);
    assert.match(facts, /Compiled weights \(bf16\)/);
    // weights double at two bytes each; the per-channel and per-block overhead does not
    const t = mini.analysis.totals;
    assert.match(facts, new RegExp(`bf16 weights\\s+${formatBytes(2 * t.denseBytesInt8)} dense`));
    await page.locator('button.tab[data-tab=sparsity]').click();
    const label = page.locator('.bars li .bar-label').first();
    assert.equal(await label.getAttribute('title'), mini.analysis.layers[0].name);
    // hovering a block of the heat-map names it
    const canvas = page.locator('canvas.heatmap');
    const box = await canvas.boundingBox();
    assert.ok(box);
    await page.mouse.move(box.x + 3, box.y + 3);
    assert.match(
      (await canvas.getAttribute('title')) ?? '',
      /^block 0 \(row 0, column 0\): output channels 0–7/,
    );
    await page.close();
  });

  it('at 1280 px the Layer column stays in view while the table scrolls sideways', async () => {
    const page = await openWebview(browser, 'light');
    await page.setViewportSize({ width: 930, height: 700 });
    await postReport(page, reportOf(resnet50({ widthDivisor: 4, zeroFraction: 0.5 }).bytes));
    const scroller = page.locator('.table-scroll');
    const firstCell = page.locator('tbody tr[data-layer] td:first-child').first();
    const before = await firstCell.boundingBox();
    await scroller.evaluate((s) => (s.scrollLeft = s.scrollWidth));
    const after = await firstCell.boundingBox();
    assert.ok(before && after);
    assert.equal(after.x, before.x, 'the Layer column does not move');
    // the last column is reachable: in view once scrolled
    const bound = page.locator('thead th', { hasText: 'Bound' });
    const b = await bound.boundingBox();
    assert.ok(b && b.x + b.width <= 930 + 1, `Bound at ${b?.x}`);
    await page.screenshot({ path: path.join(SHOTS, 'layers-930px.png') });
    await page.close();
  });

  it('refined mode: the ledger tab adds up paper → refined; why ranks causes with their µs', async () => {
    const report = modelViewReportOf(
      resnetMini({ zeroFraction: 0.5 }).bytes,
      false,
      'paper-4x4',
      REFINED_MODEL,
    );
    const ledger = report.ledger;
    assert.ok(ledger && report.simulation);
    const page = await openWebview(browser, 'light');
    await postReport(page, report, 'mini-bs50.onnx');
    const estimate = page.locator('vscode-single-select[data-control=Estimate]');
    assert.equal(
      await estimate.evaluate((e) => (e as unknown as { value: string }).value),
      'refined',
    );
    await page.locator('button.tab[data-tab=ledger]').click();
    const rows = await page.locator('table.ledger-table tbody tr').allInnerTexts();
    assert.equal(rows.length, ledger.steps.length + 2, 'paper, one row per assumption, refined');
    assert.match(rows[0], /^paper\s/);
    assert.match(rows[rows.length - 1], /^refined\s/);
    const micros = (s: number) => (s * 1e6).toFixed(3);
    assert.ok(rows[rows.length - 1].includes(micros(report.simulation.modes.sparse?.seconds ?? 0)));
    const step = ledger.steps.find((s) => s.on && s.movers.length > 0);
    assert.ok(step);
    const row = rows.find((r) => r.startsWith(`+ ${step.assumption}`));
    assert.ok(row?.includes(step.movers[0].name), 'the layer it moves most');
    await page.screenshot({ path: path.join(SHOTS, 'ledger-refined-light.png') });
    await page.locator('table.ledger-table a').first().click();
    assert.equal(await page.locator('button.tab.active').getAttribute('data-tab'), 'layers');
    await page.locator('button.tab[data-tab=why]').click();
    const causes = await page.locator('table.causes tbody tr').allInnerTexts();
    assert.equal(causes.length, report.why.length);
    assert.ok(causes[0].includes(report.why[0].title), 'largest cause first');
    await page.screenshot({ path: path.join(SHOTS, 'why-refined-light.png') });
    await page.close();
    const dark = await openWebview(browser, 'dark');
    await postReport(dark, report, 'mini-bs50.onnx');
    await dark.locator('button.tab[data-tab=ledger]').click();
    await dark.screenshot({ path: path.join(SHOTS, 'ledger-refined-dark.png') });
    await dark.close();
  });

  it('timeline units: one of each or every unit; the note and the trace export follow; the range is kept', async () => {
    const page = await openWebview(browser, 'light');
    await postReport(page, mini, 'resnet-mini.onnx');
    await page.locator('button.tab[data-tab=timeline]').click();
    const canvas = '.timeline canvas';
    const labels = () => page.evaluate<string[]>(`document.querySelector('${canvas}').rowLabels()`);
    const sim = mini.simulation;
    assert.ok(sim);
    const { columns, rows } = sim.arch;
    // per mode: the layer track, then one memtile's 5 lanes and one core's 2
    assert.equal((await labels()).length, 2 * (1 + 5 + 2));
    assert.match(
      (await page.locator('.timeline p.count').first().textContent()) ?? '',
      /One memtile and one core shown/,
    );
    await pick(page, 'units', `All units (${columns} memtiles, ${rows * columns} cores)`);
    await page.waitForFunction(`document.querySelector('${canvas}').rowLabels().length > 16`);
    const all = await labels();
    assert.equal(all.length, 2 * (1 + 5 * columns + 2 * rows * columns));
    assert.ok(all.includes(`sparse core ${rows - 1},${columns - 1} COMP`), all.join());
    assert.match(
      (await page.locator('.timeline p.count').first().textContent()) ?? '',
      /the trace export has every unit/,
    );
    await page.locator('vscode-button[data-export=trace]').click();
    const exp = (await posted(page)).filter((m) => m.type === 'export').at(-1);
    assert.deepEqual(exp, { type: 'export', format: 'trace', units: 'all' });
    // a range survives a tab switch and is in the saved state (a reload restores it)
    const total = sim.modes.dense?.seconds ?? 0;
    await page.evaluate(`document.querySelector('${canvas}').selectRange(0, ${total / 2})`);
    await page.locator('button.tab[data-tab=layers]').click();
    await page.locator('button.tab[data-tab=timeline]').click();
    assert.equal(await page.locator('table.range-lanes').count(), 1);
    const saved = (await page.evaluate('window.state')) as {
      timelineRange?: { end: number };
      timelineUnits?: string;
    };
    assert.equal(saved.timelineUnits, 'all');
    assert.ok(saved.timelineRange && Math.abs(saved.timelineRange.end - total / 2) < 1e-12);
    await page.close();
  });

  it('Graph tab: every node of Inception-v3 laid out; inspector; search; metric legend; SVG export; shared selection', async () => {
    const page = await openWebview(browser, 'dark');
    await page.setViewportSize({ width: 1400, height: 1000 });
    const report = reportOf(inceptionV3({ widthDivisor: 4, zeroFraction: 0.5 }).bytes);
    const graph = report.graph;
    assert.ok(graph && report.graphLayout, 'the report carries the graph and its layout');
    await postReport(page, report, 'inception-v3.onnx');
    await page.locator('button.tab[data-tab=graph]').click();
    const canvas = '.graph-stage canvas';
    await page.waitForFunction(`document.querySelector('${canvas}')?.drawnNodes() > 0`);
    // the main graph has no subgraphs: every node is placed, and fitted, every one is drawn
    assert.equal(
      await page.evaluate(`document.querySelector('${canvas}').placedNodes()`),
      graph.nodes.length,
    );
    assert.equal(
      await page.evaluate(`document.querySelector('${canvas}').drawnNodes()`),
      graph.nodes.length,
    );
    // zoomed in, only what is on screen is drawn
    await page.evaluate(`document.querySelector('${canvas}').zoomTo(1)`);
    await page.waitForTimeout(50);
    const drawnZoomed = (await page.evaluate(
      `document.querySelector('${canvas}').drawnNodes()`,
    )) as number;
    assert.ok(
      drawnZoomed > 0 && drawnZoomed < graph.nodes.length / 2,
      `zoomed in draws ${drawnZoomed}`,
    );

    // click a conv: the inspector shows its op, attributes, values with shapes, weight, mask, lanes
    const layer = report.analysis.layers.find((l) => l.name.includes('Mixed_6b') && l.blocks > 8);
    assert.ok(layer);
    const at = (await page.evaluate(
      `document.querySelector('${canvas}').screenOf(${JSON.stringify(layer.name)})`,
    )) as { x: number; y: number };
    const box = await page.locator(canvas).boundingBox();
    assert.ok(box);
    if (at.x < 0 || at.y < 0 || at.x > box.width || at.y > box.height) {
      await page.evaluate(
        `document.querySelector('${canvas}').panBy(${box.width / 2 - at.x}, ${box.height / 2 - at.y})`,
      );
      await page.waitForTimeout(50);
    }
    const on = (await page.evaluate(
      `document.querySelector('${canvas}').screenOf(${JSON.stringify(layer.name)})`,
    )) as { x: number; y: number };
    await page.mouse.click(box.x + on.x, box.y + on.y);
    await page.waitForFunction(
      `document.querySelector('.inspector h3')?.textContent.includes(${JSON.stringify(layer.name)})`,
    );
    const inspector = page.locator('.inspector');
    assert.match((await inspector.locator('h3').textContent()) ?? '', /^Conv /);
    const attrs = await inspector
      .locator('table.attributes tbody tr td:first-child')
      .allTextContents();
    assert.ok(attrs.includes('kernel_shape') && attrs.includes('strides'), attrs.join());
    const inputs = await inspector
      .locator('table.values')
      .first()
      .locator('tbody tr')
      .allTextContents();
    assert.ok(
      inputs.some(
        (r) =>
          r.includes(layer.weight) &&
          r.includes(`[${layer.weightShape.join(', ')}]`) &&
          r.includes('float') &&
          r.includes('weight'),
      ),
      inputs.join('|'),
    );
    assert.ok(
      inputs.some(
        (r) => r.includes(`[${(layer.inputShape ?? []).join(', ')}]`) && r.includes('activation'),
      ),
      inputs.join('|'),
    );
    assert.equal(await inspector.locator('canvas.histogram').count(), 1, 'a value histogram');
    assert.equal(await inspector.locator('.inspector-mask canvas').count(), 1, 'the block mask');
    const facts = await inspector.locator('.inspector-weight dd').allTextContents();
    assert.ok(
      facts.some((f) => f.startsWith(formatPercent(layer.blockSparsity))),
      facts.join('|'),
    );
    const dense = report.simulation?.modes.dense?.layers.find((l) => l.name === layer.name);
    const sparse = report.simulation?.modes.sparse?.layers.find((l) => l.name === layer.name);
    assert.ok(dense && sparse);
    const total = await inspector
      .locator('table.lanes tbody tr')
      .first()
      .locator('td')
      .allTextContents();
    assert.deepEqual(total, ['Total', formatMicros(dense.seconds), formatMicros(sparse.seconds)]);
    // the click is the view's one selection: the host (sidebar, text view) hears of it
    assert.ok(
      (await posted(page)).some(
        (m) => m.type === 'selected' && (m as unknown as { layer: string }).layer === layer.name,
      ),
    );

    // search by name: Enter selects the match and brings it into view
    const target = graph.nodes.filter((n) => n.op === 'Concat').at(-2);
    assert.ok(target);
    await page.locator('vscode-textfield.graph-search').click();
    await page.keyboard.type(target.name);
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      `document.querySelector('.inspector h3')?.textContent.includes(${JSON.stringify(target.name)})`,
    );
    const seen = (await page.evaluate(
      `document.querySelector('${canvas}').screenOf(${JSON.stringify(target.id)})`,
    )) as { x: number; y: number };
    assert.ok(
      seen.x > 0 && seen.x < box.width && seen.y > 0 && seen.y < box.height,
      'the match is centred',
    );

    // colour by block sparsity: a 0–100 % ramp in the legend
    await page.locator('vscode-single-select.graph-metric').click();
    await page
      .locator('vscode-single-select.graph-metric')
      .getByRole('option', { name: 'Block sparsity', exact: true })
      .click();
    await page.waitForFunction(
      `document.querySelector('.graph-legend')?.textContent.includes('Block sparsity')`,
    );
    const legend = (await page.locator('.graph-legend').textContent()) ?? '';
    assert.ok(legend.includes(formatPercent(0)) && legend.includes(formatPercent(1)), legend);
    await page.screenshot({ path: path.join(SHOTS, 'graph-dark.png') });

    // SVG export: one group per node, posted for the host to save
    await page.locator('.graph-tools vscode-button[data-action=export-svg]').click();
    const image = (await posted(page)).find((m) => m.type === 'saveImage') as unknown as
      { format: string; data: string } | undefined;
    assert.ok(image && image.format === 'svg');
    assert.equal((image.data.match(/<g data-id=/g) ?? []).length, graph.nodes.length);

    // a selection from the host (the sidebar, a code lens) shows in the inspector
    const other = report.analysis.layers[3].name;
    await page.evaluate(
      `window.postMessage({ type: 'select', layer: ${JSON.stringify(other)} }, '*')`,
    );
    await page.waitForFunction(
      `document.querySelector('.inspector h3')?.textContent.includes(${JSON.stringify(other)})`,
    );
    await page.close();
  });

  it('Graph tab: an If body expands beside its node; a node inside it is inspectable', async () => {
    const page = await openWebview(browser, 'light');
    const report = reportOf(subgraphModel());
    const graph = report.graph;
    assert.ok(graph && graph.bodies.length > 1, 'the If has bodies');
    await postReport(page, report, 'if.onnx');
    await page.locator('button.tab[data-tab=graph]').click();
    const canvas = '.graph-stage canvas';
    await page.waitForFunction(`document.querySelector('${canvas}')?.drawnNodes() > 0`);
    const main = graph.bodies[0].nodes.length;
    assert.equal(
      await page.evaluate(`document.querySelector('${canvas}').placedNodes()`),
      main,
      'collapsed: the main graph only',
    );
    // selecting a layer inside the branch (as the table would) expands the bodies that hold it
    const inner = report.analysis.layers.find((l) => l.detail.graphPath !== '');
    assert.ok(inner);
    await page.evaluate(
      `window.postMessage({ type: 'select', layer: ${JSON.stringify(inner.name)} }, '*')`,
    );
    await page.waitForFunction(
      `document.querySelector('.inspector h3')?.textContent.includes(${JSON.stringify(inner.name.split('/').pop())})`,
    );
    const placed = (await page.evaluate(
      `document.querySelector('${canvas}').placedNodes()`,
    )) as number;
    const owner = graph.nodes.find((n) => n.op === 'If');
    assert.ok(owner);
    const body = graph.bodies.findIndex(
      (b) => inner.name.startsWith(`${b.path}/`) && b.path !== '',
    );
    assert.ok(body > 0);
    assert.equal(placed, main + graph.bodies[body].nodes.length, 'the branch is on the plane');
    // Enter on the If (found by the search, any node is selectable) collapses it again; the
    // host's select showed the Layers tab, the graph kept its state behind it
    await page.locator('button.tab[data-tab=graph]').click();
    await page.locator('vscode-textfield.graph-search').click();
    await page.keyboard.type(owner.name);
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      `document.querySelector('.inspector h3')?.textContent.startsWith('If')`,
    );
    await page.locator(canvas).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(`document.querySelector('${canvas}').placedNodes() === ${main}`);
    await page.close();
  });

  it("Compare Models: the per-layer and total numbers are the two reports'; rows and graph nodes share the selection", async () => {
    const page = await openWebview(browser, 'light', 'diff');
    await page.setViewportSize({ width: 1400, height: 1000 });
    const a = reportOf(inceptionV3({ widthDivisor: 4, zeroFraction: 0 }).bytes);
    const b = reportOf(inceptionV3({ widthDivisor: 4, zeroFraction: 0.5 }).bytes);
    assert.equal((await posted(page))[0]?.type, 'ready', 'the diff page asks for its models');
    await postDiff(page, a, b, ['inception-v3.onnx', 'inception-v3.bs50.onnx']);
    const secondsOf = (r: typeof a, mode: 'dense' | 'sparse') =>
      new Map((r.simulation?.modes[mode]?.layers ?? []).map((l) => [l.name, l.seconds]));
    const sides = [a, b].map((r) => ({
      layers: new Map(r.analysis.layers.map((l) => [l.name, l])),
      dense: secondsOf(r, 'dense'),
      sparse: secondsOf(r, 'sparse'),
    }));
    // totals: each side's network numbers, as its own report has them
    const totals = (await page.locator('table.diff-totals tbody td').allTextContents()).join(' | ');
    for (const r of [a, b]) {
      const t = r.analysis.totals;
      assert.ok(totals.includes(formatBytes(t.compressedBytesInt8)), `${totals}: bytes`);
      assert.ok(totals.includes(formatPercent(t.zeroBlocks / t.blocks)), `${totals}: sparsity`);
      const sim = r.simulation?.modes;
      assert.ok(sim?.dense && sim.sparse);
      assert.ok(totals.includes(formatMicros(sim.sparse.seconds)), `${totals}: sparse µs`);
      assert.ok(totals.includes(formatMicros(sim.dense.seconds)), `${totals}: dense µs`);
    }
    // every layer (all shown): its cells hold each side's own sparsity, bytes and sparse time
    await page.locator('vscode-button[data-action=changed-only]').click();
    const rows = await page.evaluate<{ layer: string; cells: string[]; changed: boolean }[]>(
      `[...document.querySelectorAll('table.diff-table tbody tr')].map((tr) => ({
        layer: tr.dataset.layer, changed: tr.classList.contains('changed'),
        cells: [...tr.cells].map((c) => c.textContent) }))`,
    );
    assert.equal(rows.length, a.analysis.layers.length, 'one row per layer');
    let changed = 0;
    for (const row of rows) {
      const [x, y] = sides.map((s) => s.layers.get(row.layer));
      assert.ok(x && y, row.layer);
      const [, , change, sparsity, bytes, , sparseUs] = row.cells;
      const differs =
        x.blockSparsity !== y.blockSparsity || x.compressedBytesInt8 !== y.compressedBytesInt8;
      assert.equal(row.changed, differs, `${row.layer}: marked iff it differs`);
      assert.equal(change, differs ? 'changed' : '', row.layer);
      changed += differs ? 1 : 0;
      for (const [i, l] of [x, y].entries()) {
        assert.ok(sparsity.includes(formatPercent(l.blockSparsity)), `${row.layer} ${sparsity}`);
        assert.ok(bytes.includes(formatBytes(l.compressedBytesInt8)), `${row.layer} ${bytes}`);
        const us = sides[i].sparse.get(row.layer);
        if (us !== undefined)
          assert.ok(sparseUs.includes(formatMicros(us)), `${row.layer} ${sparseUs}`);
      }
    }
    assert.ok(changed > 10, `${changed} layers differ`);
    assert.match(
      (await page.locator('.diff-layers .count').textContent()) ?? '',
      new RegExp(`^${changed} of ${rows.length} layers differ`),
    );
    // a row picked: the graph of b opens on it, its inspector says what changed
    const pickedRow = rows.find((r) => r.changed && r.layer.includes('Mixed_6b'));
    assert.ok(pickedRow);
    await page.locator(`table.diff-table tr[data-layer="${pickedRow.layer}"]`).click();
    assert.equal(
      await page.locator('table.diff-table tr.selected').getAttribute('data-layer'),
      pickedRow.layer,
    );
    await page.locator('button.tab[data-tab=graph]').click();
    await page.waitForFunction(`document.querySelector('.graph-stage canvas')?.drawnNodes() > 0`);
    const inspector = (await page.locator('.inspector').textContent()) ?? '';
    assert.ok(inspector.includes(pickedRow.layer.split('/').pop() ?? ''), inspector);
    assert.ok(inspector.includes('Changed in b'), 'the inspector names the comparison');
    assert.ok(
      ((await page.locator('.graph-legend').textContent()) ?? '').includes('changed'),
      'the legend reads the marks',
    );
    // a node picked in the graph (by search) is the row selected in the table
    const other = rows.find((r) => r.changed && r.layer !== pickedRow.layer);
    assert.ok(other);
    await page.locator('vscode-textfield.graph-search').click();
    await page.keyboard.type(other.layer);
    await page.keyboard.press('Enter');
    await page.locator('button.tab[data-tab=layers]').click();
    await page.waitForFunction(
      `document.querySelector('table.diff-table tr.selected')?.dataset.layer === ${JSON.stringify(other.layer)}`,
    );
    await page.screenshot({ path: path.join(SHOTS, 'compare-light.png') });
    // a malformed diff message is dropped; an error replaces the view
    await page.evaluate(`window.postMessage({ type: 'diff', a: {}, b: {} }, '*')`);
    assert.equal(await page.locator('table.diff-table').count(), 1);
    await page.evaluate(
      `window.postMessage({ type: 'error', file: 'b.onnx', code: 'decode', message: 'Truncated.' }, '*')`,
    );
    await page.waitForSelector('section.error');
    assert.match(
      (await page.locator('section.error').textContent()) ?? '',
      /Truncated\. \[decode\]/,
    );
    await page.close();
  });

  it('accessibility: tabs by keyboard, the timeline and the heat-map as tables, N/P/R on the timeline, outlines in high contrast', async () => {
    const page = await openWebview(browser, 'high-contrast');
    const report = reportOf(resnet50({ widthDivisor: 4, zeroFraction: 0.5 }).bytes);
    await postReport(page, report, 'resnet50-quarter-bs50.onnx');
    // tabs: one in the Tab order; arrows, Home and End move between them and show their panel
    const tabState = () =>
      page.evaluate<{ tab: string; focused: string; stops: number; panel: string | null }>(`({
        tab: document.querySelector('[role=tab][aria-selected=true]').dataset.tab,
        focused: document.activeElement.dataset.tab,
        stops: [...document.querySelectorAll('[role=tab]')].filter((t) => t.tabIndex === 0).length,
        panel: [...document.querySelectorAll('[role=tabpanel]')].find((p) => !p.hidden)
          ?.getAttribute('aria-labelledby') ?? null,
      })`);
    await page.locator('button.tab[data-tab=layers]').focus();
    await page.keyboard.press('ArrowRight');
    assert.deepEqual(await tabState(), {
      tab: 'graph',
      focused: 'graph',
      stops: 1,
      panel: 'tab-graph',
    });
    await page.keyboard.press('End');
    assert.equal((await tabState()).tab, 'ledger');
    await page.keyboard.press('Home');
    assert.equal((await tabState()).panel, 'tab-layers');
    // high contrast has no selection background: the selected row is outlined in its border
    const layer = '/layer4/layer4.0/conv2/Conv';
    await page.evaluate(
      `window.postMessage({ type: 'select', layer: ${JSON.stringify(layer)} }, '*')`,
    );
    await page.waitForSelector('table.layers tr.selected');
    const outline = await page.evaluate<string>(
      `getComputedStyle(document.querySelector('table.layers tr.selected td:nth-child(2)')).outline`,
    );
    assert.match(outline, /rgb\(243, 133, 24\) solid 1px|1px solid rgb\(243, 133, 24\)/, outline);

    // the heat-map's table: its zero blocks add up to the layer's
    await page.locator('button.tab[data-tab=sparsity]').click();
    const l = report.analysis.layers.find((x) => x.name === layer);
    assert.ok(l);
    assert.equal(
      await page.locator('ul.bars [role=option][aria-selected=true]').getAttribute('aria-label'),
      `${layer}: ${formatPercent(l.blockSparsity)} block sparsity`,
    );
    await page.locator('#panel-sparsity details.mask-table summary').focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('#panel-sparsity details.mask-table tbody tr');
    const zeroCells = await page
      .locator('#panel-sparsity details.mask-table tbody tr td:nth-child(3)')
      .allTextContents();
    assert.equal(zeroCells.length, l.detail.blockRows * l.group, 'one row per block-row');
    assert.equal(
      zeroCells.reduce((sum, t) => sum + Number(t.split(' ')[0]), 0),
      l.zeroBlocks,
      'the zero blocks of the rows add up to the layer',
    );

    // the timeline's table: each run's layers in time order with their own durations
    await page.locator('button.tab[data-tab=timeline]').click();
    await page.locator('details.timeline-table summary').click();
    await page.waitForSelector('table.timeline-layers tbody tr');
    const layerRows = await page.evaluate<string[][]>(
      `[...document.querySelectorAll('table.timeline-layers tbody tr')].map((tr) =>
        [...tr.cells].map((c) => c.textContent))`,
    );
    const sim = report.simulation;
    assert.ok(sim?.modes.dense && sim.modes.sparse);
    const expected = (['dense', 'sparse'] as const).flatMap((m) =>
      (sim.modes[m]?.layers ?? []).map((x) => [m, x.name, formatDuration(x.seconds)]),
    );
    assert.deepEqual(
      layerRows.map((r) => [r[0], r[1], r[4]]),
      expected,
    );
    const laneRows = await page
      .locator('details.timeline-table table:first-of-type tbody tr')
      .count();
    const labels = (await page.evaluate(
      `document.querySelector('.timeline canvas').rowLabels()`,
    )) as string[];
    assert.equal(laneRows, labels.filter((x) => !x.endsWith(' layers')).length, 'one row per lane');
    // keyboard on the canvas: N selects the first layer (the host hears of it), R sums the window
    await page.locator('.timeline canvas').focus();
    await page.keyboard.press('n');
    await page.keyboard.press('n');
    const picked = (await posted(page)).filter((m) => m.type === 'selected').at(-1) as
      { layer: string } | undefined;
    const order = sim.modes.dense.layers.map((x) => x.name);
    assert.equal(picked?.layer, order[order.indexOf(layer) + 2], 'N steps through the layers');
    await page.keyboard.press('r');
    await page.waitForSelector('.range-summary table');
    await page.screenshot({
      path: path.join(SHOTS, 'timeline-table-high-contrast.png'),
      fullPage: true,
    });
    await page.close();
  });

  for (const theme of ['light', 'dark', 'high-contrast'] as Theme[]) {
    it(`screenshots of every tab, ${theme} theme`, async () => {
      const page = await openWebview(browser, theme);
      await postReport(
        page,
        reportOf(resnet50({ widthDivisor: 4, zeroFraction: 0.5 }).bytes),
        'resnet50-quarter-bs50.onnx',
      );
      // a mid-size layer, so the heat-map shows a real block mask
      await page.evaluate(
        `window.postMessage({ type: 'select', layer: '/layer4/layer4.0/conv2/Conv' }, '*')`,
      );
      for (const tab of ['layers', 'graph', 'sparsity', 'memory', 'timeline', 'why']) {
        await page.locator(`button.tab[data-tab=${tab}]`).click();
        await page.waitForTimeout(150);
        const file = path.join(SHOTS, `${tab}-${theme}.png`);
        await page.screenshot({ path: file });
        assert.ok(fs.statSync(file).size > 5000, `${file} has content`);
      }
      await page.close();
    });
  }
});
