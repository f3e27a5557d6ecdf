import type { BlockShape } from '../blocks/blockGrid';

import type { Criterion } from '../blocks/blockScores';

/** The channels of one per-core weight chunk on an array: Co output x Ci input channels. */
export interface ChunkShape {
  readonly co: number;
  readonly ci: number;
}

/** per layer: every layer gets the target; global: one threshold over normalised scores. */
export type Scope = 'layer' | 'global';

export interface SparsifyOptions {
  /** Fraction of each sparsifiable layer's blocks that end up zero, 0 … 0.95. */
  readonly target: number;
  readonly block: BlockShape;
  readonly criterion: Criterion;
  readonly scope: Scope;
  /** Keep at least one non-zero block in every block-row and block-column. */
  readonly keepRowsCols: boolean;
  /** Layer names or glob patterns (* and ?) left alone. */
  readonly skip: readonly string[];
  /** Per-layer targets (name or glob → ratio), overriding `target` for the layers they match. */
  readonly targets: readonly (readonly [string, number])[];
  /**
   * Global scope: no layer is zeroed past this fraction of its blocks (one threshold over all
   * layers would otherwise empty the layers whose weights are small: ResNet-50 layer1.0.conv2
   * kept 3 of 64 blocks at 75%).
   */
  readonly maxLayerRatio: number;
  /**
   * Balanced Sparsify: per layer, the chunk every core of the chosen array holds. Each chunk
   * then gets the layer's target on its own (lowest scores first within it), so no core keeps
   * more non-zero blocks than its share. Layers without an entry are selected as usual.
   */
  readonly chunks?: ReadonlyMap<string, ChunkShape>;
}

/** The global scope's per-layer ceiling by default. */
export const DEFAULT_MAX_LAYER_RATIO = 0.9;

export const MAX_TARGET = 0.95;

/** The paper's scheme: 50% of 8x8 blocks per layer by L2 norm, no constraints. */
export const DEFAULT_SPARSIFY_OPTIONS: SparsifyOptions = {
  target: 0.5,
  block: { out: 8, in: 8 },
  criterion: 'l2',
  scope: 'layer',
  keepRowsCols: false,
  skip: [],
  targets: [],
  maxLayerRatio: DEFAULT_MAX_LAYER_RATIO,
};

/** True when `name` matches a layer name or a glob pattern with * and ?. */
export function matchesPattern(name: string, pattern: string): boolean {
  if (!/[*?]/.test(pattern)) return name === pattern;
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return re.test(name);
}

/**
 * Parses a per-layer targets file: one `name ratio` per line, `#` comments, blank lines.
 * Returns the entries, or the first problem with its line number.
 */
export function parseTargetsFile(text: string): (readonly [string, number])[] | string {
  const out: (readonly [string, number])[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/#.*/, '').trim();
    if (!line) continue;
    const m = /^(\S+)\s+([0-9]*\.?[0-9]+)$/.exec(line);
    if (!m) return `line ${i + 1}: expected 'layer-name ratio'`;
    const ratio = Number(m[2]);
    if (!(ratio >= 0 && ratio <= MAX_TARGET))
      return `line ${i + 1}: ratio ${m[2]} is outside 0 … ${MAX_TARGET}`;
    out.push([m[1], ratio]);
  }
  return out;
}
