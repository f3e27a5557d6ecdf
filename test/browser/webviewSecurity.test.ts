import { strict as assert } from 'node:assert';
import { middleEllipsis } from '../../src/core/units';
import type { Browser, Page } from 'playwright-core';
import { onnxTypes } from '../../src/core/onnx/protoRoot';
import type { PbModel } from '../../src/core/onnx/protoMessages';
import { isWebviewMessage } from '../../src/shared/protocol';
import { resnetMini } from '../fixtures/models';
import { modelViewReportOf } from '../support/modelViewReport';
import { launch, openSecureWebview, postDiff, postReport } from './webviewPage';

/** Markup a hostile model could carry in its names; `window.pwned` is set if any of it runs. */
const MARKUP = [
  '<img src=x onerror="window.pwned=1">',
  '"><script>window.pwned=2</script>',
  "<svg onload='window.pwned=3'>",
  '<iframe srcdoc="<script>parent.pwned=4</script>">',
  '<a href="javascript:window.pwned=5">x</a>',
  '<style>body{display:none}</style>',
];

/** resnet-mini with markup in its node names, producer, graph name and input name. */
function markupModel(): Uint8Array {
  const { ModelProto } = onnxTypes();
  const pb = ModelProto.decode(resnetMini({ zeroFraction: 0.5 }).bytes) as unknown as PbModel;
  pb.producer_name = '<b onmouseover="window.pwned=6">exporter</b>';
  const g = pb.graph;
  assert.ok(g?.node);
  g.name = '<script>window.pwned=7</script>';
  let k = 0;
  for (const n of g.node)
    if (n.op_type === 'Conv' || n.op_type === 'Gemm')
      n.name = `${MARKUP[k++ % MARKUP.length]}#${k}`;
  return ModelProto.encode(pb as never).finish();
}

const reportOf = (bytes: Uint8Array) => modelViewReportOf(bytes, true);

const violations = (page: Page) => page.evaluate<string[]>('window.violations');

