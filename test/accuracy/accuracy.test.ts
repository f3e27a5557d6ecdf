import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { analyzeFile } from '../../src/node/analyzeFile';
import { runAsync, run } from '../support/runCli';
import { tempDir } from '../support/tempDir';

/**
 * The paper's accuracy table in miniature, for real: a small CNN trained on Fashion-MNIST in
 * PyTorch (Debian's python3-torch and dataset-fashion-mnist), exported, sparsified at 50% and
 * 75% of 8x8 blocks, evaluated, fine-tuned with the masks held fixed through the kit, re-exported
 * and evaluated again. The classifier (10 outputs) is left dense, as in the paper, whose
 * compiler leaves it to the CPU.
 */
const PYTHON = '/usr/bin/python3';
const SCRIPT = path.resolve('test/accuracy/fashion_mnist.py');

interface TorchStep {
  top1: number;
  applied?: string[];
  after?: Record<string, number>;
}

function python(args: string[], env: Record<string, string> = {}): TorchStep {
  const r = spawnSync(PYTHON, [SCRIPT, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 1 << 24,
  });
  assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as TorchStep;
}

const pct = (v: number) => `${(100 * v).toFixed(2)}%`;

describe('accuracy: Fashion-MNIST, sparsify, fine-tune with the kit, re-export', function () {
  const tmp = tempDir('bss-accuracy-');
  const dir = tmp.dir;
  const file = (f: string) => path.join(dir, f);
  after(() => tmp.remove());

  it('recovers at 50% of 8x8 blocks to within 1 point of dense; masks survive exactly', async () => {
    const torchDense = python(['train', dir]);
    const kit = run(['finetune-kit', '--out', file('kit')]);
    assert.equal(kit.code, 0, kit.err);
    const sparse: Record<string, string> = {};
    for (const r of ['50', '75']) {
      const s = await runAsync([
        'sparsify',
        file('dense.onnx'),
        '--target',
        `0.${r}`,
        '--skip',
        '/fc2/*',
        '--out',
        file(`s${r}.onnx`),
        '--masks-out',
        file(`m${r}.safetensors`),
        '--verify',
      ]);
      assert.equal(s.code, 0, s.err);
      sparse[r] = file(`s${r}.onnx`);
    }
    const env = { BLOCKSPARSE_KIT: file('kit') };
    const torch: Record<string, TorchStep> = {
      ft50: python(['finetune', dir, file('m50.safetensors'), 'ft50'], env),
      ft75: python(['finetune', dir, file('m75.safetensors'), 'ft75'], env),
      ftDense: python(['finetune', dir, 'none', 'ftDense'], env),
    };
    // every sparsifiable layer has a mask; the skipped classifier's is all ones
    assert.deepEqual(torch.ft50.applied, ['conv2', 'conv3', 'fc1', 'fc2']);
    assert.equal(torch.ft50.after?.fc2, 0);
    assert.equal(torch.ft50.after?.conv2, 0.5);

    const models = ['dense', 's50', 's75', 'ft50', 'ft75', 'ftDense'];
    const ev = await runAsync([
      'evaluate',
      ...models.map((m) => file(`${m}.onnx`)),
      '--data',
      file('test_x.npy'),
      '--labels',
      file('test_y.npy'),
      '--json',
    ]);
    assert.equal(ev.code, 0, ev.err);
    const top1 = Object.fromEntries(
      (JSON.parse(ev.out) as { models: { top1: number }[] }).models.map((m, i) => [
        models[i],
        m.top1,
      ]),
    );

    // blocksparse evaluate and PyTorch agree on the same models and data to 0.1 point
    for (const [name, t] of [['dense', torchDense], ...Object.entries(torch)] as const)
      assert.ok(
        Math.abs(top1[name] - t.top1) <= 0.001,
        `${name}: ${top1[name]} vs PyTorch ${t.top1}`,
      );

    // the re-exported fine-tuned models have exactly the masks' zero blocks
    for (const r of ['50', '75']) {
      const a = analyzeFile(sparse[r]);
      const b = analyzeFile(file(`ft${r}.onnx`));
      assert.ok(a.ok && b.ok);
      const masks = (l: (typeof a.report.layers)[number]) => [
        l.name,
        l.zeroBlocks,
        [...l.detail.blockMask],
      ];
      assert.deepEqual(
        b.report.layers.map(masks),
        a.report.layers.map(masks),
        `ft${r}: same zero blocks`,
      );
      const sparsified = b.report.layers.filter((l) => l.zeroBlocks > 0);
      assert.equal(sparsified.length, 3);
      for (const l of sparsified)
        assert.equal(l.zeroBlocks, Math.floor((Number(r) / 100) * l.blocks), l.name);
    }

    const rows = [
      ['dense', top1.dense, top1.ftDense],
      ['50% of 8x8 blocks', top1.s50, top1.ft50],
      ['75% of 8x8 blocks', top1.s75, top1.ft75],
    ] as const;
    console.log(
      [
        '',
        '    Fashion-MNIST top-1 (10,000 test images; 12,000 training images, 5 epochs dense, 3 of fine-tuning)',
        '    model               before fine-tuning   after fine-tuning',
        ...rows.map(
          ([n, b, a]) => `    ${n.padEnd(20)}${pct(b).padStart(12)}${pct(a).padStart(20)}`,
        ),
        '',
      ].join('\n'),
    );
    assert.ok(top1.ft50 >= top1.dense - 0.01, `50%: ${pct(top1.ft50)} vs dense ${pct(top1.dense)}`);
    // and against the dense model fine-tuned just as long (a fair reference, not only a head start)
    assert.ok(top1.ft50 >= top1.ftDense - 0.01, `50%: ${pct(top1.ft50)} vs ${pct(top1.ftDense)}`);
    assert.ok(top1.s50 < top1.ft50, 'fine-tuning recovers what zeroing lost');
  });

  it("the kit's errors name the module: a missing one, a wrong shape, an ONNX-only key", () => {
    const script = [
      'import sys, torch',
      `sys.path.insert(0, ${JSON.stringify(file('kit'))})`,
      'import blocksparse_finetune as bsf',
      'class A(torch.nn.Module):',
      '    def __init__(self, c):',
      '        super().__init__()',
      '        self.conv2 = torch.nn.Conv2d(32, c, 3)',
      'for model, names in ((A(64), None), (A(48), None)):',
      '    try:',
      `        bsf.apply_masks(model, ${JSON.stringify(file('m50.safetensors'))})`,
      '    except (KeyError, ValueError) as e:',
      '        print(type(e).__name__, e)',
      'try:',
      "    bsf._module_path('onnx::Conv_12', None)",
      'except KeyError as e:',
      '    print(type(e).__name__, e)',
    ].join('\n');
    const r = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const [missing, shape, onnxKey] = r.stdout.trim().split('\n');
    assert.match(missing, /^KeyError .*mask 'conv3.weight_mask': the model has no module 'conv3'/);
    assert.match(
      shape,
      /^ValueError mask 'conv2.weight_mask': module 'conv2' has a weight of shape \(48, 32, 3, 3\), the mask is \(64, 32, 3, 3\)/,
    );
    assert.match(onnxKey, /names=\{'onnx::Conv_12': 'the.module.path'\}/);
  });

  it('evaluates an image folder like the same images as an array', async () => {
    // the first 3 test images of each class as 8-bit PNGs in class folders, and as .npy arrays
    const x = readNpy(file('test_x.npy'), Float32Array);
    const y = readNpy(file('test_y.npy'), BigInt64Array);
    const picked: number[] = [];
    for (let c = 0; c < 10; c++)
      for (let i = 0, n = 0; n < 3; i++) {
        if (Number(y[i]) !== c) continue;
        picked.push(i);
        n++;
      }
    const folder = file('images');
    const sub = new Float32Array(picked.length * 784);
    picked.forEach((i, k) => {
      const pixels = x.subarray(i * 784, (i + 1) * 784);
      const png = new PNG({ width: 28, height: 28 });
      for (let p = 0; p < 784; p++) {
        const v = Math.round(pixels[p] * 255);
        png.data.set([v, v, v, 255], 4 * p);
        sub[k * 784 + p] = v / 255;
      }
      const cls = path.join(folder, `class${y[i]}`);
      fs.mkdirSync(cls, { recursive: true });
      fs.writeFileSync(path.join(cls, `${String(k).padStart(3, '0')}.png`), PNG.sync.write(png));
    });
    writeNpy(file('sub_x.npy'), sub, [picked.length, 1, 28, 28], '<f4');
    writeNpy(
      file('sub_y.npy'),
      BigInt64Array.from(picked, (i) => y[i]),
      [picked.length],
      '<i8',
    );
    const a = await runAsync(['evaluate', file('dense.onnx'), '--data', folder, '--json']);
    assert.equal(a.code, 0, a.err);
    const b = await runAsync([
      'evaluate',
      file('dense.onnx'),
      '--data',
      file('sub_x.npy'),
      '--labels',
      file('sub_y.npy'),
      '--json',
    ]);
    assert.equal(b.code, 0, b.err);
    const images = JSON.parse(a.out) as {
      samples: number;
      models: { top1: number; top5: number }[];
      classes: string[];
    };
    const arrays = JSON.parse(b.out) as typeof images;
    assert.equal(images.samples, 30);
    assert.deepEqual(
      images.classes,
      Array.from({ length: 10 }, (_, c) => `class${c}`),
    );
    assert.deepEqual(images.models[0].top1, arrays.models[0].top1);
    assert.deepEqual(images.models[0].top5, arrays.models[0].top5);
    assert.ok(images.models[0].top1 > 0.6, `top-1 ${images.models[0].top1} on 30 images`);
  });
});

/** A C-ordered little-endian .npy (version 1) as numpy writes it. */
function readNpy<T extends Float32Array | BigInt64Array>(
  f: string,
  type: { new (b: ArrayBuffer): T },
): T {
  const bytes = fs.readFileSync(f);
  const start = 10 + bytes.readUInt16LE(8);
  return new type(bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + bytes.length));
}

function writeNpy(f: string, data: Float32Array | BigInt64Array, shape: number[], descr: string) {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')},), }`;
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const prefix = Buffer.alloc(10);
  prefix.write('\x93NUMPY', 0, 'latin1');
  prefix.writeUInt8(1, 6);
  prefix.writeUInt16LE(header.length, 8);
  fs.writeFileSync(
    f,
    Buffer.concat([prefix, Buffer.from(header, 'latin1'), Buffer.from(data.buffer)]),
  );
}
