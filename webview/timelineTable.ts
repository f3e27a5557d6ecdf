/**
 * The timeline as tables (its text alternative, for screen readers and keyboard users): each
 * lane's busy time over the whole run, and every layer of each run in time order with its start,
 * end and duration. Built when first opened: a big model's table is only paid for when read.
 */
import { formatPercent } from '../src/shared/format';
import { dataTable, el, layerLink } from './dom';
import { rangeSummary, type RangeRow, type RangeSummary } from './rangeSummary';
import { formatDuration } from './timeScale';

/** Each lane's busy time in a span: the range summary's table and the whole run's. */
export function laneTable(
  caption: string,
  lanes: RangeSummary['lanes'],
  span: number,
  shareOf: string,
): HTMLTableElement {
  return dataTable(
    'why-layers range-lanes',
    caption,
    ['Lane', 'Busy', shareOf, 'Slices'],
    lanes.map((l) => [
      l.label,
      formatDuration(l.seconds),
      formatPercent(l.seconds / span),
      String(l.slices),
    ]),
    [1, 2, 3],
  );
}

export function timelineTable(
  rows: () => readonly RangeRow[],
  total: number,
  pick: (layer: string) => void,
): HTMLElement {
  const box = el('details', undefined, 'timeline-table');
  box.append(el('summary', 'Timeline as a table'));
  const fill = () => {
    const all = rows();
    const whole = rangeSummary(all, 0, total);
    const lanes = laneTable(
      'Busy time per lane over the whole run',
      whole.lanes,
      total,
      'Share of the run',
    );
    const layers = all
      .filter((r) => r.layerTrack)
      .flatMap((r) =>
        r.events.map((e) => [
          r.mode,
          layerLink(r.layers[e.layer] ?? '', pick),
          formatDuration(e.start),
          formatDuration(e.end),
          formatDuration(e.end - e.start),
        ]),
      );
    const order = dataTable(
      'why-layers timeline-layers',
      'Layers of each run in time order',
      ['Run', 'Layer', 'Start', 'End', 'Duration'],
      layers,
      [2, 3, 4],
    );
    box.append(lanes, order);
  };
  // the tables follow the units shown: rebuilt each time the section opens
  box.addEventListener('toggle', () => {
    box.replaceChildren(box.firstElementChild as HTMLElement);
    if (box.open) fill();
  });
  return box;
}
