/**
 * Loads the real webview bundle (dist/webview.js) in headless Chromium with a stand-in for
 * VS Code's acquireVsCodeApi and the --vscode-* theme variables of a light or dark theme.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { withPlainArrays } from '../../src/core/report/reportExports';
import { modelViewPage } from '../../src/extension/modelViewPage';
import type { ModelViewReport } from '../../src/shared/protocol';
import { launchChromium } from '../support/chromium';

const ROOT = path.resolve(__dirname, '..', '..');

/** The chart colours of VS Code's dark themes (Dark Modern and Dark High Contrast alike). */
const DARK_CHARTS = {
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-purple': '#b180d7',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-charts-yellow': '#cca700',
} as const;

const THEMES = {
  light: {
    '--vscode-foreground': '#3b3b3b',
    '--vscode-editor-background': '#ffffff',
    '--vscode-descriptionForeground': '#717171',
    '--vscode-panel-border': '#e5e5e5',
    '--vscode-charts-blue': '#1a85ff',
    '--vscode-charts-green': '#388a34',
    '--vscode-charts-orange': '#d18616',
    '--vscode-charts-purple': '#652d90',
    '--vscode-charts-red': '#e51400',
    '--vscode-charts-yellow': '#bf8803',
    '--vscode-list-hoverBackground': '#f2f2f2',
    '--vscode-list-activeSelectionBackground': '#e4e6f1',
    '--vscode-list-activeSelectionForeground': '#000000',
    '--vscode-editorWidget-background': '#f8f8f8',
    '--vscode-focusBorder': '#005fb8',
    '--vscode-font-family': 'sans-serif',
    '--vscode-font-size': '13px',
    // what VS Code's Light Modern theme gives the @vscode-elements controls
    '--vscode-dropdown-background': '#ffffff',
    '--vscode-dropdown-foreground': '#3b3b3b',
    '--vscode-dropdown-border': '#cecece',
    '--vscode-dropdown-listBackground': '#ffffff',
    '--vscode-input-background': '#ffffff',
    '--vscode-input-foreground': '#3b3b3b',
    '--vscode-input-border': '#cecece',
    '--vscode-input-placeholderForeground': '#767676',
    '--vscode-button-background': '#005fb8',
    '--vscode-button-foreground': '#ffffff',
    '--vscode-button-secondaryBackground': '#e5e5e5',
    '--vscode-button-secondaryForeground': '#3b3b3b',
    '--vscode-button-border': '#0000001a',
    '--vscode-settings-dropdownBorder': '#cecece',
    '--vscode-settings-dropdownBackground': '#ffffff',
    '--vscode-settings-dropdownForeground': '#3b3b3b',
    '--vscode-settings-dropdownListBorder': '#c8c8c8',
    '--vscode-settings-textInputBackground': '#ffffff',
    '--vscode-settings-textInputBorder': '#cecece',
    '--vscode-settings-textInputForeground': '#3b3b3b',
  },
  dark: {
    '--vscode-foreground': '#cccccc',
    '--vscode-editor-background': '#1f1f1f',
    '--vscode-descriptionForeground': '#9d9d9d',
    '--vscode-panel-border': '#2b2b2b',
    ...DARK_CHARTS,
    '--vscode-list-hoverBackground': '#2a2d2e',
    '--vscode-list-activeSelectionBackground': '#04395e',
    '--vscode-list-activeSelectionForeground': '#ffffff',
    '--vscode-editorWidget-background': '#202020',
    '--vscode-focusBorder': '#0078d4',
    '--vscode-font-family': 'sans-serif',
    '--vscode-font-size': '13px',
    // Dark Modern's values for the @vscode-elements controls
    '--vscode-dropdown-background': '#313131',
    '--vscode-dropdown-foreground': '#cccccc',
    '--vscode-dropdown-border': '#3c3c3c',
    '--vscode-dropdown-listBackground': '#1f1f1f',
    '--vscode-input-background': '#313131',
    '--vscode-input-foreground': '#cccccc',
    '--vscode-input-border': '#3c3c3c',
    '--vscode-input-placeholderForeground': '#989898',
    '--vscode-button-background': '#0078d4',
    '--vscode-button-foreground': '#ffffff',
    '--vscode-button-secondaryBackground': '#313131',
    '--vscode-button-secondaryForeground': '#cccccc',
    '--vscode-button-border': '#ffffff12',
    '--vscode-settings-dropdownBorder': '#3c3c3c',
    '--vscode-settings-dropdownBackground': '#313131',
    '--vscode-settings-dropdownForeground': '#cccccc',
    '--vscode-settings-dropdownListBorder': '#454545',
    '--vscode-settings-textInputBackground': '#313131',
    '--vscode-settings-textInputBorder': '#3c3c3c',
    '--vscode-settings-textInputForeground': '#cccccc',
  },
  // VS Code's Dark High Contrast: black, white text, borders instead of fills (no selection or
  // hover background at all: what the view marks must be outlined)
  'high-contrast': {
    '--vscode-foreground': '#ffffff',
    '--vscode-editor-background': '#000000',
    '--vscode-descriptionForeground': '#ffffffb3',
    '--vscode-panel-border': '#6fc3df',
    '--vscode-contrastBorder': '#6fc3df',
    '--vscode-contrastActiveBorder': '#f38518',
    ...DARK_CHARTS,
    '--vscode-editorWidget-background': '#0c141f',
    '--vscode-editorWidget-border': '#6fc3df',
    '--vscode-focusBorder': '#f38518',
    '--vscode-textLink-foreground': '#21a6ff',
    '--vscode-font-family': 'sans-serif',
    '--vscode-font-size': '13px',
    '--vscode-dropdown-background': '#000000',
    '--vscode-dropdown-foreground': '#ffffff',
    '--vscode-dropdown-border': '#6fc3df',
    '--vscode-dropdown-listBackground': '#000000',
    '--vscode-input-background': '#000000',
    '--vscode-input-foreground': '#ffffff',
    '--vscode-input-border': '#6fc3df',
    '--vscode-input-placeholderForeground': '#ffffffb3',
    '--vscode-button-background': '#000000',
    '--vscode-button-foreground': '#ffffff',
    '--vscode-button-secondaryForeground': '#ffffff',
    '--vscode-button-border': '#6fc3df',
    '--vscode-settings-dropdownBorder': '#6fc3df',
    '--vscode-settings-dropdownBackground': '#000000',
    '--vscode-settings-dropdownForeground': '#ffffff',
    '--vscode-settings-dropdownListBorder': '#6fc3df',
    '--vscode-settings-textInputBackground': '#000000',
    '--vscode-settings-textInputBorder': '#6fc3df',
    '--vscode-settings-textInputForeground': '#ffffff',
  },
} as const;

