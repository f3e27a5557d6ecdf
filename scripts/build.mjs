// Bundles the extension, its worker, the CLI and the webview with esbuild.
// `node scripts/build.mjs --watch` rebuilds on change; --minify for packaging.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify');

const common = {
  bundle: true,
  sourcemap: 'linked',
  minify,
  logLevel: 'warning',
  define: { BLOCKSPARSE_VERSION: JSON.stringify(pkg.version) },
};

const nodeCommon = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['onnxruntime-node'],
};

const builds = [
  {
    ...nodeCommon,
    entryPoints: { extension: 'src/extension/extension.ts' },
    external: ['vscode', 'onnxruntime-node'],
    outdir: 'dist',
  },
  { ...nodeCommon, entryPoints: { analysisWorker: 'src/node/analysisWorker.ts' }, outdir: 'dist' },
  { ...nodeCommon, entryPoints: { sparsifyWorker: 'src/node/sparsifyWorker.ts' }, outdir: 'dist' },
  { ...nodeCommon, entryPoints: { evaluateWorker: 'src/node/evaluateWorker.ts' }, outdir: 'dist' },
  {
    ...nodeCommon,
    entryPoints: { modelTextWorker: 'src/node/modelTextWorker.ts' },
    outdir: 'dist',
  },
  { ...nodeCommon, entryPoints: { sampleWorker: 'src/node/sampleWorker.ts' }, outdir: 'dist' },
  { ...nodeCommon, entryPoints: { cli: 'src/cli/bin.ts' }, outdir: 'dist' },
  // `analyze` alone, a third of the CLI: bin/blocksparse.js loads it for that command
  { ...nodeCommon, entryPoints: { 'cli-analyze': 'src/cli/analyzeBin.ts' }, outdir: 'dist' },
  {
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: { webview: 'webview/main.ts' },
    outdir: 'dist',
  },
];

// ONNX Runtime's WebAssembly build (onnxruntime-web), next to the bundles that load it: it runs
// verification and evaluation from the installed VSIX, where onnxruntime-node is not shipped
mkdirSync('dist/ort', { recursive: true });
for (const f of ['ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm'])
  copyFileSync(`node_modules/onnxruntime-web/dist/${f}`, `dist/ort/${f}`);

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  console.log('watching for changes…');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
