/** What the extension-host suites share. */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';

/** The folder the session opened. */
export function workspace(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return folder.uri.fsPath;
}

/**
 * Retries `fn` every 200 ms until it returns something `ok` accepts (providers and workers take
 * a moment after a command).
 */
export async function eventually<T>(
  what: string,
  fn: () => Thenable<T | undefined> | T | undefined,
  ok: (v: T) => boolean,
  ms = 30000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined && ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Polls `probe` until it returns something. */
export function waitFor<T>(what: string, probe: () => T | undefined, ms = 30000): Promise<T> {
  return eventually(what, probe, () => true, ms);
}
