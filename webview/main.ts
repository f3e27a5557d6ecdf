import type { HostMessage } from '../src/shared/protocol';
import { renderError, renderReport } from './renderReport';
import { vscodeApi } from './vscodeApi';

const BLOCK_SHAPES = ['8x8', '4x4', '16x16', '8x4', '4x8'];

const api = vscodeApi();
const root = document.getElementById('app') as HTMLElement;
let block = api.getState()?.block ?? '8x8';

function blockPicker(): HTMLElement {
  const label = document.createElement('label');
  label.className = 'controls';
  label.textContent = 'Block shape (out × in) ';
  const select = document.createElement('select');
  for (const b of BLOCK_SHAPES) {
    const o = document.createElement('option');
    o.value = b;
    o.textContent = b;
    o.selected = b === block;
    select.append(o);
  }
  select.addEventListener('change', () => {
    block = select.value;
    api.setState({ block });
    api.postMessage({ type: 'reanalyze', block });
  });
  label.append(select);
  return label;
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const m = event.data;
  if (m.type === 'analysis') renderReport(root, m.file, m.report, blockPicker());
  else if (m.type === 'error') renderError(root, m.file, m.code, m.message);
  else if (m.type === 'progress')
    root.setAttribute('aria-busy', m.done < m.total ? 'true' : 'false');
});

if (block === '8x8') api.postMessage({ type: 'ready' });
else api.postMessage({ type: 'reanalyze', block });
