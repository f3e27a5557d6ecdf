/** The pickers (block shape, array, precision, estimate), the layer filter and the exports. */
import {
  PRECISIONS,
  TIME_MODELS,
  type Precision,
  type TimeModelKind,
} from '../src/shared/protocol';
import { el } from './dom';
import type { ViewContext } from './panelView';
import type { ViewOptions, ViewState } from './viewStore';

export const BLOCK_SHAPES = ['8x8', '4x4', '16x16', '8x4', '4x8'] as const;

type ValueElement = HTMLElement & { value: string };

/** A labelled @vscode-elements single select (VS Code's own look, keyboard and screen readers). */
function select(
  label: string,
  values: readonly string[],
  current: string,
  onChange: (v: string) => void,
): { wrap: HTMLElement; control: ValueElement } {
  const wrap = el('label', `${label} `, 'control');
  const s = document.createElement('vscode-single-select') as ValueElement;
  s.setAttribute('aria-label', label);
  s.dataset.control = label;
  for (const v of values) {
    const o = document.createElement('vscode-option') as HTMLElement & {
      value: string;
      selected: boolean;
    };
    o.textContent = v;
    o.value = v;
    o.selected = v === current;
    s.append(o);
  }
  s.addEventListener('change', () => onChange(s.value));
  wrap.append(s);
  return { wrap, control: s };
}

const pickerValues = (o: ViewOptions) => ({
  block: o.block,
  arch: o.arch,
  precision: o.precision ?? 'int8',
  timeModel: o.timeModel ?? 'paper',
});

export interface ControlsView {
  readonly element: HTMLElement;
  /** The arrays it offers (a different list needs a new bar). */
  readonly archs: readonly string[];
  /** Sets the pickers and the filter to the state's values (the focus stays where it is). */
  update(state: ViewState): void;
}

export function controlsView(
  archs: readonly string[],
  o: ViewOptions,
  ctx: ViewContext,
): ControlsView {
  const bar = el('div', undefined, 'controls');
  const v = pickerValues(o);
  const pickers = {
    block: select('Block shape (out × in)', BLOCK_SHAPES, v.block, (block) =>
      ctx.act({ type: 'choose', choice: { block } }),
    ),
    arch: select('Array', archs, v.arch, (arch) => ctx.act({ type: 'choose', choice: { arch } })),
    precision: select('Precision', PRECISIONS, v.precision, (p) =>
      ctx.act({ type: 'choose', choice: { precision: p as Precision } }),
    ),
    timeModel: select('Estimate', TIME_MODELS, v.timeModel, (m) =>
      ctx.act({ type: 'choose', choice: { timeModel: m as TimeModelKind } }),
    ),
  };
  for (const p of Object.values(pickers)) bar.append(p.wrap);
  const filter = document.createElement('vscode-textfield') as ValueElement & {
    type: string;
    placeholder: string;
  };
  filter.type = 'search';
  filter.placeholder = 'Filter layers (name, op, bound)';
  filter.value = o.filter;
  filter.className = 'filter';
  filter.setAttribute('aria-label', 'Filter layers');
  filter.addEventListener('input', () => ctx.act({ type: 'filter', filter: filter.value }));
  bar.append(filter);
  for (const [format, label] of [
    ['csv', 'Export CSV'],
    ['json', 'Export JSON'],
    ['trace', 'Export trace (Perfetto)'],
  ] as const) {
    const b = document.createElement('vscode-button');
    b.textContent = label;
    b.className = 'export';
    b.setAttribute('secondary', '');
    b.dataset.export = format;
    b.addEventListener('click', () =>
      ctx.post(
        // the trace holds the units the timeline shows, so the file and the view's note agree
        format === 'trace'
          ? { type: 'export', format, units: ctx.state().options.timelineUnits ?? 'one' }
          : { type: 'export', format },
      ),
    );
    bar.append(b);
  }
  return {
    element: bar,
    archs,
    update(state) {
      const now = pickerValues(state.options);
      for (const k of Object.keys(pickers) as (keyof typeof pickers)[])
        if (pickers[k].control.value !== now[k]) pickers[k].control.value = now[k];
      if (filter.value !== state.options.filter) filter.value = state.options.filter;
    },
  };
}
