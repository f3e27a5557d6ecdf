/**
 * The CLI against the Python tools an engineer would otherwise use, as whole processes on the
 * same machine and files: `blocksparse analyze` against onnx.load + a numpy block scan
 * (python/block_scan.py), `blocksparse sparsify` against onnx.load + numpy zeroing + onnx.save
 * (python/block_sparsify.py). Debian's python3-onnx and python3-numpy; skipped with a note when
 * they are not installed.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resnet50File, vgg16File } from './benchModels';
import { median } from './stats';

const PYTHON = '/usr/bin/python3';
const CLI = path.resolve('bin', 'blocksparse.js');

/**
 * NODE_EXTRA_CA_CERTS makes every Node 20 process read and parse that CA file before its first
 * line runs (nodejs/node#40524; lazy only from Node 25): some machines set it for a proxy, this
 * one among them, where it makes a Node start three times as long. The CLI opens no TLS
 * connection, so the rows are measured both as this machine is and without the variable.
 */
const CA_VARIABLE = 'NODE_EXTRA_CA_CERTS';

/** The environment without CA_VARIABLE. */
function withoutCaVariable(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env[CA_VARIABLE];
  return env;
}

/** Median wall time of a whole process (ms), after one warm-up run. */
function processMs(cmd: string, args: string[], env = process.env, runs = 5): number {
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const t = performance.now();
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
    if (i > 0) times.push(performance.now() - t);
  }
  return median(times);
}

export function benchPythonAnchors(): void {
  console.log('\nWhole processes against the Python tools (medians of 5, same files)');
  const probe = spawnSync(PYTHON, ['-c', 'import onnx, numpy'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    console.log(
      '  skipped: python3 with onnx and numpy is not installed (apt-get install python3-onnx python3-numpy)',
    );
    return;
  }
  const caFile = process.env[CA_VARIABLE];
  const envs: [string, NodeJS.ProcessEnv][] = caFile
    ? [
        [`without ${CA_VARIABLE}`, withoutCaVariable()],
        [`with ${CA_VARIABLE}=${caFile}, as this machine sets it`, process.env],
      ]
    : [['', process.env]];
  const indent = envs.length > 1 ? '    ' : '  ';
  const row = (what: string, ours: number, theirs: number, target: number) =>
    console.log(
      `${indent}${what}: ${ours.toFixed(0)} ms vs Python ${theirs.toFixed(0)} ms = ${(ours / theirs).toFixed(2)}x  ${ours / theirs <= target ? 'ok' : 'OVER TARGET'} (target <= ${target}x)`,
    );
  const scan = path.join('bench', 'python', 'block_scan.py');
  const sparsifyPy = path.join('bench', 'python', 'block_sparsify.py');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bss-anchor-'));
  try {
    const dense = resnet50File(0);
    const out = path.join(dir, 'out.onnx');
    const files = [
      ['ResNet-50 (50% zero blocks)', resnet50File(0.5)],
      ['VGG-16 convolutions (50% zero blocks)', vgg16File()],
    ] as const;
    // Python reads no Node variable: its figures are measured once, beside the first rows
    const python = new Map<string, number>();
    const pythonMs = (key: string, args: string[]) => {
      if (!python.has(key)) python.set(key, processMs(PYTHON, args));
      return python.get(key)!;
    };
    for (const [label, env] of envs) {
      if (label) console.log(`  ${label}:`);
      for (const [name, file] of files) {
        row(
          `analyze ${name}`,
          processMs(process.execPath, [CLI, 'analyze', file], env),
          pythonMs(file, [scan, file]),
          0.5,
        );
      }
      row(
        'sparsify ResNet-50 to 50%',
        processMs(process.execPath, [CLI, 'sparsify', dense, '--out', out, '--force'], env),
        pythonMs('sparsify', [sparsifyPy, dense, out]),
        0.5,
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const floors = envs.map(
    ([label, env]) =>
      `node starting ${processMs(process.execPath, ['-e', ''], env).toFixed(0)} ms${label ? ` (${label.split(',')[0]})` : ''}`,
  );
  const py = processMs(PYTHON, ['-c', 'import onnx, numpy']);
  console.log(
    `  floors: ${floors.join('; ')}; python3 importing onnx and numpy ${py.toFixed(0)} ms`,
  );
}
