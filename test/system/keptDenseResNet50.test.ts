import { strict as assert } from 'node:assert';
import { layersToKeepDense, simulate } from '../../src/core/estimate/simulate';
import type { SimLayer } from '../../src/core/estimate/simulationReport';
import { resnet50 } from '../fixtures/models';
import { compileInputOf, preset } from '../support/compileBytes';

// The full-size network of the kept-dense search (test/unit/core/estimate/keptDense.test.ts
// has the small cases): a system test, 1.4 s of the unit suite's 20.
const byName = (ls: readonly SimLayer[]) => new Map(ls.map((l) => [l.name, l]));

describe('kept dense on a full-size network', () => {
  it('ResNet-50 on 3x3: the layers kept dense are reported per layer and none is slower', () => {
    const r = simulate(compileInputOf(resnet50({ zeroFraction: 0.5 }).bytes), {
      arch: preset('paper-3x3'),
      trace: false,
    });
    const sparse = r.modes.sparse?.layers ?? [];
    const dense = byName([...(r.modes.dense?.layers ?? [])]);
    const kept = sparse.filter((l) => l.keptDense);
    assert.ok(kept.length > 0);
    for (const l of kept)
      assert.equal(l.compiledWeightBytes, dense.get(l.name)?.compiledWeightBytes);
    assert.deepEqual(layersToKeepDense(sparse, dense, new Set(kept.map((l) => l.name))), {
      fixes: [],
      unfixable: [],
    });
    assert.ok(!r.diagnostics.some((d) => d.code === 'BS4006'));
  });
});
