/**
 * Case generation: case `index` of run `seed` is always the same seed model with the same
 * mutations, so a crash or hang seen once can be regenerated from two numbers.
 */
import { Prng } from '../fixtures/prng';
import { loadCorpus, type SeedModel } from './corpus';
import { mutate } from './mutators';
import { walkWire, type WireField } from './wireWalk';

export interface FuzzCase {
  readonly seedModel: string;
  readonly mutators: string[];
  readonly bytes: Uint8Array;
  readonly sideFiles: ReadonlyMap<string, Uint8Array>;
}

export class CaseGenerator {
  private readonly corpus: SeedModel[] = loadCorpus();
  private readonly fields = new Map<string, WireField[]>();
  private readonly totalWeight = this.corpus.reduce((a, s) => a + s.weight, 0);

  generate(seed: number, index: number): FuzzCase {
    // mix the two numbers so neighbouring cases do not share PRNG streams
    const rng = new Prng(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index, 0xc2b2ae35));
    let r = rng.next() * this.totalWeight;
    let model = this.corpus[this.corpus.length - 1];
    for (const s of this.corpus) {
      r -= s.weight;
      if (r < 0) {
        model = s;
        break;
      }
    }
    let fields = this.fields.get(model.name);
    if (!fields) {
      fields = walkWire(model.bytes);
      this.fields.set(model.name, fields);
    }
    const { bytes, applied } = mutate(model.bytes, fields, rng);
    return { seedModel: model.name, mutators: applied, bytes, sideFiles: model.sideFiles };
  }
}
