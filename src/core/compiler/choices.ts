/**
 * The compiler's choices where the paper's compiler and a physically plausible one differ. Paper
 * mode takes PAPER_CHOICES (PAPER-COMPILER.md, rule by rule); the other values were this
 * compiler's own choices before paper mode followed the paper's logs, and are kept, each under a
 * name, for the refined mode (AIE2-MODEL.md §6).
 */
export interface CompilerChoices {
  /**
   * ρ of a weight chunk. 'layer': every chunk at the layer's non-zero block fraction (rule 8);
   * 'busiest-chunk': the densest Co x Ci chunk of the real mask, since the cores of a column
   * finish together.
   */
  readonly density: 'layer' | 'busiest-chunk';
  /**
   * Core-level splits (a core holding several Co chunks or Ci slices). 'free': neither charged
   * nor run as passes (rule 4, the logs' CORE COUT flag); 'serialized': each core chunk is a
   * pass of its own, with its own weight load.
   */
  readonly coreSplits: 'free' | 'serialized';
  /**
   * 'cut': the graph is cut at its first CPU-only node, layout changes (Flatten, Reshape,
   * Transpose, Squeeze, Unsqueeze) included, and what follows runs on the CPU (rule 1);
   * 'on-array': layout changes into vectors vanish and the classifier runs on the array.
   */
  readonly classifier: 'cut' | 'on-array';
  /** A step that does not fit the memtiles is cut into DDR tiles by 'height' (rule 7) or 'width'. */
  readonly ddrTiles: 'height' | 'width';
  /**
   * Depth-wise (sub-graph) tiling, the paper's VGG-16 section: runs of consecutive DDR steps
   * along a chain are tiled together by height, so the tensors between them stay in the
   * memtiles instead of going to DDR and back. The paper's estimator does not (false).
   */
  readonly depthTiling: boolean;
  /**
   * A tensor narrower than the array: 'whole' in one column, the others idle (rule 4), or
   * 'spread' one pixel column per array column (as many columns work as it has pixels).
   */
  readonly narrowTensors: 'whole' | 'spread';
}

export const PAPER_CHOICES: CompilerChoices = {
  density: 'layer',
  coreSplits: 'free',
  classifier: 'cut',
  ddrTiles: 'height',
  depthTiling: false,
  narrowTensors: 'whole',
};

/**
 * Refined mode's choices with every assumption on (see estimate/assumptions.ts, which derives
 * the choices of any mix). DDR tiles stay by height: a physical choice too, and the one depth
 * tiling extends.
 */
export const REFINED_CHOICES: CompilerChoices = {
  density: 'busiest-chunk',
  coreSplits: 'serialized',
  classifier: 'on-array',
  ddrTiles: 'height',
  depthTiling: true,
  narrowTensors: 'spread',
};
