import { strict as assert } from 'node:assert';
import { rowGroups } from '../../../../src/core/compiler/tiles';

/** The rule as AIE2-MODEL.md states it, row by row: the reference the closed form must match. */
function rowGroupsByRows(hin: number, hout: number, s: number, kh: number, oh: number) {
  const n = Math.ceil(hout / oh);
  const top = Math.ceil(Math.max(0, (hout - 1) * s + kh - hin) / 2);
  const head = new Set<number>();
  for (let r = 0; r < Math.min(Math.ceil(top / s), hout); r++) head.add(Math.floor(r / oh));
  const tail = new Set<number>();
  for (let r = Math.max(0, Math.floor((hin + top - kh) / s) + 1); r < hout; r++)
    if (!head.has(Math.floor(r / oh))) tail.add(Math.floor(r / oh));
  return { iterations: n, head: head.size, tail: tail.size, body: n - head.size - tail.size };
}

describe('rowGroups (head / body / tail iterations)', () => {
  it('matches the row-by-row rule for every small case', () => {
    let checked = 0;
    for (const s of [1, 2, 3])
      for (const kh of [1, 3, 5, 7])
        for (let hin = 1; hin <= 20; hin++)
          for (const pad of [0, 1, 2, 3])
            for (let oh = 1; oh <= 6; oh++) {
              const hout = Math.floor((hin + 2 * pad - kh) / s) + 1;
              if (hout < 1) continue;
              assert.deepEqual(
                rowGroups(hin, hout, s, kh, oh),
                rowGroupsByRows(hin, hout, s, kh, oh),
                `hin ${hin} hout ${hout} s ${s} kh ${kh} oh ${oh}`,
              );
              checked++;
            }
    assert.ok(checked > 3000);
  });

  it('absurd sizes from a hostile model are counted, not enumerated', () => {
    const g = rowGroups(2 ** 40, 2 ** 40, 1, 3, 1);
    assert.equal(g.iterations, 2 ** 40);
    assert.equal(g.head + g.body + g.tail, g.iterations);
  });
});
