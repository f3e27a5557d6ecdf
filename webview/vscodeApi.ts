import type { WebviewMessage } from '../src/shared/protocol';
import type { ViewOptions } from './viewStore';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): Partial<ViewOptions> | undefined;
  setState(state: ViewOptions): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;

/** The only caller of acquireVsCodeApi (it may be called once per page). */
export function vscodeApi(): VsCodeApi {
  api ??= acquireVsCodeApi();
  return api;
}
