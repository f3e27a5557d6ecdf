import { strict as assert } from 'node:assert';
import { layersToKeepDense } from '../../../../src/core/estimate/simulate';
import type { SimLayer } from '../../../../src/core/estimate/simulationReport';

/** A layer with just what the kept-dense search looks at (the rest is never read). */
const layer = (name: string, op: string, seconds: number, memory: 'fm' | 'ddr'): SimLayer =>
  ({ name, op, seconds, memory }) as unknown as SimLayer;
const byName = (ls: SimLayer[]) => new Map(ls.map((l) => [l.name, l]));

describe('kept dense: the layers sparse mode compiles with their zero blocks', () => {
  it('a conv slower compressed is kept dense itself', () => {
    const dense = byName([layer('a', 'conv', 2, 'fm'), layer('b', 'conv', 3, 'fm')]);
    const sparse = [layer('a', 'conv', 1, 'fm'), layer('b', 'conv+Relu', 4, 'fm')];
    assert.deepEqual(layersToKeepDense(sparse, dense, new Set()), { fixes: ['b'], unfixable: [] });
  });

  it('an Add slower sparse: the latest conv that spilled where its dense twin did not', () => {
    const dense = byName([
      layer('c1', 'conv', 5, 'fm'),
      layer('c2', 'conv', 5, 'fm'),
      layer('c3', 'conv', 5, 'ddr'),
      layer('add', 'add', 1, 'fm'),
    ]);
    const sparse = [
      layer('c1', 'conv', 3, 'ddr'),
      layer('c2', 'conv', 3, 'ddr'),
      layer('c3', 'conv', 3, 'ddr'),
      layer('add', 'add', 2, 'fm'),
    ];
    // c3 spilled in both modes, so c2 is the one to keep dense; kept layers are not chosen twice
    assert.deepEqual(layersToKeepDense(sparse, dense, new Set()).fixes, ['c2']);
    assert.deepEqual(layersToKeepDense(sparse, dense, new Set(['c2'])).fixes, ['c1']);
  });

  it('a slower layer nothing can fix is returned as unfixable (simulate reports BS4006)', () => {
    const dense = byName([layer('c1', 'conv', 5, 'fm'), layer('add', 'add', 1, 'fm')]);
    const sparse = [layer('c1', 'conv', 3, 'fm'), layer('add', 'add', 2, 'fm')];
    const r = layersToKeepDense(sparse, dense, new Set());
    assert.deepEqual(r.fixes, []);
    assert.deepEqual(
      r.unfixable.map((l) => l.name),
      ['add'],
    );
  });
});
