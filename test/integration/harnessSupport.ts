/** What the integration harness and its browser checks share. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';

export const SHOTS = path.resolve(__dirname, '..', '..', 'test-results', 'integration');

export interface Result {
  title: string;
  ok: boolean;
  error?: string;
}

/** Polls `probe` until it returns something other than undefined or false. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  ms: number,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > end) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Runs a named check, records its result and screenshots a failure. */
export function checker(page: Page, results: Result[]) {
  return async (title: string, fn: () => Promise<void>) => {
    try {
      await fn();
      results.push({ title: `browser: ${title}`, ok: true });
    } catch (e) {
      results.push({ title: `browser: ${title}`, ok: false, error: (e as Error).message });
      await page
        .screenshot({ path: path.join(SHOTS, `failed-${results.length}.png`) })
        .catch(() => undefined);
    }
  };
}

/**
 * The visible webview frame that shows `selector`: by default the model view once it shows a
 * layer table (Compare Models: its diff table).
 */
export async function modelViewFrame(
  page: Page,
  selector = 'table.layers tbody tr[data-layer]',
  what = 'the model view frame',
) {
  return waitFor(
    what,
    async () => {
      for (const f of page.frames())
        if (
          (await f
            .locator(selector)
            .count()
            .catch(() => 0)) > 0 &&
          (await frameVisible(f))
        )
          return f;
      return undefined;
    },
    60000,
  );
}

/** A webview frame is on screen when every iframe around it is (hidden views keep their pages). */
export async function frameVisible(f: Frame): Promise<boolean> {
  for (let x: Frame | null = f; x?.parentFrame(); x = x.parentFrame()) {
    const el = await x.frameElement().catch(() => null);
    if (!el || !(await el.isVisible().catch(() => false))) return false;
  }
  return true;
}

/**
 * Opens the workbench, waits for the extension-host suites (they change settings and open
 * editors) to finish, then closes every editor they left open.
 */
export async function openWorkbench(page: Page, url: string, hostResults: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('.monaco-workbench', { timeout: 90000 });
  await waitFor('the extension-host suites', () => fs.existsSync(hostResults), 180000);
  await page.keyboard.press('Control+K');
  await page.keyboard.press('W');
  await page.waitForTimeout(500);
}

/** Opens a workspace file with Quick Open (it opens in the model view) and returns its frame. */
export async function openModelView(page: Page, file: string) {
  await page.keyboard.press('Control+P');
  await page.waitForTimeout(700);
  await page.keyboard.type(file);
  await page.waitForTimeout(700);
  await page.keyboard.press('Enter');
  return modelViewFrame(page);
}

/** Runs a command from the command palette by its title, as a user would. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  await page.waitForTimeout(500);
  await page.keyboard.type(title);
  await page.waitForTimeout(700);
  await page.keyboard.press('Enter');
}
