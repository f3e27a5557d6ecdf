/**
 * The block mask as a table (the heat-map's text alternative): per block-row, its output
 * channels, how many of its blocks are zero and which block columns (input channels) those are,
 * as ranges. Built when first opened.
 */
import type { LayerReport } from '../src/shared/protocol';
import { dataTable, el } from './dom';
import { indexRanges } from './indexRanges';

/** Block-rows listed at most (a 2048-channel layer has 256; the rest are summed up). */
const MAX_ROWS = 512;

export function maskTable(layer: LayerReport): HTMLElement {
  const box = el('details', undefined, 'mask-table');
  box.append(el('summary', 'Block mask as a table'));
  box.addEventListener(
    'toggle',
    () => {
      const d = layer.detail;
      const rows = d.blockRows * layer.group;
      const cols = d.blockCols;
      const cells = [];
      for (let r = 0; r < Math.min(rows, MAX_ROWS); r++) {
        const zero: number[] = [];
        for (let c = 0; c < cols; c++) if (!d.blockMask[r * cols + c]) zero.push(c);
        const inGroup = r % d.blockRows;
        cells.push([
          layer.group > 1 ? `${r} (group ${Math.floor(r / d.blockRows)})` : String(r),
          `${inGroup * 8}–${inGroup * 8 + 7}`,
          `${zero.length} of ${cols}`,
          zero.length === cols ? 'all' : zero.length ? indexRanges(zero) : 'none',
        ]);
      }
      box.append(
        dataTable(
          'why-layers',
          `${layer.name}: zero blocks per block-row (block column c holds input channels 8c–8c+7)`,
          ['Block row', 'Output channels', 'Zero blocks', 'Zero block columns'],
          cells,
          [2],
        ),
      );
      if (rows > MAX_ROWS)
        box.append(el('p', `The first ${MAX_ROWS} of ${rows} block-rows are listed.`, 'count'));
    },
    { once: true },
  );
  return box;
}
