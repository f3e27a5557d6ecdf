/**
 * Browser checks of the Restricted Mode session: what the user sees in an untrusted folder.
 * View yes (the model view lists the layers), write no (Sparsify and exports refuse, with a
 * message that says why and what still works), and no Sparsify entry in the menus.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import {
  checker,
  modelViewFrame,
  openModelView,
  openWorkbench,
  runCommand,
  SHOTS,
  waitFor,
  type Result,
} from './harnessSupport';

const toast = (page: Page, text: string) =>
  waitFor(
    `a notification saying '${text}'`,
    async () => (await page.locator('.notifications-toasts', { hasText: text }).count()) > 0,
    30000,
  );

export async function restrictedChecks(
  page: Page,
  url: string,
  workspace: string,
  hostResults: string,
  results: Result[],
): Promise<void> {
  const check = checker(page, results);
  await openWorkbench(page, url, hostResults);

  await check('the window is in Restricted Mode', async () => {
    await page
      .locator('.statusbar-item', { hasText: 'Restricted Mode' })
      .first()
      .waitFor({ state: 'visible', timeout: 30000 });
  });

  await check('view: the model view lists every layer', async () => {
    const frame = await openModelView(page, 'mini.onnx');
    const rows = await frame.locator('tbody tr[data-layer]').count();
    if (rows !== 7) throw new Error(`expected 7 layer rows, found ${rows}`);
  });

  await check(
    'write: Export refuses with a message and offers Manage Workspace Trust',
    async () => {
      const frame = await modelViewFrame(page);
      await frame.locator('vscode-button', { hasText: 'Export CSV' }).click();
      await toast(page, 'Exporting the report writes files, which needs a trusted workspace');
      await toast(page, 'Manage Workspace Trust');
      const dialogs = await page.locator('.quick-input-widget:visible').count();
      if (dialogs !== 0) throw new Error('a save dialog opened');
      await page.screenshot({ path: path.join(SHOTS, 'restricted-export.png') });
    },
  );

  await check('write: Sparsify from the command palette says it needs trust', async () => {
    await runCommand(page, 'Block Sparse: Sparsify');
    await toast(page, 'Sparsify writes a new model file, which needs a trusted workspace');
    if (fs.readdirSync(workspace).some((f) => /\.bs\d+\.onnx$/.test(f)))
      throw new Error('a sparse model was written');
    await page.screenshot({ path: path.join(SHOTS, 'restricted-sparsify.png') });
  });

  await check('the explorer menu offers Analyze Model but no Sparsify…', async () => {
    // Ctrl+Shift+E shows the explorer (clicking its activity bar icon would toggle it away)
    await page.keyboard.press('Control+Shift+E');
    const row = page
      .locator('.explorer-folders-view .monaco-list-row', { hasText: 'mini.onnx' })
      .first();
    await row.click({ button: 'right' });
    await page
      .locator('.monaco-menu .action-label', { hasText: 'Analyze Model' })
      .first()
      .waitFor({ state: 'visible', timeout: 15000 });
    const sparsify = await page
      .locator('.monaco-menu .action-label', { hasText: 'Sparsify' })
      .count();
    await page.keyboard.press('Escape');
    if (sparsify !== 0) throw new Error('Sparsify… is in the menu');
  });
}
