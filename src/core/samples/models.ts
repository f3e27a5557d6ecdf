/**
 * The fixture models: ResNet-, Inception- and VGG-shaped graphs at full or reduced width,
 * with planted zero blocks whose counts the builder knows.
 */
import { NetBuilder, type BuilderOptions, type LayerTruth, type Ref } from './netBuilder';

export interface Fixture {
  readonly bytes: Uint8Array;
  readonly externalData: Uint8Array | undefined;
  readonly truths: readonly LayerTruth[];
}

export interface FixtureOptions extends Partial<BuilderOptions> {
  /** Fraction of each layer's blocks planted as zero (the first conv on RGB is left dense). */
  readonly zeroFraction?: number;
  /** Divides every channel count (1 = full width). */
  readonly widthDivisor?: number;
  /** Spatial input size (default 224). */
  readonly size?: number;
}

function finish(b: NetBuilder): Fixture {
  const { bytes, externalData } = b.build();
  return { bytes, externalData, truths: b.truths };
}

function convBnRelu(
  b: NetBuilder,
  x: Ref,
  module: string,
  bn: string,
  cout: number,
  k: number,
  stride: number,
  z: number,
): Ref {
  const y = b.conv(x, { module, cout, k, stride, zeroFraction: z });
  return b.relu(b.batchNorm(y, bn), module.replace(/conv(\d*)$/, 'relu$1'));
}

/** torchvision ResNet-50 v1.5 (stride on the 3x3 conv), BN as separate nodes. */
export function resnet50(opts: FixtureOptions = {}): Fixture {
  const b = new NetBuilder({ seed: 50, ...opts });
  const d = opts.widthDivisor ?? 1;
  const z = opts.zeroFraction ?? 0;
  const size = opts.size ?? 224;
  let x = b.input('input', [1, 3, size, size], ['batch_size', 3, size, size]);
  x = b.conv(x, { module: 'conv1', cout: 64 / d, k: 7, stride: 2, pad: 3 });
  x = b.relu(b.batchNorm(x, 'bn1'), 'relu');
  x = b.maxPool(x, 3, 2, 1);
  const stages: [number, number, number][] = [
    [64, 3, 1],
    [128, 4, 2],
    [256, 6, 2],
    [512, 3, 2],
  ];
  stages.forEach(([width, blocks, stride], si) => {
    for (let i = 0; i < blocks; i++) {
      const m = `layer${si + 1}.${i}`;
      const s = i === 0 ? stride : 1;
      const w = width / d;
      let y = convBnRelu(b, x, `${m}.conv1`, `${m}.bn1`, w, 1, 1, z);
      y = convBnRelu(b, y, `${m}.conv2`, `${m}.bn2`, w, 3, s, z);
      y = b.batchNorm(
        b.conv(y, { module: `${m}.conv3`, cout: 4 * w, k: 1, zeroFraction: z }),
        `${m}.bn3`,
      );
      let shortcut = x;
      if (i === 0) {
        shortcut = b.conv(x, {
          module: `${m}.downsample.0`,
          cout: 4 * w,
          k: 1,
          stride: s,
          pad: 0,
          zeroFraction: z,
        });
        shortcut = b.batchNorm(shortcut, `${m}.downsample.1`);
      }
      x = b.relu(b.add(y, shortcut, m), `${m}.relu`);
    }
  });
  x = b.flatten(b.globalAvgPool(x));
  x = b.gemm(x, 'fc', 1000, z);
  b.output(x);
  return finish(b);
}

