import { strict as assert } from 'node:assert';
import { ModelDocumentState, type Outcome } from '../../../src/extension/modelDocumentState';

/** A run whose results the test releases by hand, in any order. */
function controlled() {
  const waiting = new Map<string, (o: Outcome<string, string>) => void>();
  const run = (key: string) =>
    new Promise<Outcome<string, string>>((resolve) => waiting.set(key, resolve));
  const finish = (key: string, report = `report of ${key}`) => {
    const r = waiting.get(key);
    assert.ok(r, `a run for ${key} is waiting`);
    waiting.delete(key);
    r({ ok: true, report });
  };
  return { run, finish, waiting };
}

describe('model document state (one per model file, behind every view)', () => {
  it('answers a known key at once, with no second run', async () => {
    const c = controlled();
    const doc = new ModelDocumentState(c.run);
    const first = doc.request('paper-4x4');
    c.finish('paper-4x4');
    assert.equal((await first).cached, false);
    const again = await doc.request('paper-4x4');
    assert.equal(again.cached, true);
    assert.deepEqual(again.outcome, { ok: true, report: 'report of paper-4x4' });
    assert.equal(doc.runs, 1);
  });

  it('two panels asking for one key at once share one run', async () => {
    const c = controlled();
    const doc = new ModelDocumentState(c.run);
    const a = doc.request('k');
    const b = doc.request('k');
    c.finish('k');
    const [ra, rb] = await Promise.all([a, b]);
    assert.deepEqual(ra.outcome, rb.outcome);
    assert.equal(doc.runs, 1);
  });

  it('a slower, older run never overwrites a newer result', async () => {
    const c = controlled();
    const doc = new ModelDocumentState(c.run);
    const older = doc.request('paper-2x2');
    const newer = doc.request('paper-8x8');
    c.finish('paper-8x8');
    assert.equal((await newer).current, true);
    c.finish('paper-2x2');
    const late = await older;
    assert.equal(late.current, false, 'the older answer does not become current');
    assert.equal(doc.current?.key, 'paper-8x8');
    // but it is kept: asking for it again is instant
    assert.equal((await doc.request('paper-2x2')).cached, true);
    assert.equal(doc.current?.key, 'paper-2x2');
  });

  it('a change on disk drops the results; a run from before the change is not kept', async () => {
    const c = controlled();
    const doc = new ModelDocumentState(c.run);
    const before = doc.request('k');
    doc.invalidate();
    c.finish('k', 'old bytes');
    await before;
    assert.equal(doc.cachedReport('k'), undefined, 'the old file’s result is not cached');
    const after = doc.request('k');
    c.finish('k', 'new bytes');
    assert.deepEqual((await after).outcome, { ok: true, report: 'new bytes' });
    assert.equal(doc.runs, 2);
  });

  it('failures and cancels are not cached', async () => {
    let n = 0;
    const doc = new ModelDocumentState<string, string>(async () =>
      ++n === 1 ? { ok: 'cancelled' } : { ok: true, report: 'r' },
    );
    assert.deepEqual((await doc.request('k')).outcome, { ok: 'cancelled' });
    assert.deepEqual((await doc.request('k')).outcome, { ok: true, report: 'r' });
    assert.equal(doc.runs, 2);
  });
});
