import { strict as assert } from 'node:assert';
import { simulate } from '../../../../src/core/estimate/simulate';
import { layerEstimateLabel } from '../../../../src/core/report/layerEstimateLabel';
import { resnetMini } from '../../../fixtures/models';
import { compileInputOf, preset } from '../../../support/compileBytes';

describe('layerEstimateLabel (code lenses)', () => {
  const sim = simulate(compileInputOf(resnetMini({ zeroFraction: 0.5 }).bytes), {
    arch: preset('paper-3x3'),
    trace: false,
  });
  const seconds = (mode: 'dense' | 'sparse', name: string) =>
    sim.modes[mode]?.layers.find((l) => l.name === name)?.seconds ?? NaN;
  const us = (s: number) => `${(s * 1e6).toFixed(1)} µs`;

  it('a layer on the array: dense → sparse µs on the array of the estimate', () => {
    const n = '/block0/conv1/Conv';
    assert.equal(
      layerEstimateLabel(sim, [n]),
      ` · ${us(seconds('dense', n))} → ${us(seconds('sparse', n))} on paper-3x3`,
    );
  });

  it('several layers on one line: their sums', () => {
    const names = ['/block0/conv1/Conv', '/block0/conv2/Conv'];
    const sum = (m: 'dense' | 'sparse') => names.reduce((a, n) => a + seconds(m, n), 0);
    assert.equal(
      layerEstimateLabel(sim, names),
      ` · ${us(sum('dense'))} → ${us(sum('sparse'))} on paper-3x3`,
    );
  });

  it('the classifier after the graph cut is CPU work; an unknown layer or no estimate, nothing', () => {
    assert.equal(layerEstimateLabel(sim, ['/fc/Gemm']), ' · on the CPU (graph cut)');
    assert.equal(layerEstimateLabel(sim, ['/nope/Conv']), '');
    assert.equal(layerEstimateLabel(null, ['/block0/conv1/Conv']), '');
  });
});
