/**
 * The state of one model file behind every view of it, without VS Code: its results by request
 * key (array, precision, model, block shape, input shapes), the run in flight per key, and which
 * result is current. Pure so that its ordering rules are unit-tested:
 * - a key already answered is answered again at once, with no run (tab switches, second panels);
 * - concurrent requests for one key share one run;
 * - requests are numbered, and a result only becomes current when no newer request has already
 *   made one current: a slower, older run never overwrites a newer result;
 * - a change of the file on disk drops every result (the next request runs once).
 */
export type Outcome<R, E> =
  | { readonly ok: true; readonly report: R }
  | { readonly ok: false; readonly error: E }
  | { readonly ok: 'cancelled' };

export interface Answer<R, E> {
  readonly outcome: Outcome<R, E>;
  /** The request's number (per document, increasing). */
  readonly id: number;
  /** It became the document's current result (false when a newer one is current already). */
  readonly current: boolean;
  /** Answered from the results, with no run. */
  readonly cached: boolean;
}

export class ModelDocumentState<R, E> {
  private readonly results = new Map<string, R>();
  private readonly running = new Map<string, Promise<Outcome<R, E>>>();
  private nextId = 0;
  private appliedId = 0;
  /** Bumped by invalidate(): runs started before a change of the file are not kept. */
  private generation = 0;
  /** Worker runs started for this document (tests count them). */
  runs = 0;
  current: { readonly key: string; readonly report: R; readonly id: number } | undefined;

  constructor(private readonly run: (key: string) => Promise<Outcome<R, E>>) {}

  /** The result for `key`, if one is known. */
  cachedReport(key: string): R | undefined {
    return this.results.get(key);
  }

  async request(key: string): Promise<Answer<R, E>> {
    const id = ++this.nextId;
    const known = this.results.get(key);
    if (known !== undefined)
      return {
        outcome: { ok: true, report: known },
        id,
        current: this.apply(id, key, known),
        cached: true,
      };
    const generation = this.generation;
    let p = this.running.get(key);
    if (!p) {
      this.runs++;
      p = this.run(key).finally(() => {
        if (this.running.get(key) === p) this.running.delete(key);
      });
      this.running.set(key, p);
    }
    const outcome = await p;
    if (outcome.ok !== true) return { outcome, id, current: false, cached: false };
    // a result of the file as it was before a change is shown to its asker, never kept
    if (generation === this.generation) this.results.set(key, outcome.report);
    return { outcome, id, current: this.apply(id, key, outcome.report), cached: false };
  }

  private apply(id: number, key: string, report: R): boolean {
    if (id < this.appliedId) return false;
    this.appliedId = id;
    this.current = { key, report, id };
    return true;
  }

  /** The file changed on disk: every result is stale. */
  invalidate(): void {
    this.generation++;
    this.results.clear();
    this.running.clear();
  }
}
