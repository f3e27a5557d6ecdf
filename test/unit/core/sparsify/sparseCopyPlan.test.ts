import { strict as assert } from 'node:assert';
import { memoryByteSource, type ByteSource } from '../../../../src/core/onnx/byteSource';
import { joinParts } from '../../../../src/core/onnx/byteSplice';
import { decodeModel, decodeSkeleton } from '../../../../src/core/onnx/decodeModel';
import { readModelSkeleton } from '../../../../src/core/onnx/modelSkeleton';
import { planSparsify } from '../../../../src/core/sparsify/planSparsify';
import { SinglePassCopy } from '../../../../src/core/sparsify/singlePassCopy';
import {
  forEachCopyChunk,
  keptRanges,
  sparseCopyPlan,
} from '../../../../src/core/sparsify/sparseCopyPlan';
import { DEFAULT_SPARSIFY_OPTIONS } from '../../../../src/core/sparsify/sparsifyOptions';
import { metadataTail, writeSparseModel } from '../../../../src/core/sparsify/writeSparseModel';
import { floatTensor, graphModel, node, shuffleNetLike } from '../../../fixtures/foldingModels';
import { inceptionBlock, resnetMini, vggStack } from '../../../fixtures/models';
import { valueInfo } from '../../../fixtures/netBuilder';
import { transposedMatMulModel } from '../../../fixtures/specialModels';

/** Two Convs reading one weight: the second layer's runs land in the first one's patch. */
function sharedWeightModel(): Uint8Array {
  return graphModel({
    nodes: [node('Conv', ['x', 'w'], ['y1']), node('Conv', ['x', 'w'], ['y2'])],
    initializers: [floatTensor('w', [32, 32, 1, 1], 5)],
    inputs: [valueInfo('x', [1, 32, 4, 4])],
    outputs: [valueInfo('y1', [1, 32, 4, 4]), valueInfo('y2', [1, 32, 4, 4])],
  });
}

function filelike(bytes: Uint8Array): ByteSource {
  return {
    ...memoryByteSource(bytes),
    readInto: (offset, target) => target.set(bytes.subarray(offset, offset + target.length)),
  };
}

const METADATA: [string, string][] = [
  ['blocksparse.version', 'test'],
  ['blocksparse.target', '0.5'],
];

/** The sparse model both ways: streamed from the skeleton, and patched in memory. */
function bothWays(bytes: Uint8Array, options = DEFAULT_SPARSIFY_OPTIONS, chunk = 4096) {
  const source = filelike(bytes);
  const skeleton = readModelSkeleton(source, 1)!;
  const streamedModel = decodeSkeleton(skeleton, source).model!;
  const streamedPlan = planSparsify(streamedModel, options);
  const copy = sparseCopyPlan(
    bytes.length,
    skeleton.topLevel,
    streamedPlan.patches,
    METADATA,
    false,
  );
  assert.ok(copy, 'a plain float32 model is written streamed');
  const out: Uint8Array[] = [];
  forEachCopyChunk(source, copy, new Uint8Array(chunk), (b) => out.push(b.slice()));

  const whole = decodeModel(bytes).model!;
  const plan = planSparsify(whole, options);
  const sparse = writeSparseModel(bytes, plan.patches, METADATA, new Map());
  assert.ok(!('code' in sparse));
  return { streamed: joinParts(out), patched: joinParts(sparse.parts), plan, streamedPlan };
}

