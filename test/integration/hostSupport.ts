/** What the extension-host suites share. */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';

/** The folder the session opened. */
export function workspace(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return folder.uri.fsPath;
}

/** Polls `probe` every 200 ms until it returns something. */
export async function waitFor<T>(what: string, probe: () => T | undefined, ms = 30000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
