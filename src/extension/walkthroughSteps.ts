import * as vscode from 'vscode';

/**
 * What the walkthrough's steps wait for besides their own commands: context keys set on the real
 * events (a model view opened, a Sparsify written, an evaluation or a kit done).
 */
export const STEP_EVENTS = {
  modelOpened: 'blockSparse.walkthrough.modelOpened',
  arrayChosen: 'blockSparse.walkthrough.arrayChosen',
  sparsified: 'blockSparse.walkthrough.sparsified',
  evaluated: 'blockSparse.walkthrough.evaluated',
} as const;

/** Marks a step's event as happened (the walkthrough ticks the step). */
export function stepDone(key: keyof typeof STEP_EVENTS): void {
  void vscode.commands.executeCommand('setContext', STEP_EVENTS[key], true);
}

/** Runs a command and marks `key` when it produced something (not cancelled, not failed). */
export function markingStep<A extends unknown[], R>(
  key: keyof typeof STEP_EVENTS,
  command: (...args: A) => Promise<R | undefined>,
): (...args: A) => Promise<R | undefined> {
  return async (...args) => {
    const r = await command(...args);
    if (r !== undefined) stepDone(key);
    return r;
  };
}
