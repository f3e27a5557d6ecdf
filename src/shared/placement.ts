/** Where a layer runs, as every view words it (the webview reads core through src/shared). */
export { layerOnCpu } from '../core/report/layerEstimateLabel';