describe('streamed sparse copy (sparseCopyPlan)', () => {
  for (const [name, bytes] of [
    ['ResNet (mini)', resnetMini({ zeroFraction: 0 }).bytes],
    ['Inception block', inceptionBlock().bytes],
    ['VGG stack', vggStack({ zeroFraction: 0.2 }).bytes],
    ['a MatMul weight through Transpose (a mask, not runs)', transposedMatMulModel(0).bytes],
    ['one weight, two layers (runs of both)', sharedWeightModel()],
  ] as const) {
    it(`${name}: the same bytes as the in-memory writer, chunk boundaries anywhere`, () => {
      for (const chunk of [4096, 1000, 65536]) {
        const { streamed, patched, plan, streamedPlan } = bothWays(
          bytes,
          DEFAULT_SPARSIFY_OPTIONS,
          chunk,
        );
        assert.deepEqual(streamedPlan.layers, plan.layers, 'the same plan from the skeleton');
        assert.ok(plan.patches.size > 0);
        assert.equal(
          Buffer.compare(Buffer.from(streamed), Buffer.from(patched)),
          0,
          `chunk ${chunk}`,
        );
      }
    });
  }

  it('replaces blocksparse.* metadata of a model sparsified before, keeps the rest', () => {
    const once = bothWays(resnetMini({ zeroFraction: 0 }).bytes).streamed;
    const { streamed, patched } = bothWays(once, { ...DEFAULT_SPARSIFY_OPTIONS, target: 0.7 });
    assert.equal(Buffer.compare(Buffer.from(streamed), Buffer.from(patched)), 0);
    const keys = decodeModel(streamed).model!.metadata.map((m) => m.key);
    assert.deepEqual(
      keys.filter((k) => k.startsWith('blocksparse.')),
      METADATA.map(([k]) => k),
      'each key once',
    );
  });

  it('leaves weights it cannot zero in place, and external data, to the in-memory writer', () => {
    for (const bytes of [
      resnetMini({ storage: 'constant', zeroFraction: 0 }).bytes,
      resnetMini({ storage: 'typed', zeroFraction: 0 }).bytes,
    ]) {
      const source = filelike(bytes);
      const skeleton = readModelSkeleton(source, 1)!;
      const plan = planSparsify(decodeSkeleton(skeleton, source).model!, DEFAULT_SPARSIFY_OPTIONS);
      assert.ok(plan.patches.size > 0);
      assert.equal(
        sparseCopyPlan(bytes.length, skeleton.topLevel, plan.patches, METADATA, false),
        undefined,
      );
    }
    const bytes = resnetMini({ zeroFraction: 0 }).bytes;
    const source = filelike(bytes);
    const skeleton = readModelSkeleton(source, 1)!;
    const plan = planSparsify(decodeSkeleton(skeleton, source).model!, DEFAULT_SPARSIFY_OPTIONS);
    assert.equal(
      sparseCopyPlan(bytes.length, skeleton.topLevel, plan.patches, METADATA, true),
      undefined,
    );
  });
});

/** The sparse model in one pass: planned from the skeleton with a SinglePassCopy as the sink. */
function onePass(bytes: Uint8Array, options = DEFAULT_SPARSIFY_OPTIONS, chunk = 4096) {
  const source = filelike(bytes);
  const skeleton = readModelSkeleton(source, 1)!;
  const model = decodeSkeleton(skeleton, source).model!;
  const out: Uint8Array[] = [];
  const keys = new Set(METADATA.map(([k]) => k));
  const copy = new SinglePassCopy(
    source,
    keptRanges(bytes.length, skeleton.topLevel, keys),
    new Uint8Array(chunk),
    (b) => out.push(b.slice()),
  );
  const plan = planSparsify(model, options, undefined, undefined, undefined, copy);
  const written = out.length; // what the sink wrote while planning
  if (plan.streamed) copy.finish(metadataTail(METADATA));
  return { plan, written, bytes: joinParts(out) };
}

