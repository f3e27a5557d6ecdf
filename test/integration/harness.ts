/**
 * Integration tests in a real VS Code: code-server (VS Code 1.100.3, extension host on Node 20)
 * driven from headless Chromium. Mocha suites run inside the extension host through a small test
 * extension; browser-level checks drive the workbench like a user. Prints one line per test and
 * "N passed, N failed"; writes the counts to $BSS_SUMMARY when set. See ../shared/docs/TESTING.md.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { ASSUMPTION_NAMES } from '../../src/core/estimate/assumptions';
import {
  CODE_SERVER_BIN,
  codeServerArgs,
  ensureIntegrationTools,
} from '../../scripts/ensureCodeServer.mjs';
import {
  checker,
  frameVisible,
  modelViewFrame,
  openModelView,
  openWorkbench,
  runCommand,
  SHOTS,
  waitFor,
  type Result,
} from './harnessSupport';
import { restrictedChecks } from './restrictedChecks';
import { buildTestBundle, sessionSettings, writeWorkspace } from './testSession';

const ROOT = path.resolve(__dirname, '..', '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** The VSIX, packaged once per run from the built dist/ exactly as `npm run package` does. */
let vsix: string | undefined;
function packageVsix(): string {
  if (vsix) return vsix;
  const out = path.join(
    fs.mkdtempSync(path.join(os.tmpdir(), 'bss-vsix-')),
    'block-sparse-studio.vsix',
  );
  const r = spawnSync(
    process.execPath,
    [
      require.resolve('@vscode/vsce/vsce'),
      'package',
      '--no-dependencies',
      '--allow-missing-repository',
      '--no-rewrite-relative-links',
      '-o',
      out,
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`vsce package failed: ${r.stderr || r.stdout}`);
  vsix = out;
  return out;
}

/**
 * Our extension installed from its VSIX (what a user installs: only what .vscodeignore lets in,
 * no node_modules, so no onnxruntime-node) and the test extension, in an extensions folder.
 */
async function installExtensions(dir: string): Promise<void> {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  fs.mkdirSync(dir, { recursive: true });
  const installed = spawnSync(
    CODE_SERVER_BIN,
    ['--extensions-dir', dir, '--install-extension', packageVsix(), '--force'],
    { encoding: 'utf8' },
  );
  if (installed.status !== 0)
    throw new Error(`installing the VSIX failed: ${installed.stderr || installed.stdout}`);
  // the registry the install wrote would hide the test extension laid out beside it: without
  // it VS Code scans the folder and finds both
  fs.rmSync(path.join(dir, 'extensions.json'), { force: true });
  if (!fs.existsSync(path.join(dir, `${pkg.publisher}.${pkg.name}-${pkg.version}`, 'dist', 'ort')))
    throw new Error('the installed VSIX lacks dist/ort');
  const tests = path.join(dir, 'block-sparse-studio.block-sparse-studio-tests-0.0.1');
  fs.mkdirSync(path.join(tests, 'dist'), { recursive: true });
  fs.writeFileSync(
    path.join(tests, 'package.json'),
    JSON.stringify({
      name: 'block-sparse-studio-tests',
      publisher: 'block-sparse-studio',
      version: '0.0.1',
      engines: { vscode: '^1.90.0' },
      main: './dist/runner.js',
      activationEvents: ['onStartupFinished'],
      // else VS Code disables the test runner itself in the Restricted Mode session
      capabilities: { untrustedWorkspaces: { supported: true } },
      extensionDependencies: [`${pkg.publisher}.${pkg.name}`],
    }),
  );
  await buildTestBundle(path.join(tests, 'dist'));
}

async function browserChecks(
  page: Page,
  url: string,
  workspace: string,
  hostResults: string,
  results: Result[],
): Promise<void> {
  const check = checker(page, results);
  await openWorkbench(page, url, hostResults);

  await check('the model view webview lists every layer of the model', async () => {
    const frame = await openModelView(page, 'mini.onnx');
    const rows = await frame.locator('tbody tr[data-layer]').count();
    if (rows !== 7) throw new Error(`expected 7 layer rows, found ${rows}`);
    await page.screenshot({ path: path.join(SHOTS, 'model-view.png') });
  });

  await check(
    'ResNet-50: first paint and tab switch measured; at 1280 x 800 every column reachable',
    async () => {
      // polled every 10 ms: the frame whose view shows this file's layer rows
      const painted = async (file: string) => {
        const end = Date.now() + 30000;
        while (Date.now() < end) {
          for (const f of page.frames()) {
            const ok = await f
              .locator('h1', { hasText: file })
              .count()
              .then(async (n) => n > 0 && (await f.locator('tbody tr[data-layer]').count()) > 0)
              .catch(() => false);
            if (ok && (await frameVisible(f))) return;
          }
          await page.waitForTimeout(10);
        }
        throw new Error(`${file}: no layer rows within 30 s`);
      };
      await page.keyboard.press('Control+P');
      await page.waitForTimeout(700);
      await page.keyboard.type('resnet50.onnx');
      await page.waitForTimeout(700);
      const t0 = Date.now();
      await page.keyboard.press('Enter');
      // when the page itself is up (before any report): the webview's own start-up
      let shell = -1;
      void (async () => {
        const end = Date.now() + 30000;
        while (shell < 0 && Date.now() < end) {
          for (const f of page.frames())
            if (
              (await f
                .locator('main#app')
                .count()
                .catch(() => 0)) > 0 &&
              shell < 0
            )
              shell = Date.now() - t0;
          await page.waitForTimeout(10);
        }
      })();
      await painted('resnet50.onnx');
      const firstPaint = Date.now() - t0;
      // VS Code's own part: the webview page's HTML arrives (navigation timing of its frame)
      let pageArrived = t0;
      for (const f of page.frames()) {
        if (
          (await f
            .locator('h1', { hasText: 'resnet50.onnx' })
            .count()
            .catch(() => 0)) === 0
        )
          continue;
        pageArrived = await f.evaluate<number>(
          `performance.timeOrigin + performance.getEntriesByType('navigation')[0].responseEnd`,
        );
      }
      const ours = t0 + firstPaint - pageArrived;
      await openModelView(page, 'mini.onnx');
      await page.waitForTimeout(1000);
      const tab = page.locator('.tabs-container .tab', { hasText: 'resnet50.onnx' }).first();
      const t1 = Date.now();
      await tab.click();
      await painted('resnet50.onnx');
      const back = Date.now() - t1;
      console.log(
        `ResNet-50 model view: first paint ${firstPaint} ms after opening, of which ${Math.round(pageArrived - t0)} ms until the workbench delivered the empty page (shell in the DOM after ${shell} ms) and ${Math.round(ours)} ms ours (target <= 700); tab switch back ${back} ms (target <= 150)`,
      );
      await page.screenshot({ path: path.join(SHOTS, 'resnet50-view.png') });
      // at 1280 x 800 (sidebar open) every column is reachable with the Layer column in view
      await page.setViewportSize({ width: 1280, height: 800 });
      let layout = '';
      let panelWasOpen = false;
      try {
        // the bottom panel (earlier checks opened the output) would cover the table: closed for
        // the screenshot, opened again after it (later checks read the output)
        panelWasOpen = await page.locator('.part.panel').isVisible();
        if (panelWasOpen) await page.keyboard.press('Control+J');
        await page.waitForTimeout(500);
        const frame = await modelViewFrame(page);
        await frame.locator('.table-scroll').scrollIntoViewIfNeeded();
        await frame.locator('.table-scroll').evaluate((e) => (e.scrollLeft = e.scrollWidth));
        await page.waitForTimeout(200);
        const cell = await frame
          .locator('tbody tr[data-layer] td:first-child')
          .first()
          .boundingBox();
        const boundHead = await frame.locator('thead th', { hasText: 'Bound' }).boundingBox();
        // boxes are in page coordinates: the view's own box is its frame element's
        const view = await (await frame.frameElement()).boundingBox();
        if (!view) layout = 'no model view frame box';
        else if (!cell || cell.x < view.x - 1) layout = 'the Layer column left the view';
        else if (!boundHead || boundHead.x + boundHead.width > view.x + view.width + 1)
          layout = `the Bound column ends at ${boundHead ? boundHead.x + boundHead.width : '?'}, the view at ${view.x + view.width}`;
        await page.screenshot({ path: path.join(SHOTS, 'layers-1280x800.png') });
      } finally {
        if (panelWasOpen) await page.keyboard.press('Control+J');
        await page.setViewportSize({ width: 1400, height: 900 });
      }
      // close it: later checks look for the one model view on screen
      await page.keyboard.press('Control+W');
      await page.waitForTimeout(500);
      if (layout) throw new Error(layout);
      // The timings are measurements, printed above against their targets, not pass/fail: on a
      // shared 2-core machine a tab switch varies by tens of ms (project rule: speed targets
      // are measured, not asserted in tests). What is asserted is what the speed rests on: the
      // page shows the report (above), and a switch runs no analysis (documents.itest.ts).
    },
  );

  await check(
    'the header shows the dense → sparse estimate; sorting and filtering work',
    async () => {
      const frame = await modelViewFrame(page);
      const header = await frame.locator('dl').innerText();
      if (!/Estimate on paper-4x4[\s\S]*dense →[\s\S]*sparse/.test(header))
        throw new Error(`no estimate in the header: ${header}`);
      await frame.locator('th', { hasText: 'MACs' }).click();
      const first = await frame.locator('tbody tr[data-layer]').first().getAttribute('data-layer');
      if (first !== '/block0/conv1/Conv')
        throw new Error(`largest-MACs layer first expected, got ${first}`);
      await frame.locator('input[type=search]').fill('Gemm');
      const left = await frame.locator('tbody tr[data-layer]').count();
      if (left !== 1) throw new Error(`filter 'Gemm' left ${left} rows`);
      await page.screenshot({ path: path.join(SHOTS, 'model-view-sorted-filtered.png') });
    },
  );

  await check(
    'the status bar shows the estimate; "Choose AIE2 Array" re-estimates every open view',
    async () => {
      const item = page.locator('.statusbar-item', { hasText: 'paper-4x4:' });
      await item.first().waitFor({ state: 'visible', timeout: 30000 });
      const text = await item.first().innerText();
      if (!/paper-4x4: [\d.]+ → [\d.]+ ms/.test(text)) throw new Error(`status bar says '${text}'`);
      await item.first().click(); // runs blockSparse.pickArchitecture
      await page
        .locator('.quick-input-widget .quick-input-title', { hasText: 'AIE2 array' })
        .first()
        .waitFor({ state: 'visible', timeout: 15000 });
      await page.keyboard.type('paper-8x8');
      await page.waitForTimeout(300);
      await page.keyboard.press('Enter');
      await page
        .locator('.statusbar-item', { hasText: 'paper-8x8:' })
        .first()
        .waitFor({ state: 'visible', timeout: 60000 });
      await page.screenshot({ path: path.join(SHOTS, 'status-bar-8x8.png') });
    },
  );

  await check(
    'the Block Sparse sidebar lists the layers; clicking one selects it in the model view',
    async () => {
      await page.locator('.activitybar .action-item a[aria-label^="Block Sparse"]').first().click();
      const rows = page.locator('.pane-body .monaco-list-row', { hasText: '/' });
      await waitFor(
        'the layer tree',
        async () => ((await rows.count()) >= 7 ? true : undefined),
        30000,
      );
      const totals = page.locator('.pane-body .monaco-list-row', { hasText: '7 layers' });
      if ((await totals.count()) !== 1) throw new Error('no totals node');
      await page
        .locator('.pane-body .monaco-list-row', { hasText: '/down/conv/Conv' })
        .first()
        .click();
      const selected = await waitFor(
        'the selected row in the model view',
        async () => {
          for (const f of page.frames()) {
            const name = await f
              .locator('tbody tr.selected')
              .first()
              .getAttribute('data-layer', { timeout: 200 })
              .catch(() => null);
            if (name) return name;
          }
          return undefined;
        },
        30000,
      );
      if (selected !== '/down/conv/Conv') throw new Error(`selected ${selected}`);
      // and the other way: a row clicked in the model view is selected in the sidebar
      for (const f of page.frames()) {
        const row = f.locator('tbody tr[data-layer="/fc/Gemm"]');
        if (await row.isVisible().catch(() => false)) {
          await row.click();
          break;
        }
      }
      await page
        .locator('.pane-body .monaco-list-row[aria-selected=true]', { hasText: '/fc/Gemm' })
        .first()
        .waitFor({ state: 'visible', timeout: 15000 });
      await page.screenshot({ path: path.join(SHOTS, 'sidebar.png') });
    },
  );

  await check(
    'tabs: the block-mask heat-map, the memory view, the timeline zooms and explains, why-not-faster',
    async () => {
      const frame = await waitFor(
        'the model view frame',
        async () => {
          // the visible model view: the workbench and hidden webview copies have frames too
          for (const f of page.frames())
            if (
              await f
                .locator('button.tab[data-tab=layers]')
                .isVisible()
                .catch(() => false)
            )
              return f;
          return undefined;
        },
        30000,
      );
      await frame.locator('.tab[data-tab=sparsity]').click();
      const heat = frame.locator('canvas.heatmap');
      await heat.waitFor({ state: 'visible', timeout: 10000 });
      // /fc/Gemm (selected in the view last): 10 out x 32 in channels = 2 x 4 blocks
      const [rows, cols] = [
        await heat.getAttribute('data-rows'),
        await heat.getAttribute('data-cols'),
      ];
      if (rows !== '2' || cols !== '4') throw new Error(`heat-map ${rows} x ${cols}`);
      await page.screenshot({ path: path.join(SHOTS, 'tab-sparsity.png') });
      await frame.locator('.tab[data-tab=memory]').click();
      await frame
        .locator('table.memory tbody tr')
        .first()
        .waitFor({ state: 'visible', timeout: 10000 });
      await page.screenshot({ path: path.join(SHOTS, 'tab-memory.png') });
      await frame.locator('.tab[data-tab=timeline]').click();
      const canvas = frame.locator('.timeline canvas');
      await canvas.waitFor({ state: 'visible', timeout: 10000 });
      const span = () =>
        canvas.evaluate((c) => {
          const w = (
            c as unknown as { timeWindow: () => { start: number; end: number } }
          ).timeWindow();
          return w.end - w.start;
        });
      const drawn = await canvas.evaluate((c) =>
        (c as unknown as { drawnBlocks: () => number }).drawnBlocks(),
      );
      if (!(drawn > 20)) throw new Error(`the timeline drew ${drawn} blocks`);
      const before = await span();
      const box = await canvas.boundingBox();
      if (!box) throw new Error('no timeline canvas box');
      await page.mouse.move(box.x + box.width * 0.6, box.y + 40);
      for (let i = 0; i < 3; i++) await page.mouse.wheel(0, -200);
      await page.waitForTimeout(300);
      const after = await span();
      if (!(after < before * 0.7)) throw new Error(`wheel did not zoom in: ${before} → ${after}`);
      await page.screenshot({ path: path.join(SHOTS, 'tab-timeline.png') });
      await frame.locator('.tab[data-tab=why]').click();
      await frame
        .locator('.diagnostics h2', { hasText: "Why isn't it faster?" })
        .waitFor({ state: 'visible', timeout: 10000 });
      await page.screenshot({ path: path.join(SHOTS, 'tab-why.png') });
      await frame.locator('.tab[data-tab=layers]').click();
    },
  );

  await check(
    "the Estimate picker re-estimates in refined mode; 'Paper → refined' shows the ledger",
    async () => {
      const frame = await modelViewFrame(page);
      const choose = async (value: string) => {
        const select = frame.locator('vscode-single-select[data-control="Estimate"]');
        await select.click();
        await select.getByRole('option', { name: value, exact: true }).click();
      };
      await choose('refined');
      await frame
        .locator('dl', { hasText: /\(int8, refined\)/ })
        .waitFor({ state: 'visible', timeout: 60000 });
      await frame.locator('.tab[data-tab=ledger]').click();
      const rows = frame.locator('table.ledger-table tbody tr');
      await rows.first().waitFor({ state: 'visible', timeout: 10000 });
      // paper, one row per assumption, refined
      const count = await rows.count();
      if (count !== ASSUMPTION_NAMES.length + 2) throw new Error(`${count} ledger rows`);
      await page.screenshot({ path: path.join(SHOTS, 'tab-ledger.png') });
      await frame.locator('.tab[data-tab=why]').click();
      await frame.locator('table.causes tbody tr').first().waitFor({ state: 'visible' });
      await page.screenshot({ path: path.join(SHOTS, 'tab-why-refined.png') });
      await choose('paper');
      await frame
        .locator('dl', { hasText: /\(int8, paper\)/ })
        .waitFor({ state: 'visible', timeout: 60000 });
      await frame.locator('.tab[data-tab=layers]').click();
    },
  );

  await check('dark theme: the model view follows the workbench colours', async () => {
    const frame = await openModelView(page, 'mini.onnx');
    // the page's own script context: a string, since this file is type-checked without the DOM
    const luminance = () =>
      frame.evaluate<number>(
        `(() => { const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).slice(0, 3).map(Number);
          return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255; })()`,
      );
    // as a user does: Ctrl+K Ctrl+T (Preferences: Color Theme), then the theme's name
    const chooseTheme = async (theme: string) => {
      // keys go to the workbench, not the focused webview
      await page.locator('.part.statusbar').click({ position: { x: 700, y: 5 } });
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+T');
      await page
        .locator('.quick-input-widget .monaco-list-row', { hasText: 'Light Modern' })
        .first()
        .waitFor({ state: 'visible', timeout: 15000 });
      await page.keyboard.type(theme);
      await page.waitForTimeout(500);
      await page.keyboard.press('Enter');
    };
    if (!((await luminance()) > 0.5)) throw new Error('the light workbench has a dark view');
    await chooseTheme('Dark Modern');
    try {
      await waitFor(
        'the dark theme',
        async () => ((await luminance()) < 0.3 ? true : undefined),
        30000,
      );
      for (const tab of ['layers', 'memory', 'why']) {
        await frame.locator(`.tab[data-tab=${tab}]`).click();
        await page.waitForTimeout(300);
        await page.screenshot({ path: path.join(SHOTS, `dark-${tab}.png`) });
      }
      await frame.locator('.tab[data-tab=layers]').click();
    } finally {
      await chooseTheme('Light Modern');
    }
    await waitFor(
      'the light theme again',
      async () => ((await luminance()) > 0.5 ? true : undefined),
      30000,
    );
  });

  await check('right-click → Sparsify… writes the sparse model and reports it', async () => {
    await page.locator('.activitybar .action-item a[aria-label^="Explorer"]').first().click();
    const row = page
      .locator('.explorer-folders-view .monaco-list-row', { hasText: 'mini.onnx' })
      .first();
    await row.click({ button: 'right' });
    const item = page.locator('.monaco-menu .action-label', { hasText: 'Sparsify…' }).first();
    await item.waitFor({ state: 'visible', timeout: 15000 });
    await page.waitForTimeout(500); // the menu ignores clicks while it animates in
    await item.hover();
    await item.click();
    // accept the defaults (50%, 8x8, L2, per layer), each once its quick pick is showing, then
    // balance the blocks for the chosen array (the second choice)
    for (const title of [
      'fraction of 8x8 blocks',
      'Block shape',
      'Score blocks by',
      'Scope',
      'Balance the blocks for',
    ]) {
      await page
        .locator('.quick-input-widget .quick-input-title', { hasText: title })
        .first()
        .waitFor({ state: 'visible', timeout: 30000 });
      await page.waitForTimeout(300);
      if (title.startsWith('Balance')) await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
    }
    const out = path.join(workspace, 'mini.bs50.onnx');
    await waitFor('mini.bs50.onnx', () => fs.existsSync(out), 60000);
    await waitFor(
      'the Sparsified report',
      async () =>
        (await page.locator('.notifications-toasts', { hasText: 'Sparsified' }).count()) > 0,
      60000,
    );
    // verification ran from the installed VSIX, on the bundled WebAssembly ONNX Runtime
    const panel = page.locator('.part.panel');
    await waitFor(
      'the verification figures in the Block Sparse output',
      async () =>
        (await panel
          .locator('.view-lines', { hasText: 'Verification with onnxruntime-web' })
          .count()) > 0
          ? true
          : undefined,
      60000,
    );
    if ((await panel.locator('.view-lines', { hasText: 'BS5010' }).count()) > 0)
      throw new Error('verification was skipped (BS5010)');
    if ((await panel.locator('.view-lines', { hasText: 'Balanced for' }).count()) === 0)
      throw new Error('the report has no balancing figures');
    await page.screenshot({ path: path.join(SHOTS, 'sparsify-report.png') });
  });

  await check(
    'Sparsify → Compare with Original: one view of both models with the differences',
    async () => {
      const toast = page.locator('.notifications-toasts .notification-toast', {
        hasText: 'Sparsified',
      });
      await toast.first().hover();
      await toast
        .first()
        .locator('.monaco-button', { hasText: 'Compare with Original' })
        .first()
        .click();
      const frame = await modelViewFrame(
        page,
        'table.diff-table tbody tr',
        'the Compare Models frame',
      );
      // the output the report went to takes half the window: closed for the screenshots
      await runCommand(page, 'View: Close Panel');
      const title = page.locator('.tabs-container .tab', { hasText: 'mini.onnx ↔ mini.bs50.onnx' });
      if ((await title.count()) !== 1) throw new Error('no "mini.onnx ↔ mini.bs50.onnx" tab');
      const changed = await frame.locator('table.diff-table tbody tr.changed').count();
      const count = (await frame.locator('.diff-layers .count').textContent()) ?? '';
      if (!(changed > 0) || !count.startsWith(`${changed} of 7 layers differ`))
        throw new Error(`${changed} changed rows; "${count}"`);
      const totals = (await frame.locator('table.diff-totals tbody').textContent()) ?? '';
      if (!/0\.0% → \d+\.\d% \(\+/.test(totals)) throw new Error(`totals: ${totals}`);
      await page.screenshot({ path: path.join(SHOTS, 'compare-models.png') });
      // a row picked is the node selected in the graph of b, the changed layers marked
      const row = frame.locator('table.diff-table tbody tr.changed').first();
      const layer = await row.getAttribute('data-layer');
      await row.click();
      await frame.locator('button.tab[data-tab=graph]').click();
      await waitFor(
        'the graph of b with its inspector on the picked layer',
        async () =>
          /Changed in b\s*changed/.test((await frame.locator('.inspector').textContent()) ?? '')
            ? true
            : undefined,
        20000,
      );
      if (
        !((await frame.locator('.inspector h3').textContent()) ?? '').includes(
          layer?.split('/').pop() ?? '?',
        )
      )
        throw new Error(`the inspector does not show ${layer}`);
      // F zooms to the picked layer: its neighbours' names readable, the changed ones coloured
      await frame.locator('.graph-stage canvas').focus();
      await page.keyboard.press('f');
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(SHOTS, 'compare-models-graph.png') });
    },
  );

  await check(
    'Inception-v3: the Graph tab shows every node, a click inspects, search finds by name; the timeline labels slices and sums a range',
    async () => {
      const frame = await openModelView(page, 'inception-v3.onnx');
      await frame.locator('.tab[data-tab=graph]').click();
      const canvas = frame.locator('.graph-stage canvas');
      await canvas.waitFor({ state: 'visible', timeout: 20000 });
      await scrollToTop(page, frame, '.tabs');
      await frame.locator('vscode-button[data-action=fit]').click();
      type GraphCanvas = {
        drawnNodes(): number;
        placedNodes(): number;
        screenOf(id: string): { x: number; y: number } | undefined;
      };
      const stats = await waitFor(
        'the fitted graph',
        async () => {
          const s = await canvas.evaluate((c) => {
            const g = c as unknown as GraphCanvas;
            return { drawn: g.drawnNodes(), placed: g.placedNodes() };
          });
          return s.drawn > 0 ? s : undefined;
        },
        20000,
      );
      // Inception-v3 as exported: 5 convolution stem layers and 11 Mixed blocks, well over 300 nodes
      if (stats.placed < 300 || stats.drawn !== stats.placed)
        throw new Error(`placed ${stats.placed}, drawn ${stats.drawn}`);
      await page.screenshot({ path: path.join(SHOTS, 'graph-inception.png') });
      // search by name: the node is selected and its inspector opens
      await frame.locator('vscode-textfield.graph-search').click();
      await page.keyboard.type('Mixed_6b/branch7x7_2/conv/Conv');
      await page.keyboard.press('Enter');
      await waitFor(
        'the inspector of the node found',
        async () =>
          ((await frame.locator('.inspector h3').textContent()) ?? '').includes('branch7x7_2')
            ? true
            : undefined,
        10000,
      );
      // a click on another node inspects it
      await frame.locator('vscode-button[data-action=fit]').click();
      await page.waitForTimeout(300);
      const other = '/Conv2d_4a_3x3/conv/Conv';
      const at = await canvas.evaluate(
        (c, id) => (c as unknown as GraphCanvas).screenOf(id),
        other,
      );
      const box = await canvas.boundingBox();
      if (!at || !box) throw new Error(`${other} is not on the plane`);
      await page.mouse.click(box.x + at.x, box.y + at.y);
      await waitFor(
        'the inspector of the node clicked',
        async () =>
          ((await frame.locator('.inspector h3').textContent()) ?? '').includes('Conv2d_4a_3x3')
            ? true
            : undefined,
        10000,
      );
      // F on the canvas zooms to the selected node: names and the edges around it readable
      await canvas.focus();
      await page.keyboard.press('f');
      await page.mouse.move(box.x + box.width + 20, box.y - 60); // no tooltip over the picture
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(SHOTS, 'graph-inception-inspector.png') });
      // the timeline: labelled slices, a layer track; Shift+drag sums a range
      await frame.locator('.tab[data-tab=timeline]').click();
      const tl = frame.locator('.timeline canvas');
      await tl.waitFor({ state: 'visible', timeout: 10000 });
      await scrollToTop(page, frame, '.tabs');
      // zoomed in around the middle (W, as in Perfetto): the slices are wide enough for names
      await tl.focus();
      for (let i = 0; i < 14; i++) await page.keyboard.press('w');
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(SHOTS, 'timeline-labels.png') });
      const tbox = await tl.boundingBox();
      if (!tbox) throw new Error('no timeline canvas box');
      await page.keyboard.down('Shift');
      await page.mouse.move(tbox.x + tbox.width * 0.3, tbox.y + 60);
      await page.mouse.down();
      await page.mouse.move(tbox.x + tbox.width * 0.55, tbox.y + 60, { steps: 8 });
      await page.mouse.up();
      await page.keyboard.up('Shift');
      const summary = frame.locator('.range-summary');
      await waitFor(
        'the range summary',
        async () => ((await summary.locator('table').count()) > 0 ? true : undefined),
        10000,
      );
      await scrollToTop(page, frame, '.range-summary');
      await page.screenshot({ path: path.join(SHOTS, 'timeline-range.png') });
    },
  );

  await check(
    'the walkthrough: its steps, "Open Sample Model" from the installed VSIX ticks the first, "Why isn\'t it faster?" opens on its tab',
    async () => {
      const openWalkthrough = async () => {
        await runCommand(page, 'Welcome: Open Walkthrough');
        await page.waitForTimeout(700);
        await page.keyboard.type('Block Sparse');
        await page.waitForTimeout(700);
        await page.keyboard.press('Enter');
      };
      await openWalkthrough();
      const steps = page.locator('[data-done-step-id*="blockSparse.gettingStarted"]');
      await waitFor(
        'the walkthrough steps',
        async () => ((await steps.count()) === 5 ? true : undefined),
        30000,
      );
      const ids = await steps.evaluateAll((els) =>
        els.map((e) => e.getAttribute('data-done-step-id')?.split('#').pop()),
      );
      if (ids.join() !== 'openSample,chooseArray,whyNotFaster,sparsify,accuracy')
        throw new Error(`steps ${ids.join()}`);
      // this session opened models and ran Sparsify already: the sample's step by its button
      // (a step shows its buttons once selected)
      await page
        .locator('.getting-started-step', { hasText: 'Open the sample model' })
        .first()
        .click();
      await page.waitForTimeout(500);
      await page
        .locator('.getting-started-step a.monaco-button', { hasText: 'Open Sample Model' })
        .first()
        .click();
      const frame = await modelViewFrame(page);
      await waitFor(
        'the sample in the model view',
        async () => ((await frame.locator('tbody tr[data-layer]').count()) > 40 ? true : undefined),
        30000,
      );
      await runCommand(page, "Block Sparse: Show Why Isn't It Faster?");
      await waitFor(
        'the Why tab of the sample',
        async () =>
          (await frame.locator('button.tab[data-tab=why][aria-selected=true]').count()) === 1
            ? true
            : undefined,
        30000,
      );
      // the sample took the walkthrough's place: opened again, its first step is ticked
      await openWalkthrough();
      await waitFor(
        'the first step ticked',
        async () =>
          (await steps
            .first()
            .getAttribute('aria-checked', { timeout: 2000 })
            .catch(() => null)) === 'true'
            ? true
            : undefined,
        30000,
      );
      await page.screenshot({ path: path.join(SHOTS, 'walkthrough.png') });
    },
  );
}

