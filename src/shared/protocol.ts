/**
 * The one message protocol between the extension host and the model webview. Each direction
 * is a discriminated union; the host validates every incoming message with isWebviewMessage.
 */
import type { AnalysisReport } from '../core/report/analysisReport';

export type { AnalysisReport, LayerReport } from '../core/report/analysisReport';

/** Host → webview. */
export type HostMessage =
  | { readonly type: 'analysis'; readonly file: string; readonly report: AnalysisReport }
  | { readonly type: 'progress'; readonly done: number; readonly total: number }
  | {
      readonly type: 'error';
      readonly file: string;
      readonly code: string;
      readonly message: string;
    };

/** Webview → host. */
export type WebviewMessage =
  { readonly type: 'ready' } | { readonly type: 'reanalyze'; readonly block: string };

/** Validates a message from the webview (an input boundary: never trust its shape). */
export function isWebviewMessage(m: unknown): m is WebviewMessage {
  if (typeof m !== 'object' || m === null) return false;
  const msg = m as Record<string, unknown>;
  switch (msg.type) {
    case 'ready':
      return Object.keys(msg).length === 1;
    case 'reanalyze':
      return typeof msg.block === 'string' && /^\d{1,4}x\d{1,4}$/.test(msg.block);
    default:
      return false;
  }
}
