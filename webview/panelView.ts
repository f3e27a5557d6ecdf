/** What every long-lived part of the model view is given and gives back. */
import type { WebviewMessage } from '../src/shared/protocol';
import type { Disposables } from './dom';
import type { FrameScheduler } from './frameScheduler';
import type { ViewAction, ViewState } from './viewStore';

/** The store and the host, as the views reach them. */
export interface ViewContext {
  /** Runs an action through the store (and tells the host what it must know). */
  act(action: ViewAction): void;
  /** Sends a message to the host that changes nothing in the view (export, go to source). */
  post(message: WebviewMessage): void;
  readonly state: () => ViewState;
  readonly frames: FrameScheduler;
}

/**
 * A tab's panel: built once per report, then updated in place as the state changes; hidden, not
 * destroyed, while another tab is shown, so switching back is instant and keeps zoom and scroll.
 */
export interface PanelView {
  readonly element: HTMLElement;
  /** Called after every state change while the panel exists (shown or hidden). */
  update?(state: ViewState, previous: ViewState): void;
  /** The panel is shown again (restore what hiding lost, e.g. a scroll position). */
  shown?(state: ViewState): void;
  /** Observers, listeners and frame tasks registered outside the panel's elements. */
  readonly disposables: Disposables;
}
