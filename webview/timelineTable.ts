/**
 * The timeline as tables (its text alternative, for screen readers and keyboard users): each
 * lane's busy time over the whole run, and every layer of each run in time order with its start,
 * end and duration. Built when first opened: a big model's table is only paid for when read.
 */
import { formatPercent } from '../src/shared/format';
import { dataTable, el, layerLink } from './dom';
import { rangeSummary, type RangeRow } from './rangeSummary';
import { formatDuration } from './timeScale';

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
    const lanes = dataTable(
      'why-layers',
      'Busy time per lane over the whole run',
      ['Lane', 'Busy', 'Share of the run', 'Slices'],
      whole.lanes.map((l) => [
        l.label,
        formatDuration(l.seconds),
        formatPercent(l.seconds / total),
        String(l.slices),
      ]),
      [1, 2, 3],
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
