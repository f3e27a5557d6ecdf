// VS Code's webview controls (select, text field, button) as web components
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { isHostMessage } from '../src/shared/protocol';
import { frameScheduler } from './frameScheduler';
import { mountDiffView } from './diffView';
import { mountModelView } from './modelView';
import type { ViewContext } from './panelView';
import { initialState, ViewStore, type ViewAction, type ViewOptions } from './viewStore';
import { vscodeApi } from './vscodeApi';

const api = vscodeApi();
const store = new ViewStore(initialState(api.getState()));

/** The estimate's choices as the host is asked for them (absent ones: the settings apply). */
function reanalyze(o: ViewOptions) {
  api.postMessage({
    type: 'reanalyze',
    block: o.block,
    arch: o.arch,
    ...(o.precision ? { precision: o.precision } : {}),
    ...(o.timeModel ? { timeModel: o.timeModel } : {}),
  });
}

const ctx: ViewContext = {
  act(action: ViewAction) {
    store.dispatch(action);
    // what the host must hear of: new choices re-estimate, a layer picked here moves the sidebar
    if (action.type === 'choose') reanalyze(store.state.options);
    else if (action.type === 'pick' || action.type === 'show')
      api.postMessage({ type: 'selected', layer: action.layer });
  },
  post: (message) => api.postMessage(message),
  state: () => store.state,
  frames: frameScheduler((run) => requestAnimationFrame(run)),
};

// the persisted state follows the store (one setState per change)
store.subscribe((s, previous) => {
  if (s.options !== previous.options) api.setState(s.options);
});

// one bundle, two pages: the model view, or Compare Models (the host's HTML says which)
const app = document.getElementById('app') as HTMLElement;
const comparing = app.dataset.view === 'diff';
if (comparing) mountDiffView(app, store, ctx);
else mountModelView(app, store, ctx);

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  // malformed or not from the host: dropped
  if (isHostMessage(event.data)) store.dispatch(event.data);
});

// a restored view asks again with the block shape and array it showed last
if (store.state.options.arch && !comparing) reanalyze(store.state.options);
else api.postMessage({ type: 'ready' });