/** A small ResNet-style net: conv+BN+ReLU, residual Add, pooling, Gemm head. */
export function resnetMini(opts: FixtureOptions = {}): Fixture {
  const b = new NetBuilder({ seed: 7, ...opts });
  const z = opts.zeroFraction ?? 0.5;
  const size = opts.size ?? 32;
  let x = b.input('image', [1, 3, size, size], ['N', 3, size, size]);
  x = convBnRelu(b, x, 'stem.conv', 'stem.bn', 16, 3, 1, 0);
  for (let i = 0; i < 2; i++) {
    const m = `block${i}`;
    const y = convBnRelu(b, x, `${m}.conv1`, `${m}.bn1`, 16, 3, 1, z);
    const y2 = b.batchNorm(
      b.conv(y, { module: `${m}.conv2`, cout: 16, k: 3, zeroFraction: z }),
      `${m}.bn2`,
    );
    x = b.relu(b.add(y2, x, m), `${m}.relu`);
  }
  x = convBnRelu(b, x, 'down.conv', 'down.bn', 32, 3, 2, z);
  x = b.maxPool(x, 2, 2, 0);
  x = b.flatten(b.globalAvgPool(x));
  x = b.gemm(x, 'fc', 10, z);
  b.output(x);
  return finish(b);
}

/** An Inception-style block: four parallel branches joined by Concat. */
export function inceptionBlock(opts: FixtureOptions = {}): Fixture {
  const b = new NetBuilder({ seed: 3, ...opts });
  const z = opts.zeroFraction ?? 0.25;
  let x = b.input('x', [1, 3, 35, 35]);
  x = b.conv(x, { module: 'Conv2d_1a', cout: 64, k: 3, pad: 1 });
  const b1 = b.conv(x, { module: 'Mixed.branch1x1', cout: 64, k: 1, zeroFraction: z });
  let b5 = b.conv(x, { module: 'Mixed.branch5x5_1', cout: 48, k: 1, zeroFraction: z });
  b5 = b.conv(b5, { module: 'Mixed.branch5x5_2', cout: 64, k: 5, pad: 2, zeroFraction: z });
  let b3 = b.conv(x, { module: 'Mixed.branch3x3dbl_1', cout: 64, k: 1, zeroFraction: z });
  b3 = b.conv(b3, { module: 'Mixed.branch3x3dbl_2', cout: 96, k: 3, zeroFraction: z });
  b3 = b.conv(b3, { module: 'Mixed.branch3x3dbl_3', cout: 96, k: 3, zeroFraction: z });
  let bp = b.avgPool(x, 3, 1, 1);
  bp = b.conv(bp, { module: 'Mixed.branch_pool', cout: 32, k: 1, zeroFraction: z });
  x = b.concat([b1, b5, b3, bp]);
  b.output(x);
  return finish(b);
}

type VggCfg = readonly (number | 'M')[];

/** torchvision's VGG `features`: 3x3 convs with bias + ReLU, 2x2 max pools, torch module names. */
function vggFeatures(b: NetBuilder, x: Ref, cfg: VggCfg, d: number, z: number): Ref {
  let i = 0;
  for (const c of cfg) {
    if (c === 'M') {
      x = b.maxPool(x, 2, 2, 0);
      i += 1;
    } else {
      x = b.conv(x, {
        module: `features.${i}`,
        cout: c / d,
        k: 3,
        bias: true,
        zeroFraction: i === 0 ? 0 : z,
      });
      x = b.relu(x, `features.${i + 1}`);
      i += 2;
    }
  }
  return x;
}

