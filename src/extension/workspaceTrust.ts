import * as vscode from 'vscode';

/** The message for anything that would write a file while the workspace is in Restricted Mode. */
export function restrictedWriteMessage(what: string): string {
  return `${what} writes files, which needs a trusted workspace. Viewing and analysing models works in Restricted Mode.`;
}

/**
 * In Restricted Mode, says why a write is refused and offers the way out; returns true when the
 * caller must stop. Writes are refused even to a location the user picks: a model opened from
 * an untrusted folder should not be able to start anything that changes the disk.
 */
export function refuseWriteIfRestricted(what: string): boolean {
  if (vscode.workspace.isTrusted) return false;
  void vscode.window
    .showWarningMessage(restrictedWriteMessage(what), 'Manage Workspace Trust')
    .then((pick) => pick && vscode.commands.executeCommand('workbench.trust.manage'));
  return true;
}
