// VS Code's webview controls (select, text field, button) as web components
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { isHostMessage, type InputShape, type ModelViewReport } from '../src/shared/protocol';
import { filterRows, layerRows } from './layerRows';
import { renderError, renderReport, type ViewOptions } from './renderReport';
import { vscodeApi } from './vscodeApi';

const api = vscodeApi();
const root = document.getElementById('app') as HTMLElement;
let options: ViewOptions = {
  block: '8x8',
  arch: '',
  sort: { key: 'index', descending: false },
  filter: '',
  ...api.getState(),
};
let current:
  | {
      file: string;
      report: ModelViewReport;
      archs: readonly string[];
      inputShapes: readonly InputShape[];
      partial: boolean;
    }
  | undefined;

function save(next: Partial<ViewOptions>) {
  options = { ...options, ...next };
  api.setState(options);
}

/** The precision and model the view shows, once the host has told it (else the settings apply). */
const chosenPrecision = () => ({
  ...(options.precision ? { precision: options.precision } : {}),
  ...(options.timeModel ? { timeModel: options.timeModel } : {}),
});

function render() {
  if (!current) return;
  renderReport(
    root,
    current.file,
    current.report,
    current.archs,
    options,
    {
      setInputShapes: (shapes) => api.postMessage({ type: 'setInputShapes', shapes }),
      remember: (state) => save(state),
      setBlock: (block) => {
        save({ block });
        api.postMessage({ type: 'reanalyze', block, arch: options.arch, ...chosenPrecision() });
      },
      setArch: (arch) => {
        save({ arch });
        api.postMessage({ type: 'reanalyze', block: options.block, arch, ...chosenPrecision() });
      },
      setPrecision: (precision) => {
        save({ precision });
        api.postMessage({
          type: 'reanalyze',
          block: options.block,
          arch: options.arch,
          ...chosenPrecision(),
        });
      },
      setTimeModel: (timeModel) => {
        save({ timeModel });
        api.postMessage({
          type: 'reanalyze',
          block: options.block,
          arch: options.arch,
          ...chosenPrecision(),
        });
      },
      setSort: (sort) => {
        save({ sort });
        render();
      },
      setFilter: (filter) => {
        save({ filter });
        render();
      },
      goToSource: (layer) => api.postMessage({ type: 'goToSource', layer }),
      select: (layer, fromView, inPlace) => {
        save({ selected: layer });
        if (!inPlace) render();
        if (fromView) api.postMessage({ type: 'selected', layer });
      },
      exportAs: (format) => api.postMessage({ type: 'export', format }),
      setTab: (tab) => {
        save({ tab });
        render();
      },
    },
    { inputShapes: current.inputShapes, partial: current.partial },
  );
}

/** Highlights a layer (table row, heat-map, timeline) and brings it into view. */
function select(layer: string) {
  if (current && !current.report.analysis.layers.some((l) => l.name === layer)) return;
  const hidden =
    current !== undefined &&
    !filterRows(layerRows(current.report), options.filter).some((r) => r.layer.name === layer);
  const tab = options.tab === 'sparsity' || options.tab === 'timeline' ? options.tab : 'layers';
  save({ selected: layer, filter: hidden ? '' : options.filter, tab });
  render();
  // the table renders only the rows in view: scroll to the selected one first
  root
    .querySelector<HTMLElement & { revealSelected?: () => void }>('.table-scroll')
    ?.revealSelected?.();
  [...root.querySelectorAll<HTMLTableRowElement>('tbody tr[data-layer]')]
    .find((r) => r.dataset.layer === layer)
    ?.focus();
}

// a theme change (VS Code sets the body's class) redraws: canvases read theme colours when drawn
new MutationObserver(() => render()).observe(document.body, {
  attributes: true,
  attributeFilter: ['class'],
});

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const m = event.data;
  if (!isHostMessage(m)) return; // malformed or not from the host: dropped
  if (m.type === 'report') {
    current = {
      file: m.file,
      report: m.report,
      archs: m.archs,
      inputShapes: m.inputShapes,
      partial: m.partial === true,
    };
    save({ arch: m.arch, precision: m.precision, timeModel: m.timeModel });
    render();
  } else if (m.type === 'error') renderError(root, m.file, m.code, m.message);
  else if (m.type === 'progress')
    root.setAttribute('aria-busy', m.done < m.total ? 'true' : 'false');
  else if (m.type === 'select') select(m.layer);
});

// a restored view asks again with the block shape and array it showed last
if (options.arch) {
  api.postMessage({
    type: 'reanalyze',
    block: options.block,
    arch: options.arch,
    ...chosenPrecision(),
  });
} else api.postMessage({ type: 'ready' });
