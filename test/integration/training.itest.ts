import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import * as vscode from 'vscode';
import { workspace } from './hostSupport';

interface Evaluation {
  runtime: string;
  samples: number;
  classes: string[] | null;
  models: { model: string; top1: number | null; top5: number | null }[];
  agreement: { top1: number }[];
}

describe('training third from the installed VSIX (extension host)', function () {
  this.timeout(120000);

  it('Evaluate Accuracy works on an image folder, on the bundled WebAssembly ONNX Runtime', async () => {
    // 12 RGB images in 3 class folders, for the 32x32 test model
    const folder = path.join(workspace(), 'eval-images');
    for (let i = 0; i < 12; i++) {
      const png = new PNG({ width: 32, height: 32 });
      for (let p = 0; p < 32 * 32; p++)
        png.data.set([(i * 37 + p) % 256, (p * 3) % 256, (i * 11) % 256, 255], 4 * p);
      const dir = path.join(folder, `class${i % 3}`);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${i}.png`), PNG.sync.write(png));
    }
    const config = vscode.workspace.getConfiguration('blockSparse');
    await config.update('evaluation.data', folder, vscode.ConfigurationTarget.Workspace);
    try {
      const model = vscode.Uri.file(path.join(workspace(), 'mini.onnx'));
      const twin = path.join(workspace(), 'eval-images', 'twin.onnx');
      fs.copyFileSync(model.fsPath, twin);
      const e = (await vscode.commands.executeCommand('blockSparse.evaluateAccuracy', model, {
        compare: [twin],
      })) as Evaluation | undefined;
      assert.ok(e, 'the evaluation ran');
      assert.equal(e.runtime, 'onnxruntime-web (WebAssembly)', 'no onnxruntime-node in a VSIX');
      assert.equal(e.samples, 12);
      assert.deepEqual(e.classes, ['class0', 'class1', 'class2']);
      assert.equal(e.models.length, 2);
      const [m] = e.models;
      assert.ok(m.top1 !== null && m.top1 >= 0 && m.top1 <= 1);
      assert.equal(e.agreement[0].top1, 1, 'a model agrees with its copy');
    } finally {
      await config.update('evaluation.data', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('Export Fine-Tuning Kit and the kit files are in the installed extension', async () => {
    const ext = vscode.extensions.getExtension('block-sparse-studio.block-sparse-studio');
    assert.ok(ext);
    for (const f of ['kit/blocksparse_finetune.py', 'kit/README.md', 'dist/evaluateWorker.js'])
      assert.ok(fs.existsSync(path.join(ext.extensionPath, f)), `${f} is in the VSIX`);
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('blockSparse.exportFinetuneKit'));
  });
});