export type Theme = keyof typeof THEMES;

/** The browser the webview tests and benchmarks drive. */
export const launch = launchChromium;

/** A page running the webview; `posted()` returns what the webview sent to the "host". */
export async function openWebview(
  browser: Browser,
  theme: Theme,
  view: 'model' | 'diff' = 'model',
): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1300, height: 850 } });
  const vars = Object.entries(THEMES[theme])
    .map(([k, v]) => `${k}: ${v};`)
    .join(' ');
  const css = fs.readFileSync(path.join(ROOT, 'media', 'modelView.css'), 'utf8');
  await page.setContent(`<!DOCTYPE html><html><head><style>body { ${vars} } ${css}</style></head>
    <body><main id="app" data-view="${view}"><p class="status">Analysing…</p></main></body></html>`);
  // a string, not a function: tsx's keepNames would wrap inner functions in an undefined __name()
  await page.evaluate(`
    window.posted = [];
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => window.posted.push(m),
      getState: () => window.state,
      setState: (s) => (window.state = s),
    });
  `);
  await page.addScriptTag({ path: path.join(ROOT, 'dist', 'webview.js') });
  return page;
}

/** Typed arrays do not cross page.evaluate: block masks travel as plain arrays. */
function plain(report: ModelViewReport): unknown {
  return { ...report, analysis: withPlainArrays(report.analysis) };
}

