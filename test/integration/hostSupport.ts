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

/**
 * The custom-editor tab of a file in any editor group (the active tab can be another editor
 * that opened at startup, e.g. a welcome page, without the file having opened elsewhere).
 */
export function customEditorTab(uri: vscode.Uri): vscode.Tab | undefined {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .find((t) => t.input instanceof vscode.TabInputCustom && t.input.uri.fsPath === uri.fsPath);
}