/**
 * Scrolls a webview page until `selector` is at the top of the view (the model summary takes
 * half the window): the page's own scroll, else the wheel over the element, as a user would.
 */
async function scrollToTop(page: Page, frame: Frame, selector: string): Promise<void> {
  const target = frame.locator(selector).first();
  const top = () => target.evaluate((e) => e.getBoundingClientRect().top);
  await target.evaluate((e) => {
    const w = e.ownerDocument.defaultView;
    w?.scrollTo(0, e.getBoundingClientRect().top + w.scrollY);
  });
  for (let i = 0; i < 10 && (await top()) > 40; i++) {
    const box = await target.boundingBox();
    if (!box) break;
    await page.mouse.move(box.x + 4, box.y + 4);
    await page.mouse.wheel(0, Math.min(400, await top()));
    await page.waitForTimeout(100);
  }
}

/** One code-server session: trusted (every suite) or Restricted Mode (what may and may not run). */
interface Session {
  readonly name: string;
  readonly restricted: boolean;
  readonly checks: typeof browserChecks;
}

async function runSession(session: Session): Promise<Result[]> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bss-integration-'));
  const workspace = path.join(tmp, 'workspace');
  const extensions = path.join(tmp, 'extensions');
  const resultsFile = path.join(tmp, 'host-results.json');
  fs.mkdirSync(workspace);
  writeWorkspace(workspace, session.restricted);
  await installExtensions(extensions);
  // no built-in extension may try to phone home: there is no network here, and an extension
  // host's unhandled DNS error would land in whatever test runs at that moment
  const userSettings = path.join(tmp, 'user-data', 'User');
  fs.mkdirSync(userSettings, { recursive: true });
  fs.writeFileSync(
    path.join(userSettings, 'settings.json'),
    JSON.stringify(sessionSettings(session.restricted)),
  );
  const port = await freePort();
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  const results: Result[] = [];
  try {
    server = spawn(
      CODE_SERVER_BIN,
      codeServerArgs({
        port,
        extensionsDir: extensions,
        userDataDir: path.join(tmp, 'user-data'),
        folder: workspace,
        restricted: session.restricted,
      }),
      {
        detached: true,
        stdio: [
          'ignore',
          fs.openSync(path.join(tmp, 'code-server.log'), 'w'),
          fs.openSync(path.join(tmp, 'code-server.err'), 'w'),
        ],
        env: {
          ...process.env,
          BSS_INTEGRATION_RESULTS: resultsFile,
          BSS_MOCHA: require.resolve('mocha'),
          BSS_SUITES: session.restricted ? 'restricted' : 'all',
        },
      },
    );
    await waitFor(
      'code-server to listen',
      () =>
        new Promise<boolean | undefined>((resolve) => {
          const s = net.connect(port, '127.0.0.1', () => (s.end(), resolve(true)));
          s.on('error', () => resolve(undefined));
        }),
      60000,
    );
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`;
    // the extension host starts when the workbench connects; its suites then run on their own
    await session.checks(page, url, workspace, resultsFile, results);
    const host = await waitFor(
      'the extension-host suites',
      () =>
        fs.existsSync(resultsFile)
          ? (JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as Result[])
          : undefined,
      120000,
    );
    results.unshift(...host.map((r) => ({ ...r, title: `extension host: ${r.title}` })));
    results.push(extensionLogCheck(path.join(tmp, 'user-data')));
    const activation = path.join(workspace, '.activation-ms');
    if (fs.existsSync(activation))
      console.log(
        `extension activation: ${Number(fs.readFileSync(activation, 'utf8')).toFixed(1)} ms (target <= 50 ms)`,
      );
  } catch (e) {
    results.push({
      title: 'integration harness',
      ok: false,
      error: (e as Error).stack ?? String(e),
    });
    const log = path.join(tmp, 'code-server.err');
    if (fs.existsSync(log)) console.error(fs.readFileSync(log, 'utf8').slice(-2000));
  } finally {
    await browser?.close().catch(() => undefined);
    if (server?.pid) await stopGroup(server.pid);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return results.map((r) => ({ ...r, title: `${session.name}: ${r.title}` }));
}

/**
 * Ends a code-server and everything it started (extension host, workers), and waits until they
 * are gone: the next session must not start while the last one's workers still run (its host
 * suites then timed out opening an editor).
 */
async function stopGroup(pid: number): Promise<void> {
  const alive = () => {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-pid, s);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  for (let i = 0; i < 50 && alive(); i++) await new Promise((r) => setTimeout(r, 200));
  if (alive()) signal('SIGKILL');
  for (let i = 0; i < 25 && alive(); i++) await new Promise((r) => setTimeout(r, 200));
}

/** Every file under a folder. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)],
    );
}

/**
 * No error from the extension in the extension host's log over the whole session ("Webview is
 * disposed" after a view closed was one).
 */
function extensionLogCheck(userData: string): Result {
  const title = 'the extension host log has no error from the extension';
  const logs = filesUnder(path.join(userData, 'logs')).filter(
    (f) => /exthost/i.test(f) && f.endsWith('.log'),
  );
  if (logs.length === 0)
    return { title, ok: false, error: `no extension host log under ${userData}/logs` };
  const bad = logs.flatMap((f) =>
    fs
      .readFileSync(f, 'utf8')
      .split('\n')
      .filter(
        (l) =>
          /\[error\]/i.test(l) &&
          (/block-sparse|blockSparse|Webview is disposed/.test(l) || /dist\/extension\.js/.test(l)),
      ),
  );
  return bad.length === 0
    ? { title, ok: true }
    : { title, ok: false, error: bad.slice(0, 5).join('\n') };
}

async function main(): Promise<number> {
  ensureIntegrationTools();
  fs.mkdirSync(SHOTS, { recursive: true });
  // BSS_SESSION=trusted or =restricted runs one session (while working on it); both by default
  const only = process.env.BSS_SESSION;
  const results = [
    ...(only === 'restricted'
      ? []
      : await runSession({ name: 'trusted', restricted: false, checks: browserChecks })),
    ...(only === 'trusted'
      ? []
      : await runSession({ name: 'Restricted Mode', restricted: true, checks: restrictedChecks })),
  ];
  for (const r of results)
    console.log(
      `${r.ok ? '  ✔' : '  ✖'} ${r.title}${r.ok ? '' : `\n      ${r.error?.split('\n').join('\n      ')}`}`,
    );
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log(`\n${passed} passed, ${failed} failed`);
  if (process.env.BSS_SUMMARY)
    fs.writeFileSync(process.env.BSS_SUMMARY, JSON.stringify({ passed, failed }));
  return failed === 0 && passed > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
