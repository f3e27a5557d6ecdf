/** The text of `blocksparse --help`. */
export const HELP = `blocksparse: block sparsity of ONNX CNNs for AMD AIE2 accelerators

Usage:
  blocksparse analyze <model.onnx> [options]    per-layer 8x8 block sparsity, MACs, int8 bytes
  blocksparse simulate <model.onnx> [options]   compile for an AIE2 array; dense vs sparse time
  blocksparse sparsify <model.onnx> [options]   zero the weakest 8x8 blocks into a new model
  blocksparse masks <model.onnx> --out F        block masks for PyTorch fine-tuning (safetensors)
  blocksparse finetune-kit --out DIR [--model M]   the PyTorch fine-tuning kit (+ M's masks)
  blocksparse evaluate <model.onnx> [more.onnx] --data D   top-1/top-5 and agreement
  blocksparse diff <a.onnx> <b.onnx> [options]  two models layer by layer, with the differences
  blocksparse archs [--json]                    the built-in arrays and their parameters
  blocksparse --help | -h                       this text
  blocksparse --version                         the version

analyze options:
  --json                  print JSON (layers, totals, diagnostics) instead of a table
  --block OxI             block shape: O output channels x I input channels (default 8x8;
                          e.g. 4x4, 16x16, 8x4 for what-if); each block spans the whole kernel

simulate options:
  --arch NAME             a built-in array (default paper-4x4; see 'blocksparse archs')
  --arch-file FILE        a custom array as JSON: name, columns, rows [, memtilesPerColumn,
                          memtileKiB, memtiles, clockGHz, ddrChannelsPerMemtile,
                          ddrChannelGiBps, memtileCoreGiBps, memtileDmaChannels]
  --mode dense|sparse|both   dense keeps and computes zero blocks; sparse stores and computes
                          only non-zero blocks (default both, with the speedup)
  --precision int8|int16|bf16   bytes per element and MACs per cycle (default int8)
  --json                  print JSON (arch, modes.dense/sparse with layers, speedup, diagnostics)
  --trace FILE            write the timeline as Chrome trace JSON (opens in Perfetto)
  --dump-passes DIR       write each compiler pass's text dump per mode into DIR
  --model paper|refined   paper (default): the paper's estimator, quirks included; refined: a
                          physically plausible estimate, every departure a named assumption,
                          with the ledger paper → refined and "why isn't it faster?"
  --assume NAME=off       refined: switch an assumption off (repeatable or comma-separated):
                          output-compute, kernel-efficiency, busiest-core, serialized-splits,
                          narrow-tensors, classifier-on-array, channels, prefetch, depth-tiling
  --efficiency K=X        refined: kernel efficiency, a fraction of the MAC peak, for conv,
                          depthwise, pool or eltwise (defaults 0.75, 0.25, 0.2, 0.2)

diff options:
  --json                  print JSON (rows with a and b per layer, totals, changed)
  --all                   list every layer, not only those that differ
  --arch, --arch-file, --precision, --model, --assume, --efficiency   as for simulate

sparsify options:
  --target R              fraction of each layer's blocks to zero (default 0.5, at most 0.95)
  --block OxI             block shape (default 8x8)
  --criterion l2|l1|variance   how blocks are scored (default l2)
  --scope layer|global    one target per layer, or one threshold over all layers
  --keep-rows-cols        keep a non-zero block in every block-row and block-column
  --max-layer-ratio R     global scope: no layer past R of its blocks zero (default 0.9); layers
                          above it or with an all-zero block-row/-column are named (BS5007)
  --skip NAMES            layers left dense: names or globs, comma-separated
  --targets FILE          per-layer ratios: 'name ratio' lines (globs, # comments)
  --out FILE              the new model (default <model>.bs<percent>.onnx); --force replaces
  --verify                run both models in ONNX Runtime and compare the outputs
  --masks-out FILE        also write the new model's block masks (see masks)
  --balance ARCH          balanced: every per-core chunk of a layer on ARCH keeps the same
                          number of non-zero blocks (lowest scores first within each chunk);
                          reports the refined speedup with and without, and the norm given up
  --precision P           the precision --balance compiles for (default int8)
  --json                  print JSON

masks options:
  --out FILE              the safetensors file: a uint8 0/1 mask per sparsifiable layer in the
                          PyTorch weight's shape ([Cout, Cin/groups, kh, kw]; Linear [out, in]),
                          keyed <module path>.weight_mask (else the ONNX initializer's name);
                          __metadata__ holds the block shape and, per layer, node, initializer,
                          target, achieved ratio and the weight's SHA-256
  --block OxI             block shape (default 8x8)
  --force                 replace an existing file
  --json                  print JSON

evaluate options:
  --data DIR|FILE.npy     an image folder (one subfolder per class, PNG/JPEG) or inputs [N, ...]
  --labels FILE.npy       class indices [N] for a .npy --data
  --preprocess SPEC       resize=HxW,mean=a/b/c,std=a/b/c,scale=255,layout=nchw|nhwc (images
                          and uint8 arrays; float arrays are fed as they are)
  --limit N               the first N samples
  --json                  print JSON (per model top-1/top-5, agreement)

shape options (analyze, simulate, sparsify):
  --input name=NxCxHxW    size of a graph input with dynamic dims (repeatable)
  --dynamic-dim N         size assumed for dynamic dims not given by --input (default 224;
                          a dynamic batch is always 1)

Conventions (see the AIE2 model): a Conv weight W[Cout, Cin/group, kh, kw] has
ceil(Cout/O) x ceil(Cin/I) blocks per group; a block is zero when all its weights are zero
(for quantized weights: equal to the zero point). Gemm/MatMul weights are 1x1 convolutions.
Compressed int8 bytes = non-zero blocks' weights + 4 B per output channel + 2 B per block.
simulate follows the paper's estimator ("paper" model) exactly unless --model refined.

Exit codes: 0 success, 1 bad command line, 2 the model (or --arch-file) cannot be read.
`;
