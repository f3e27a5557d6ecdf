/** Display formats for the webview (it depends on shared only; shared re-exports core's units). */
export { formatBytes, formatCount, formatInteger, formatPercent, formatShare } from '../core/units';
export { formatDeltaMicros, formatMicros, middleEllipsis } from '../core/units';
export { weightBytesAt } from '../core/report/weightBytes';
