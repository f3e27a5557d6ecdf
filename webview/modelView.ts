/**
 * The model view: long-lived parts over the one store. The header, the controls, the tab bar and
 * each tab's panel are built once (a panel once per report, the first time its tab is shown) and
 * then updated in place; a tab switch hides one panel and shows another.
 */
import { Disposables, el, tabBar, tabPanel } from './dom';
import { controlsView, type ControlsView } from './controlsView';
import { layerTable } from './layerTable';
import { ledgerPanel, memoryPanel } from './panels';
import { whyPanel } from './whyPanel';
import type { PanelView, ViewContext } from './panelView';
import { sparsityPanel } from './sparsityPanel';
import { summaryView } from './summaryView';
import { timelineView } from './timelineView';
import { graphView } from './graphView';
import { TABS, type Tab, type ViewState, type ViewStore } from './viewStore';
import type { ModelViewReport } from '../src/shared/protocol';

const TAB_TITLES: Record<Tab, string> = {
  layers: 'Layers',
  graph: 'Graph',
  sparsity: 'Sparsity',
  memory: 'Memory',
  timeline: 'Timeline',
  why: "Why isn't it faster?",
  ledger: 'Paper → refined',
};

/** A panel that changes with the report only. */
const fixed = (element: HTMLElement): PanelView => ({ element, disposables: new Disposables() });

const PANELS: Record<Tab, (report: ModelViewReport, ctx: ViewContext) => PanelView> = {
  layers: layerTable,
  graph: graphView,
  sparsity: sparsityPanel,
  memory: (report) => fixed(memoryPanel(report)),
  timeline: timelineView,
  why: (report, ctx) => fixed(whyPanel(report, (layer) => ctx.act({ type: 'show', layer }))),
  ledger: (report, ctx) => fixed(ledgerPanel(report, (layer) => ctx.act({ type: 'show', layer }))),
};

/** Mounts the view into `root` and keeps it in step with the store. */
export function mountModelView(root: HTMLElement, store: ViewStore, ctx: ViewContext): void {
  const header = el('div', undefined, 'header');
  const controlsSlot = el('div', undefined, 'controls-slot');
  const bar = tabBar(
    TABS.map((t) => [t, TAB_TITLES[t]] as const),
    'Model view',
    (tab) => ctx.act({ type: 'tab', tab }),
  );
  const panelsBox = el('div', undefined, 'panels');
  const errorBox = el('section', undefined, 'error');
  errorBox.hidden = true;
  const report = el('div', undefined, 'report');
  report.hidden = true;
  report.append(header, controlsSlot, bar.element, panelsBox);
  root.replaceChildren(errorBox, report);

  let controls: ControlsView | undefined;
  let panels = new Map<Tab, PanelView>();
  let panelsOf: ModelViewReport | undefined;
  let shownTab: Tab | undefined;

  const dropPanels = () => {
    for (const p of panels.values()) p.disposables.dispose();
    panels = new Map();
    panelsBox.replaceChildren();
    shownTab = undefined;
  };

  const update = (s: ViewState, previous: ViewState) => {
    root.setAttribute('aria-busy', String(s.busy || s.model?.partial === true));
    if (s.error) {
      errorBox.replaceChildren(
        el('h1', s.error.file),
        el('p', `${s.error.message} [${s.error.code}]`),
      );
      errorBox.hidden = false;
      report.hidden = true;
      return;
    }
    errorBox.hidden = true;
    const m = s.model;
    if (!m) return;
    report.hidden = false;
    const o = s.options;
    const p = previous.options;
    const fresh = m !== previous.model || previous.error !== undefined;
    if (fresh || o.precision !== p.precision || o.arch !== p.arch)
      header.replaceChildren(summaryView(m, o, ctx));
    if (!controls || controls.archs.join('\n') !== m.archs.join('\n')) {
      controls = controlsView(m.archs, o, ctx);
      controlsSlot.replaceChildren(controls.element);
    } else controls.update(s);
    if (m.report !== panelsOf) {
      dropPanels();
      panelsOf = m.report;
    }
    const tab = o.tab ?? 'layers';
    bar.setActive(tab);
    // the panels that exist follow the state; a new one is built with it already
    for (const [t, panel] of panels) if (t !== tab || shownTab === tab) panel.update?.(s, previous);
    if (tab !== shownTab) {
      if (shownTab) {
        const old = panels.get(shownTab);
        if (old) old.element.hidden = true;
      }
      let panel = panels.get(tab);
      if (!panel) {
        panel = PANELS[tab](m.report, ctx);
        tabPanel(panel.element, tab);
        panels.set(tab, panel);
        panelsBox.append(panel.element);
      }
      panel.element.hidden = false;
      shownTab = tab;
      panel.shown?.(s);
      // what came with the switch (a selection to reveal) applies once the panel is in view
      panel.update?.(s, previous);
    }
  };
  store.subscribe(update);
  update(store.state, store.state);
}
