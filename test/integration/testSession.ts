/**
 * One set of extension-host tests, two hosts: what the code-server harness (harness.ts) and the
 * desktop launcher (@vscode/test-electron, desktop.ts) both need — the workspace the suites
 * expect, the user settings of a test session and the bundle of the test entry and suites.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { inceptionV3, resnet50, resnetMini } from '../fixtures/models';

/** The PyTorch source of the ResNet-mini fixture, for the jump-to-source tests. */
export const NET_PY = `import torch.nn as nn


class Stem(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 3, padding=1)


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(16, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 16, 3, padding=1)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = Stem()
        self.block0 = Block()
        self.block1 = Block()
        self.fc = nn.Linear(32, 10)
`;

/** The files the suites and browser checks open (Restricted Mode: the small ones). */
export function writeWorkspace(workspace: string, restricted: boolean): void {
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(path.join(workspace, 'mini.onnx'), resnetMini({ zeroFraction: 0 }).bytes);
  if (!restricted) {
    // full-size models for the first-paint and tab-switch timings and the Graph tab
    fs.writeFileSync(path.join(workspace, 'resnet50.onnx'), resnet50({ zeroFraction: 0.5 }).bytes);
    fs.writeFileSync(
      path.join(workspace, 'inception-v3.onnx'),
      inceptionV3({ zeroFraction: 0.5 }).bytes,
    );
  }
  fs.writeFileSync(path.join(workspace, 'net.py'), NET_PY);
}

/**
 * A test session's user settings: nothing phones home (there is no network, and an extension
 * host's unhandled DNS error would land in whatever test runs at that moment), the walkthrough
 * does not open over the suites' editors, and Restricted Mode without the trust prompt.
 */
export function sessionSettings(restricted: boolean): Record<string, unknown> {
  return {
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'update.mode': 'none',
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    ...(restricted
      ? {
          'security.workspace.trust.enabled': true,
          'security.workspace.trust.startupPrompt': 'never',
          'security.workspace.trust.emptyWindow': false,
        }
      : {}),
  };
}

/** Bundles the test entry (runner.js) and the suites into `outdir`; vscode and mocha stay out. */
export async function buildTestBundle(outdir: string): Promise<void> {
  await esbuild.build({
    entryPoints: {
      runner: path.join(__dirname, 'runner.ts'),
      suites: path.join(__dirname, 'suites.ts'),
      restrictedSuites: path.join(__dirname, 'restrictedSuites.ts'),
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha', './suites.js', './restrictedSuites.js'],
    outdir,
    logLevel: 'warning',
  });
}