describe('model view security (production HTML and CSP in headless Chromium)', function () {
  this.timeout(120000);
  let browser: Browser;
  before(async () => (browser = await launch()));
  after(async () => browser?.close());

  it('the bundle runs under the CSP with no violation; inline code is refused', async () => {
    const page = await openSecureWebview(browser);
    assert.deepEqual(await page.evaluate('window.posted'), [{ type: 'ready' }]);
    await postReport(page, reportOf(resnetMini({ zeroFraction: 0.5 }).bytes));
    for (const tab of ['Sparsity', 'Memory', 'Timeline', 'Layers']) {
      await page.getByRole('tab', { name: tab, exact: true }).click();
    }
    assert.deepEqual(await violations(page), [], 'our own code needs nothing the CSP forbids');
    // the control: code a model could smuggle in is blocked and reported (page.evaluate itself
    // runs outside the CSP, like DevTools, so each probe goes through the page's own machinery)
    await page.evaluate(`{
      const s = document.createElement('script');
      s.textContent = 'window.inline = 1';
      document.body.append(s);
      document.body.setAttribute('onclick', 'window.handler = 1');
      document.body.click();
      setTimeout('window.evaled = 1', 0);
    }`);
    await page.waitForTimeout(50);
    assert.equal(await page.evaluate('window.inline'), undefined);
    assert.equal(await page.evaluate('window.handler'), undefined);
    assert.equal(await page.evaluate('window.evaled'), undefined);
    const v = await violations(page);
    assert.ok(
      v.some((x) => x.startsWith('script-src')),
      v.join(', '),
    );
    await page.close();
  });

  it('node names, producer and graph names with markup are shown as text, never run', async () => {
    const page = await openSecureWebview(browser);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const report = reportOf(markupModel());
    await postReport(page, report);
    const names = report.analysis.layers.map((l) => l.name);
    assert.ok(names.some((n) => n.includes('<img')));
    // every layer row shows its name literally (long ones shortened in the middle, whole in the
    // row's tooltip)
    const shown = await page.locator('tbody tr[data-layer] td:first-child').allInnerTexts();
    const titles = await Promise.all(
      (await page.locator('tbody tr[data-layer]').all()).map(
        async (r) => (await r.getAttribute('title')) ?? '',
      ),
    );
    for (const n of names) {
      assert.ok(
        shown.some((s) => s.includes(middleEllipsis(n, 40))),
        `row for ${n}`,
      );
      assert.ok(
        titles.some((t) => t.startsWith(n)),
        `tooltip for ${n}`,
      );
    }
    await page
      .getByText('<b onmouseover="window.pwned=6">exporter</b>', { exact: false })
      .first()
      .waitFor();
    // visit every tab and hover the timeline so every renderer sees the names
    for (const tab of ['Sparsity', 'Memory', 'Timeline', 'Layers']) {
      await page.getByRole('tab', { name: tab, exact: true }).click();
      if (tab === 'Timeline') await page.locator('.timeline canvas').hover();
    }
    const injected = await page.evaluate<number>(
      `document.querySelectorAll('img, svg:not([data-ours]) [onload], iframe, main script, a[href^="javascript:"], main style').length`,
    );
    assert.equal(injected, 0, 'no element was made from a model string');
    assert.equal(await page.evaluate('window.pwned'), undefined);
    assert.deepEqual(errors, []);
    assert.deepEqual(await violations(page), []);
    await page.close();
  });

  it('Compare Models under the CSP: names with markup are text in the table and the graph of b', async () => {
    const page = await openSecureWebview(browser, 'diff');
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    assert.deepEqual(await page.evaluate('window.posted'), [{ type: 'ready' }]);
    const a = reportOf(resnetMini({ zeroFraction: 0 }).bytes);
    const b = reportOf(markupModel());
    await postDiff(page, a, b, ['<img src=x onerror="window.pwned=8">.onnx', 'b.onnx']);
    const rows = await page
      .locator('table.diff-table tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-layer') ?? ''));
    for (const n of b.analysis.layers.map((l) => l.name))
      if (n.includes('<')) assert.ok(rows.includes(n), `row for ${n}`);
    await page.getByText('<img src=x onerror="window.pwned=8">.onnx').waitFor();
    await page.getByRole('tab', { name: 'Graph of b', exact: true }).click();
    await page.locator('.graph-stage canvas').hover();
    const injected = await page.evaluate<number>(
      `document.querySelectorAll('img, iframe, main script, a[href^="javascript:"], main style').length`,
    );
    assert.equal(injected, 0, 'no element was made from a model string');
    assert.equal(await page.evaluate('window.pwned'), undefined);
    assert.deepEqual(errors, []);
    assert.deepEqual(await violations(page), []);
    await page.close();
  });

  it('malformed messages from outside are dropped; the view keeps working', async () => {
    const page = await openSecureWebview(browser);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const report = reportOf(resnetMini({ zeroFraction: 0.5 }).bytes);
    await postReport(page, report);
    const rows = () => page.locator('tbody tr[data-layer]').count();
    const before = await rows();
    await page.evaluate(`{
      const bad = [
        null, 42, 'report', [], {}, { type: 'report' }, { type: 'report', report: null },
        { type: 'report', file: 'x', report: { analysis: { layers: 'all' } } },
        { type: 'report', file: 'x', report: { analysis: { layers: [{}] }, simulation: null } },
        { type: 'select', layer: { toString: 1 } }, { type: 'select' },
        { type: 'progress', done: 'soon', total: 1 }, { type: 'error', message: 5 },
        { type: 'error', file: '<img src=x onerror="window.pwned=1">', code: 'x' },
        { type: '__proto__' }, { type: 'constructor' }, { type: 'toString' },
        JSON.parse('{"type":"report","__proto__":{"report":1}}'),
      ];
      for (const m of bad) window.postMessage(m, '*');
    }`);
    await page.waitForTimeout(100);
    assert.deepEqual(errors, []);
    assert.equal(await rows(), before, 'the report is still shown');
    assert.equal(await page.evaluate('window.pwned'), undefined);
    // and the view still answers the user
    await page.locator('tbody tr[data-layer]').nth(1).click();
    const posted = await page.evaluate<unknown[]>('window.posted');
    assert.ok(posted.some((m) => (m as { type: string }).type === 'selected'));
    for (const m of posted)
      assert.ok(isWebviewMessage(m), `the webview posted ${JSON.stringify(m)}`);
    await page.close();
  });
});
