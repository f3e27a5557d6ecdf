import type { WebviewMessage } from '../src/shared/protocol';

import type { SortState } from './layerRows';
import type { Tab } from './renderReport';

/** The persisted UI state of the model view. */
export interface ViewState {
  readonly block: string;
  readonly arch: string;
  readonly sort: SortState;
  readonly filter: string;
  readonly selected?: string;
  readonly tab?: Tab;
}

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): ViewState | undefined;
  setState(state: ViewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;

/** The only caller of acquireVsCodeApi (it may be called once per page). */
export function vscodeApi(): VsCodeApi {
  api ??= acquireVsCodeApi();
  return api;
}
