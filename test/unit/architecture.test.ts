import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { builtinModules } from 'node:module';

/** Every .ts file under a folder. */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Static imports, re-exports, dynamic import() and require() specifiers of a file. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specs: string[] = [];
  const patterns = [
    /\bfrom\s+['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /^\s*import\s+['"]([^'"]+)['"]/gm,
  ];
  for (const re of patterns) for (const m of text.matchAll(re)) specs.push(m[1]);
  return specs;
}

/** Top-level area of a resolved import: 'src/core', 'src/node', ..., 'webview', or 'npm:<name>' / 'builtin'. */
function areaOf(file: string, spec: string): string {
  if (!spec.startsWith('.')) {
    const bare = spec.replace(/^node:/, '');
    if (spec.startsWith('node:') || builtinModules.includes(bare.split('/')[0])) return 'builtin';
    return `npm:${spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]}`;
  }
  const rel = path.relative(process.cwd(), path.resolve(path.dirname(file), spec)).split(path.sep);
  return rel[0] === 'src' ? `src/${rel[1]}` : rel[0];
}

const ALLOWED: Record<string, (area: string, spec: string, file: string) => boolean> = {
  // the graph layout (issue 15) is dagre's: pure and deterministic, so it may sit in core
  'src/core': (a, _s, f) =>
    a === 'src/core' ||
    (a === 'npm:protobufjs' && f.includes(`${path.sep}onnx${path.sep}`)) ||
    (a === 'npm:@dagrejs/dagre' && f.endsWith('graphLayout.ts')),
  // datasets.ts decodes evaluation data with maintained pure-JS libraries (issue 12)
  'src/node': (a, _s, f) =>
    ['src/core', 'src/node', 'builtin', 'npm:onnxruntime-node'].includes(a) ||
    (a === 'npm:onnxruntime-web' && f.endsWith('onnxRuntime.ts')) ||
    (['npm:npyjs', 'npm:pngjs', 'npm:jpeg-js'].includes(a) && f.endsWith(`datasets.ts`)),
  'src/cli': (a) => ['src/core', 'src/node', 'src/cli', 'builtin'].includes(a),
  'src/shared': (a) => ['src/core', 'src/shared'].includes(a),
  'src/extension': (a) =>
    ['src/core', 'src/node', 'src/shared', 'src/extension', 'builtin', 'npm:vscode'].includes(a),
  // the webview's UI controls (issue 5) are registered once, by its entry point
  webview: (a, _s, f) =>
    ['webview', 'src/shared'].includes(a) ||
    (a === 'npm:@vscode-elements/elements' && f.endsWith(`webview${path.sep}main.ts`)),
};

/** src/core folders by dependency level, as the ESLint config enforces them (one list, shared). */
const CORE_LEVELS: readonly (readonly string[])[] = JSON.parse(
  fs.readFileSync(path.join('scripts', 'coreLevels.json'), 'utf8'),
);

/** The src/core folder of a file, or '' for the root files (diagnostics, units, ...). */
function coreFolder(file: string): string {
  const rel = path.relative(path.resolve('src', 'core'), path.resolve(file)).split(path.sep);
  return rel.length > 1 ? rel[0] : '';
}

function levelOf(folder: string): number {
  return folder === '' ? -1 : CORE_LEVELS.findIndex((l) => l.includes(folder));
}

describe('architecture (ARCHITECTURE.md rules 1 and 2)', () => {
  it('every src/core folder has a dependency level; each imports only lower levels', () => {
    const folders = fs
      .readdirSync(path.join('src', 'core'), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    assert.deepEqual(
      folders.filter((f) => levelOf(f) < 0),
      [],
    );
    const bad = sources(path.join('src', 'core')).flatMap((f) => {
      const from = coreFolder(f);
      return importsOf(f)
        .filter((s) => s.startsWith('.'))
        .map((s) => path.resolve(path.dirname(f), s))
        .filter((target) => {
          const to = coreFolder(target);
          return to !== from && to !== '' && !(levelOf(to) < levelOf(from));
        })
        .map((target) => `${f} → ${path.relative(process.cwd(), target)}`);
    });
    assert.deepEqual(bad, []);
  });

  for (const [folder, allowed] of Object.entries(ALLOWED)) {
    it(`${folder} imports only what it may`, () => {
      const files = sources(folder);
      assert.ok(files.length > 0);
      const bad = files.flatMap((f) =>
        importsOf(f)
          .filter((s) => !allowed(areaOf(f, s), s, f))
          .map((s) => `${f}: ${s}`),
      );
      assert.deepEqual(bad, []);
    });
  }

  it('only src/extension imports vscode; only webview/vscodeApi.ts calls acquireVsCodeApi', () => {
    const all = [...sources('src'), ...sources('webview')];
    const vscodeUsers = all.filter((f) => importsOf(f).includes('vscode'));
    assert.ok(
      vscodeUsers.every((f) => f.startsWith(path.join('src', 'extension'))),
      vscodeUsers.join(', '),
    );
    const apiCallers = all.filter((f) => /acquireVsCodeApi\s*\(/.test(fs.readFileSync(f, 'utf8')));
    assert.deepEqual(apiCallers, [path.join('webview', 'vscodeApi.ts')]);
  });

  it('core is deterministic: no clocks, no Math.random, no timers', () => {
    const offenders = sources('src/core').filter((f) =>
      /\b(Date\.now|new Date\(|Math\.random|setTimeout|setInterval|performance\.now)\b/.test(
        fs.readFileSync(f, 'utf8'),
      ),
    );
    assert.deepEqual(offenders, []);
  });

  it('the webview never parses strings as HTML or code (model names reach it)', () => {
    const sink =
      /\.(innerHTML|outerHTML|srcdoc)\s*[+]?=|insertAdjacentHTML|document\.write|\beval\s*\(|new Function\b|createContextualFragment|setAttribute\(\s*['"](on\w+|style|srcdoc)['"]/;
    const offenders = [...sources('webview'), ...sources('src/shared')].filter((f) =>
      sink.test(fs.readFileSync(f, 'utf8')),
    );
    assert.deepEqual(offenders, []);
    // the pattern itself catches what it is for
    for (const bad of ['td.innerHTML = name', "el.insertAdjacentHTML('beforeend', s)", 'eval(x)'])
      assert.ok(sink.test(bad), bad);
  });

  it('the checker itself catches a forbidden import', () => {
    // a compiler file may use the analysis, never the estimate; siblings of a level never meet
    assert.ok(levelOf('analysis') < levelOf('compiler'));
    assert.ok(!(levelOf('estimate') < levelOf('compiler')));
    assert.equal(levelOf('analysis'), levelOf('sparsify'));
    assert.equal(coreFolder('src/core/compiler/lower.ts'), 'compiler');
    assert.equal(coreFolder('src/core/diagnostics.ts'), '');
    assert.equal(areaOf('src/core/x.ts', 'node:fs'), 'builtin');
    assert.equal(ALLOWED['src/core']('builtin', 'node:fs', 'src/core/x.ts'), false);
    assert.equal(areaOf('src/core/x.ts', '../extension/y'), 'src/extension');
    assert.equal(ALLOWED['src/core']('src/extension', '../extension/y', 'src/core/x.ts'), false);
  });
});
