/**
 * The model view's one store: its state, and a reducer over the host's messages and the user's
 * actions. Pure (no DOM), so it is unit-tested in Node; the views subscribe and update the parts
 * whose inputs changed, compared by reference (the reducer keeps unchanged parts identical).
 */
import type {
  DiffModel,
  HostMessage,
  InputShape,
  ModelViewReport,
  Precision,
  TimeModelKind,
  TraceUnits,
} from '../src/shared/protocol';
import { filterRows, layerRows, type SortState } from './layerRows';

/** The tabs of the model view (the protocol owns the list: the host may ask for one). */
export { VIEW_TABS as TABS, type ViewTab as Tab } from '../src/shared/protocol';
import type { ViewTab as Tab } from '../src/shared/protocol';

/** The view's state that outlives the page, persisted with setState. */
export interface ViewOptions {
  readonly block: string;
  readonly arch: string;
  /** Absent until the first report says which precision the setting chose. */
  readonly precision?: Precision;
  /** Absent until the first report says which model the setting chose. */
  readonly timeModel?: TimeModelKind;
  /** The Layers table's scroll position. */
  readonly tableScroll?: number;
  /** The timeline's zoom: the visible window in seconds. */
  readonly timelineWindow?: { readonly start: number; readonly end: number };
  /** The timeline's selected range (seconds), kept across tab switches and reloads. */
  readonly timelineRange?: { readonly start: number; readonly end: number };
  /** The timeline's units: one memtile and one core (default), or all of them. */
  readonly timelineUnits?: TraceUnits;
  readonly sort: SortState;
  readonly filter: string;
  /** The selected layer (here, or from a code lens, the tree, "Go to Layer"). */
  readonly selected?: string;
  readonly tab?: Tab;
}

export const DEFAULT_OPTIONS: ViewOptions = {
  block: '8x8',
  arch: '',
  sort: { key: 'index', descending: false },
  filter: '',
};

/** The model the view shows, as the host last sent it. */
export interface ShownModel {
  readonly file: string;
  readonly report: ModelViewReport;
  readonly archs: readonly string[];
  readonly inputShapes: readonly InputShape[];
  /** The analysis only: the estimate is on its way. */
  readonly partial: boolean;
}

/** Two models compared (the Compare Models view), as the host last sent them. */
export interface ShownDiff {
  readonly a: DiffModel;
  readonly b: DiffModel;
  readonly arch: string;
  readonly precision: Precision;
  readonly timeModel: TimeModelKind;
}

export interface ViewState {
  readonly options: ViewOptions;
  readonly model?: ShownModel;
  /** In the Compare Models view: the two models. */
  readonly diff?: ShownDiff;
  /** An error in place of the report (a later report clears it). */
  readonly error?: { readonly file: string; readonly code: string; readonly message: string };
  /** The host is working (progress under way). */
  readonly busy: boolean;
  /**
   * Counts requests to bring the selected layer into view (a host 'select'): the table scrolls to
   * it when this changes, not on every selection (a click on a row must not jump the table).
   */
  readonly reveal: number;
}

/** What the user did in the view. */
export type ViewAction =
  | HostMessage
  | { readonly type: 'sort'; readonly sort: SortState }
  | { readonly type: 'filter'; readonly filter: string }
  | { readonly type: 'tab'; readonly tab: Tab }
  /** A layer picked in the view (a row, a bar, a timeline block). */
  | { readonly type: 'pick'; readonly layer: string }
  /** A link that shows a layer in the Layers tab (and scrolls to it). */
  | { readonly type: 'show'; readonly layer: string }
  /** New choices for the estimate (the host re-estimates). */
  | {
      readonly type: 'choose';
      readonly choice: Partial<Pick<ViewOptions, 'block' | 'arch' | 'precision' | 'timeModel'>>;
    }
  /** View state kept without drawing anew (scroll positions, zoom). */
  | {
      readonly type: 'remember';
      readonly state: Partial<
        Pick<ViewOptions, 'tableScroll' | 'timelineWindow' | 'timelineRange' | 'timelineUnits'>
      >;
    };

export function initialState(saved: Partial<ViewOptions> | undefined): ViewState {
  return { options: { ...DEFAULT_OPTIONS, ...saved }, busy: false, reveal: 0 };
}

const withOptions = (s: ViewState, next: Partial<ViewOptions>): ViewState => ({
  ...s,
  options: { ...s.options, ...next },
});

/**
 * Selects a layer and brings it into view: the Sparsity and Timeline tabs show it where they
 * are, any other tab gives way to Layers; a filter that hides it is cleared. Unknown layers
 * (a stale code lens) change nothing.
 */
function reveal(s: ViewState, layer: string, tabs: readonly Tab[]): ViewState {
  const report = s.model?.report;
  if (report && !report.analysis.layers.some((l) => l.name === layer)) return s;
  const hidden =
    report !== undefined &&
    !filterRows(layerRows(report), s.options.filter).some((r) => r.layer.name === layer);
  const tab = s.options.tab && tabs.includes(s.options.tab) ? s.options.tab : 'layers';
  return {
    ...withOptions(s, { selected: layer, filter: hidden ? '' : s.options.filter, tab }),
    reveal: s.reveal + 1,
  };
}

export function reduce(s: ViewState, a: ViewAction): ViewState {
  switch (a.type) {
    case 'report': {
      const model: ShownModel = {
        file: a.file,
        report: a.report,
        archs: a.archs,
        inputShapes: a.inputShapes,
        partial: a.partial === true,
      };
      const o = s.options;
      const same = o.arch === a.arch && o.precision === a.precision && o.timeModel === a.timeModel;
      const next = same
        ? s
        : withOptions(s, { arch: a.arch, precision: a.precision, timeModel: a.timeModel });
      return { ...next, model, error: undefined };
    }
    case 'diff': {
      const { a: x, b: y, arch, precision, timeModel } = a;
      return { ...s, diff: { a: x, b: y, arch, precision, timeModel }, error: undefined };
    }
    case 'error':
      return { ...s, error: { file: a.file, code: a.code, message: a.message } };
    case 'progress': {
      const busy = a.done < a.total;
      return busy === s.busy ? s : { ...s, busy };
    }
    case 'select':
      return reveal(s, a.layer, ['layers', 'sparsity', 'timeline']);
    case 'show':
      return reveal(s, a.layer, ['layers']);
    case 'pick':
      return s.options.selected === a.layer ? s : withOptions(s, { selected: a.layer });
    case 'sort':
      return withOptions(s, { sort: a.sort });
    case 'filter':
      return a.filter === s.options.filter ? s : withOptions(s, { filter: a.filter });
    case 'tab':
    case 'showTab':
      return a.tab === s.options.tab ? s : withOptions(s, { tab: a.tab });
    case 'choose':
      return withOptions(s, a.choice);
    case 'remember':
      return withOptions(s, a.state);
  }
}

export type Listener = (state: ViewState, previous: ViewState) => void;

/** Holds the state; every dispatch runs the reducer and tells the listeners what changed. */
export class ViewStore {
  private listeners: Listener[] = [];
  constructor(private current: ViewState) {}

  get state(): ViewState {
    return this.current;
  }

  dispatch(action: ViewAction): void {
    const previous = this.current;
    const next = reduce(previous, action);
    if (next === previous) return;
    this.current = next;
    for (const l of [...this.listeners]) l(next, previous);
  }

  /** Adds a listener; the returned function removes it. */
  subscribe(listener: Listener): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }
}