/** The 'report' message the host would post for a report (typed arrays as plain ones). */
export function reportMessage(report: ModelViewReport, file = 'model.onnx', arch = 'paper-4x4') {
  return {
    type: 'report',
    file,
    report: plain(report),
    archs: ['paper-2x2', 'paper-4x4', 'paper-8x8'],
    arch,
    precision: report.simulation?.precision ?? 'int8',
    timeModel: report.simulation?.model.kind ?? 'paper',
    inputShapes: [],
  };
}

/** Posts a report as the host would; resolves after the next frame has painted. */
export async function postReport(
  page: Page,
  report: ModelViewReport,
  file = 'model.onnx',
  arch = 'paper-4x4',
): Promise<number> {
  const message = reportMessage(report, file, arch);
  // first the message object is built in the page (not timed: VS Code hands the webview an object)
  await page.evaluate(`window.pendingMessage = ${JSON.stringify(message)}`);
  // then message → render → layout → paint: two frames later the first paint is on screen
  return page.evaluate(`new Promise((resolve) => {
    const t0 = performance.now();
    window.postMessage(window.pendingMessage, '*');
    requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
  })`);
}

/** Posts two reports as the Compare Models host would (b compared with a, on paper-4x4). */
export async function postDiff(
  page: Page,
  a: ModelViewReport,
  b: ModelViewReport,
  files = ['a.onnx', 'b.onnx'],
): Promise<void> {
  const message = {
    type: 'diff',
    a: { file: files[0], report: plain(a) },
    b: { file: files[1], report: plain(b) },
    arch: 'paper-4x4',
    precision: b.simulation?.precision ?? 'int8',
    timeModel: b.simulation?.model.kind ?? 'paper',
  };
  await page.evaluate(`window.postMessage(${JSON.stringify(message)}, '*')`);
  await page.waitForSelector('table.diff-table');
}

const ORIGIN = 'https://webview.test';

/**
 * A page running the webview as VS Code serves it: the production HTML (modelViewPage) with its
 * Content Security Policy, resources from one origin standing in for the webview's cspSource.
 * CSP violations are recorded in window.violations; `posted` as in openWebview.
 */
export async function openSecureWebview(
  browser: Browser,
  view: 'model' | 'diff' = 'model',
): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1300, height: 850 } });
  const html = modelViewPage(
    {
      cspSource: ORIGIN,
      scriptUri: `${ORIGIN}/dist/webview.js`,
      styleUri: `${ORIGIN}/media/modelView.css`,
    },
    undefined,
    view,
  );
  await page.route(`${ORIGIN}/**`, (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/index.html') {
      return route.fulfill({ body: html, contentType: 'text/html' });
    }
    const file = path.join(ROOT, url.pathname);
    if (!file.startsWith(ROOT + path.sep) || !fs.existsSync(file))
      return route.fulfill({ status: 404 });
    const type = file.endsWith('.js') ? 'text/javascript' : 'text/css';
    return route.fulfill({ body: fs.readFileSync(file), contentType: type });
  });
  // anything else the page might try to reach is an error, not a network request
  await page.route(/^(?!https:\/\/webview\.test\/)/, (route) => route.abort());
  // init scripts run before the page's own and are not subject to its CSP (VS Code injects
  // acquireVsCodeApi the same way, from outside the page)
  await page.addInitScript(`
    window.posted = [];
    window.violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.violations.push(e.violatedDirective + ' ' + e.blockedURI));
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => window.posted.push(m),
      getState: () => window.state,
      setState: (s) => (window.state = s),
    });
  `);
  await page.goto(`${ORIGIN}/index.html`);
  await page.waitForFunction('window.posted.length > 0');
  return page;
}
