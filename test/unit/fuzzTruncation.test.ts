import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeModel } from '../../src/core/analysis/analyzeModel';
import { decodeModel } from '../../src/core/onnx/decodeModel';
import { runCase } from '../fuzz/runCase';
import { walkWire } from '../fuzz/wireWalk';
import { resnetMini } from '../fixtures/models';
import { metadataModel, subgraphModel } from '../fixtures/specialModels';

/** Every offset where a field starts, its payload starts, or it ends, at any depth. */
function boundaries(bytes: Uint8Array): number[] {
  const at = new Set<number>();
  for (const f of walkWire(bytes)) for (const b of [f.start, f.payloadStart, f.end]) at.add(b);
  at.delete(bytes.length);
  return [...at].sort((a, b) => a - b);
}

describe('truncation at every protobuf boundary', function () {
  this.timeout(120000);
  let work: string;
  before(() => (work = fs.mkdtempSync(path.join(os.tmpdir(), 'bss-truncate-'))));
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  for (const [name, bytes] of [
    ['subgraphs (If / Loop)', subgraphModel()],
    ['metadata everywhere', metadataModel()],
  ] as const) {
    it(`${name}: every entry point, every cut`, () => {
      const cuts = boundaries(bytes);
      assert.ok(cuts.length > 40, `${cuts.length} boundaries`);
      for (const cut of cuts) {
        const r = runCase(path.join(work, 'case'), bytes.subarray(0, cut), new Map());
        assert.equal(r.crash, undefined, `cut at ${cut}: ${r.crash?.message}`);
      }
    });
  }

  it('resnet-mini: decode and analysis at every cut (a result or an error diagnostic)', () => {
    const bytes = resnetMini().bytes;
    const cuts = boundaries(bytes);
    assert.ok(cuts.length > 500, `${cuts.length} boundaries`);
    let refused = 0;
    for (const cut of cuts) {
      const d = decodeModel(bytes.subarray(0, cut));
      if (!d.model) {
        assert.equal(d.diagnostics[0]?.severity, 'error', `cut at ${cut}`);
        refused++;
        continue;
      }
      const report = analyzeModel(d.model);
      assert.ok(Array.isArray(report.layers));
    }
    assert.ok(refused > 0 && refused < cuts.length, `${refused} of ${cuts.length} refused`);
  });
});