/** A VGG-style stack of 3x3 convs and max pools: VGG-16's first four blocks at reduced width. */
export function vggStack(opts: FixtureOptions = {}): Fixture {
  const b = new NetBuilder({ seed: 16, ...opts });
  const size = opts.size ?? 64;
  const cfg: VggCfg = [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M'];
  const x = b.input('input', [1, 3, size, size]);
  b.output(vggFeatures(b, x, cfg, opts.widthDivisor ?? 8, opts.zeroFraction ?? 0.5));
  return finish(b);
}

/** Grouped and depthwise convs (MobileNet-like): reported, depthwise not sparsifiable. */
export function depthwiseNet(opts: FixtureOptions = {}): Fixture {
  const b = new NetBuilder({ seed: 11, ...opts });
  let x = b.input('x', [1, 3, 16, 16]);
  x = b.conv(x, { module: 'stem', cout: 32, k: 3, stride: 2 });
  x = b.conv(x, { module: 'dw', cout: 32, k: 3, group: 32 });
  x = b.conv(x, { module: 'pw', cout: 64, k: 1, zeroFraction: 0.5 });
  x = b.conv(x, { module: 'grouped', cout: 64, k: 3, group: 4, zeroFraction: 0.25 });
  b.output(x);
  return finish(b);
}

/**
 * torchvision VGG-16 without the FC layers, as in the paper: the features (13 convs, 5 max pools)
 * and the AdaptiveAvgPool2d((7, 7)) before the classifier, which at 224x224 is a 1x1 AveragePool
 * (the paper's logs run it as their last layer).
 */
export function vgg16(opts: FixtureOptions = {}): Fixture {
  const b = new NetBuilder({ seed: 160, ...opts });
  const size = opts.size ?? 224;
  const cfg: VggCfg = [
    64,
    64,
    'M',
    128,
    128,
    'M',
    256,
    256,
    256,
    'M',
    512,
    512,
    512,
    'M',
    512,
    512,
    512,
    'M',
  ];
  const x = b.input('input', [1, 3, size, size], ['batch_size', 3, size, size]);
  const features = vggFeatures(b, x, cfg, opts.widthDivisor ?? 1, opts.zeroFraction ?? 0);
  b.output(b.avgPool(features, 1, 1, 0));
  return finish(b);
}

/** torchvision Inception-v3 (no auxiliary head), 299x299, factorised 1x7/7x1 convs and Concats. */
export function inceptionV3(opts: FixtureOptions = {}): Fixture {
  const b = new NetBuilder({ seed: 299, ...opts });
  const d = opts.widthDivisor ?? 1;
  const z = opts.zeroFraction ?? 0;
  const size = opts.size ?? 299;
  const ch = (c: number) => Math.max(8, c / d);
  const conv = (
    x: Ref,
    module: string,
    cout: number,
    k: number | [number, number],
    stride = 1,
    pad: number | [number, number] = 0,
  ) =>
    b.relu(
      b.batchNorm(
        b.conv(x, {
          module: `${module}.conv`,
          cout: ch(cout),
          k,
          stride,
          pad,
          zeroFraction: module === 'Conv2d_1a_3x3' ? 0 : z,
        }),
        `${module}.bn`,
      ),
      `${module}.relu`,
    );
  const inceptionA = (x: Ref, m: string, pool: number) => {
    const b1 = conv(x, `${m}.branch1x1`, 64, 1);
    const b5 = conv(conv(x, `${m}.branch5x5_1`, 48, 1), `${m}.branch5x5_2`, 64, 5, 1, 2);
    let b3 = conv(x, `${m}.branch3x3dbl_1`, 64, 1);
    b3 = conv(conv(b3, `${m}.branch3x3dbl_2`, 96, 3, 1, 1), `${m}.branch3x3dbl_3`, 96, 3, 1, 1);
    const bp = conv(b.avgPool(x, 3, 1, 1, m), `${m}.branch_pool`, pool, 1);
    return b.concat([b1, b5, b3, bp]);
  };
  const inceptionB = (x: Ref, m: string) => {
    const b3 = conv(x, `${m}.branch3x3`, 384, 3, 2);
    let bd = conv(x, `${m}.branch3x3dbl_1`, 64, 1);
    bd = conv(conv(bd, `${m}.branch3x3dbl_2`, 96, 3, 1, 1), `${m}.branch3x3dbl_3`, 96, 3, 2);
    return b.concat([b3, bd, b.maxPool(x, 3, 2, 0, m)]);
  };
  const inceptionC = (x: Ref, m: string, c7: number) => {
    const b1 = conv(x, `${m}.branch1x1`, 192, 1);
    let b7 = conv(x, `${m}.branch7x7_1`, c7, 1);
    b7 = conv(
      conv(b7, `${m}.branch7x7_2`, c7, [1, 7], 1, [0, 3]),
      `${m}.branch7x7_3`,
      192,
      [7, 1],
      1,
      [3, 0],
    );
    let bd = conv(x, `${m}.branch7x7dbl_1`, c7, 1);
    bd = conv(bd, `${m}.branch7x7dbl_2`, c7, [7, 1], 1, [3, 0]);
    bd = conv(bd, `${m}.branch7x7dbl_3`, c7, [1, 7], 1, [0, 3]);
    bd = conv(bd, `${m}.branch7x7dbl_4`, c7, [7, 1], 1, [3, 0]);
    bd = conv(bd, `${m}.branch7x7dbl_5`, 192, [1, 7], 1, [0, 3]);
    const bp = conv(b.avgPool(x, 3, 1, 1, m), `${m}.branch_pool`, 192, 1);
    return b.concat([b1, b7, bd, bp]);
  };
  const inceptionD = (x: Ref, m: string) => {
    const b3 = conv(conv(x, `${m}.branch3x3_1`, 192, 1), `${m}.branch3x3_2`, 320, 3, 2);
    let b7 = conv(x, `${m}.branch7x7x3_1`, 192, 1);
    b7 = conv(b7, `${m}.branch7x7x3_2`, 192, [1, 7], 1, [0, 3]);
    b7 = conv(b7, `${m}.branch7x7x3_3`, 192, [7, 1], 1, [3, 0]);
    b7 = conv(b7, `${m}.branch7x7x3_4`, 192, 3, 2);
    return b.concat([b3, b7, b.maxPool(x, 3, 2, 0, m)]);
  };
  const inceptionE = (x: Ref, m: string) => {
    const b1 = conv(x, `${m}.branch1x1`, 320, 1);
    const b3 = conv(x, `${m}.branch3x3_1`, 384, 1);
    const b3cat = b.concat([
      conv(b3, `${m}.branch3x3_2a`, 384, [1, 3], 1, [0, 1]),
      conv(b3, `${m}.branch3x3_2b`, 384, [3, 1], 1, [1, 0]),
    ]);
    const bd = conv(conv(x, `${m}.branch3x3dbl_1`, 448, 1), `${m}.branch3x3dbl_2`, 384, 3, 1, 1);
    const bdcat = b.concat([
      conv(bd, `${m}.branch3x3dbl_3a`, 384, [1, 3], 1, [0, 1]),
      conv(bd, `${m}.branch3x3dbl_3b`, 384, [3, 1], 1, [1, 0]),
    ]);
    const bp = conv(b.avgPool(x, 3, 1, 1, m), `${m}.branch_pool`, 192, 1);
    return b.concat([b1, b3cat, bdcat, bp]);
  };
  let x = b.input('x', [1, 3, size, size], ['batch', 3, size, size]);
  x = conv(x, 'Conv2d_1a_3x3', 32, 3, 2);
  x = conv(x, 'Conv2d_2a_3x3', 32, 3);
  x = conv(x, 'Conv2d_2b_3x3', 64, 3, 1, 1);
  x = b.maxPool(x, 3, 2, 0);
  x = conv(x, 'Conv2d_3b_1x1', 80, 1);
  x = conv(x, 'Conv2d_4a_3x3', 192, 3);
  x = b.maxPool(x, 3, 2, 0);
  x = inceptionA(x, 'Mixed_5b', 32);
  x = inceptionA(x, 'Mixed_5c', 64);
  x = inceptionA(x, 'Mixed_5d', 64);
  x = inceptionB(x, 'Mixed_6a');
  x = inceptionC(x, 'Mixed_6b', 128);
  x = inceptionC(x, 'Mixed_6c', 160);
  x = inceptionC(x, 'Mixed_6d', 160);
  x = inceptionC(x, 'Mixed_6e', 192);
  x = inceptionD(x, 'Mixed_7a');
  x = inceptionE(x, 'Mixed_7b');
  x = inceptionE(x, 'Mixed_7c');
  x = b.flatten(b.globalAvgPool(x));
  b.output(b.gemm(x, 'fc', 1000, z));
  return finish(b);
}
