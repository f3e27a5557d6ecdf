import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';
import { decodeModel } from '../../../src/core/onnx/decodeModel';
import { printModel } from '../../../src/core/report/modelText';
import { resnetMini } from '../../fixtures/models';

/** The grammar of the text view, run by the TextMate engine VS Code itself uses. */
async function grammar(): Promise<textmate.IGrammar> {
  const require = createRequire(import.meta.url);
  const wasm = fs.readFileSync(
    path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'),
  );
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (p) => new oniguruma.OnigScanner(p),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async () =>
      textmate.parseRawGrammar(
        fs.readFileSync('syntaxes/onnx-text.tmLanguage.json', 'utf8'),
        'onnx-text.tmLanguage.json',
      ),
  });
  const g = await registry.loadGrammar('source.onnx-text');
  assert.ok(g);
  return g;
}

/** The scopes of every token, as 'text → innermost scope'. */
function tokens(g: textmate.IGrammar, text: string): string[] {
  let stack = textmate.INITIAL;
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const r = g.tokenizeLine(line, stack);
    for (const t of r.tokens) {
      const s = line.slice(t.startIndex, t.endIndex).trim();
      if (s) out.push(`${s} → ${t.scopes[t.scopes.length - 1]}`);
    }
    stack = r.ruleStack;
  }
  return out;
}

describe('the text view’s language: id, TextMate grammar', () => {
  it('package.json contributes the language and its grammar for *.onnx.txt', () => {
    const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
    assert.deepEqual(pkg.contributes.languages[0].filenamePatterns, ['*.onnx.txt']);
    assert.equal(pkg.contributes.grammars[0].scopeName, 'source.onnx-text');
    assert.ok(fs.existsSync(pkg.contributes.grammars[0].path));
  });

  it('colours the printed ResNet-mini: header keys, types, graph, comments, ops, attributes, numbers', async () => {
    const model = decodeModel(resnetMini().bytes).model;
    assert.ok(model);
    const t = tokens(await grammar(), printModel(model).text);
    for (const expected of [
      'ir_version → keyword.other.onnx-text',
      'block-sparse-studio-fixtures → string.quoted.double.onnx-text',
      'main_graph → entity.name.type.graph.onnx-text',
      'float → storage.type.tensor.onnx-text',
      '# /stem/conv/Conv → comment.line.number-sign.onnx-text',
      'Conv → entity.name.function.operator.onnx-text',
      'BatchNormalization → entity.name.function.operator.onnx-text',
      'kernel_shape → variable.parameter.attribute.onnx-text',
      'ints → storage.type.attribute.onnx-text',
      '0.000009999999747378752 → constant.numeric.onnx-text',
    ])
      assert.ok(t.includes(expected), `${expected} (got e.g. ${t.slice(0, 12).join('; ')})`);
    // a tensor name is not an operator: only what follows '=' is
    assert.ok(!t.includes('stem.conv.weight → entity.name.function.operator.onnx-text'));
  });
});
