import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import {
  classHierarchy,
  findModuleDefinitions,
  modulePathOf,
  stackTraceLocation,
} from '../../../../src/core/sourceMap/torchSource';

const FILE = 'test/fixtures/python/resnet_like.py';
const files = [{ file: FILE, text: fs.readFileSync(FILE, 'utf8') }];
const lineOf = (needle: string) => files[0].text.split('\n').findIndex((l) => l.includes(needle));

describe('PyTorch source mapping', () => {
  it('reads the module path torch.onnx encodes in node names', () => {
    assert.deepEqual(modulePathOf('/layer1/layer1.0/conv1/Conv'), {
      module: 'layer1.0.conv1',
      parent: 'layer1.0',
      attr: 'conv1',
    });
    assert.deepEqual(modulePathOf('/layer1/layer1.0/downsample/downsample.0/Conv'), {
      module: 'layer1.0.downsample.0',
      parent: 'layer1.0.downsample',
      attr: '0',
    });
    assert.deepEqual(modulePathOf('/conv1/Conv'), { module: 'conv1', parent: '', attr: 'conv1' });
    assert.deepEqual(modulePathOf('/features/features.0/Conv'), {
      module: 'features.0',
      parent: 'features',
      attr: '0',
    });
    assert.equal(modulePathOf('p2o.Conv.0'), undefined);
    assert.equal(modulePathOf('Conv_12'), undefined);
  });

  it('finds `self.<attr> = nn.X(` lines; a known class narrows the search', () => {
    const conv1 = modulePathOf('/layer1/layer1.0/conv1/Conv');
    assert.ok(conv1);
    const all = findModuleDefinitions(files, conv1);
    assert.deepEqual(
      all.map((l) => l.line).sort((a, b) => a - b),
      [lineOf('self.conv1 = nn.Conv2d(inplanes'), lineOf('self.conv1 = nn.Conv2d(3, 64')].sort(
        (a, b) => a - b,
      ),
    );
    const inBottleneck = findModuleDefinitions(files, conv1, 'Bottleneck');
    assert.deepEqual(
      inBottleneck.map((l) => l.line),
      [lineOf('self.conv1 = nn.Conv2d(inplanes')],
    );
    assert.match(inBottleneck[0].reason, /in class Bottleneck/);
    const fc = modulePathOf('/fc/Gemm');
    assert.ok(fc);
    assert.deepEqual(
      findModuleDefinitions(files, fc).map((l) => l.text),
      ['self.fc = nn.Linear(2048, num_classes)'],
    );
  });

  it('a Sequential index points at the container assignment, never a wrong line', () => {
    const ds = modulePathOf('/layer1/layer1.0/downsample/downsample.0/Conv');
    assert.ok(ds);
    // `self.downsample = downsample` is not a constructor call: no match, rather than a wrong one
    assert.deepEqual(findModuleDefinitions(files, ds), []);
    const missing = modulePathOf('/nothing/Conv');
    assert.ok(missing);
    assert.deepEqual(findModuleDefinitions(files, missing), []);
  });

  it('reads the exporter metadata: innermost user frame and class hierarchy', () => {
    const meta = [
      {
        key: 'pkg.torch.onnx.stack_trace',
        value:
          'File "/home/u/net.py", line 40, in forward\n    x = self.layer1(x)\nFile "/home/u/net.py", line 22, in forward\n    out = self.conv1(x)\nFile "/usr/lib/python3/site-packages/torch/nn/modules/conv.py", line 456, in forward',
      },
      {
        key: 'pkg.torch.onnx.class_hierarchy',
        value:
          "['net.ResNet', 'torch.nn.modules.container.Sequential', 'net.Bottleneck', 'torch.nn.modules.conv.Conv2d']",
      },
    ];
    assert.deepEqual(stackTraceLocation(meta), { file: '/home/u/net.py', line: 21 });
    assert.deepEqual(classHierarchy(meta), ['ResNet', 'Sequential', 'Bottleneck', 'Conv2d']);
    assert.equal(stackTraceLocation([]), undefined);
  });
});