describe('single-pass sparse copy (SinglePassCopy, the planner’s sink)', () => {
  const models = [
    ['ResNet (mini)', resnetMini({ zeroFraction: 0 }).bytes],
    ['Inception block', inceptionBlock().bytes],
    ['VGG stack', vggStack({ zeroFraction: 0.2 }).bytes],
    ['ShuffleNet units (grouped convs: bands of each group in place)', shuffleNetLike()],
  ] as const;
  const variants = [
    ['defaults', DEFAULT_SPARSIFY_OPTIONS],
    [
      'L1, keep rows and columns',
      { ...DEFAULT_SPARSIFY_OPTIONS, criterion: 'l1', keepRowsCols: true },
    ],
    ['4x4 blocks at 70%', { ...DEFAULT_SPARSIFY_OPTIONS, block: { out: 4, in: 4 }, target: 0.7 }],
  ] as const;
  for (const [name, bytes] of models)
    for (const [how, options] of variants)
      it(`${name}, ${how}: the in-memory writer's bytes and plan, buffers of any size`, () => {
        const whole = decodeModel(bytes).model!;
        const plan = planSparsify(whole, options);
        const sparse = writeSparseModel(bytes, plan.patches, METADATA, new Map());
        assert.ok(!('code' in sparse));
        const expected = Buffer.from(joinParts(sparse.parts));
        for (const chunk of [4096, 1000, 65536]) {
          const one = onePass(bytes, options, chunk);
          assert.ok(one.plan.streamed, 'written in one pass');
          assert.deepEqual(one.plan.layers, plan.layers, 'the same plan');
          assert.equal(Buffer.compare(Buffer.from(one.bytes), expected), 0, `chunk ${chunk}`);
        }
      });

  it('a model sparsified before: its blocksparse.* entries replaced in one pass too', () => {
    const once = onePass(resnetMini({ zeroFraction: 0 }).bytes).bytes;
    const options = { ...DEFAULT_SPARSIFY_OPTIONS, target: 0.7 };
    const { patched } = bothWays(once, options);
    const one = onePass(once, options);
    assert.ok(one.plan.streamed);
    assert.equal(Buffer.compare(Buffer.from(one.bytes), Buffer.from(patched)), 0);
  });

  it('what one pass cannot write is left to a second, the sink untouched', () => {
    for (const [name, bytes, options] of [
      [
        'global scope',
        resnetMini({ zeroFraction: 0 }).bytes,
        { ...DEFAULT_SPARSIFY_OPTIONS, scope: 'global' },
      ],
      ['one weight, two layers', sharedWeightModel(), DEFAULT_SPARSIFY_OPTIONS],
      [
        'a MatMul weight through Transpose',
        transposedMatMulModel(0).bytes,
        DEFAULT_SPARSIFY_OPTIONS,
      ],
      [
        'Constant-node weights',
        resnetMini({ storage: 'constant', zeroFraction: 0 }).bytes,
        DEFAULT_SPARSIFY_OPTIONS,
      ],
      [
        'float_data weights',
        resnetMini({ storage: 'typed', zeroFraction: 0 }).bytes,
        DEFAULT_SPARSIFY_OPTIONS,
      ],
    ] as const) {
      const one = onePass(bytes, options as typeof DEFAULT_SPARSIFY_OPTIONS);
      assert.equal(one.plan.streamed, false, name);
      assert.equal(one.written, 0, `${name}: nothing written`);
      assert.ok(one.plan.patches.size > 0, `${name}: the plan is whole, for the second pass`);
    }
  });

  it('a weight out of file order, or in bytes the copy drops, is an error, not a wrong file', () => {
    const source = filelike(new Uint8Array(100));
    const write = () => undefined;
    const ordered = new SinglePassCopy(source, [[0, 100]], new Uint8Array(16), write);
    ordered.weight(40, new Uint8Array(8), undefined);
    assert.throws(() => ordered.weight(20, new Uint8Array(8), undefined), /file order/);
    const dropped = new SinglePassCopy(
      source,
      [
        [0, 30],
        [60, 100],
      ],
      new Uint8Array(16),
      write,
    );
    assert.throws(() => dropped.weight(32, new Uint8Array(8), undefined), /outside/);
    assert.throws(() => dropped.weight(56, new Uint8Array(8), undefined), /outside/);
  });
});
