/**
 * One fuzz case through every entry point the CLI and the extension use: `blocksparse analyze`
 * (table and JSON) and `blocksparse simulate --trace` as a user runs them, the model view
 * report (extension worker), the model as text (extension worker) and sparsify (CLI and
 * extension). Each promises a result or a diagnostic and never an exception;
 * sparsify also promises to leave the input as it was and to write only models it can read back.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findPreset } from '../../src/core/target/presets';
import { DIAGNOSTIC_CODES, type Diagnostic } from '../../src/core/diagnostics';
import { printModel } from '../../src/core/report/modelText';
import { DEFAULT_SPARSIFY_OPTIONS } from '../../src/core/sparsify/sparsifyOptions';
import { runCli } from '../../src/cli/main';
import { loadModelFile } from '../../src/node/analyzeFile';
import { PARTIAL_SUFFIX } from '../../src/node/atomicWrite';
import { modelViewReportFile } from '../../src/node/modelViewReport';
import { sparsifyFile } from '../../src/node/sparsifyFile';

export interface CaseOutcome {
  /** Codes of every diagnostic the entry points returned (errors and warnings). */
  readonly codes: string[];
  /** Entry points that returned a result rather than an error. */
  readonly results: number;
  /** Set when a promise was broken: an exception, a malformed diagnostic, a damaged input. */
  readonly crash?: { readonly entry: string; readonly message: string };
}

const ARCH = findPreset('paper-4x4') ?? failStartup('paper-4x4 preset missing');

function failStartup(why: string): never {
  throw new Error(why);
}

class Broken extends Error {}

function checkDiagnostic(d: Diagnostic | undefined, entry: string): Diagnostic {
  if (!d || !(d.code in DIAGNOSTIC_CODES) || typeof d.message !== 'string' || !d.message) {
    throw new Broken(`${entry}: error without a proper diagnostic: ${JSON.stringify(d)}`);
  }
  return d;
}

/**
 * A file that tells whether anything read it: its access time is set to 1970, and the kernel
 * (relatime, the default) moves it forward on the next read. On a noatime mount it never fires.
 */
export function readTripwire(file: string): { wasRead(): boolean } {
  fs.writeFileSync(file, new Uint8Array(4096).fill(0x3f));
  fs.utimesSync(file, new Date(0), new Date());
  return { wasRead: () => fs.statSync(file).atimeMs > 0 };
}

/** Writes the model (and the files beside it) into `dir` and runs every entry point on it. */
export function runCase(
  dir: string,
  bytes: Uint8Array,
  sideFiles: ReadonlyMap<string, Uint8Array>,
): CaseOutcome {
  fs.rmSync(dir, { recursive: true, force: true });
  const modelDir = path.join(dir, 'model');
  fs.mkdirSync(modelDir, { recursive: true });
  // something for '../secret.bin' to find, were the path checks ever to let it through
  const secret = readTripwire(path.join(dir, 'secret.bin'));
  const file = path.join(modelDir, 'model.onnx');
  fs.writeFileSync(file, bytes);
  for (const [name, data] of sideFiles) fs.writeFileSync(path.join(modelDir, name), data);

  const codes: string[] = [];
  let results = 0;
  const note = (ds: readonly Diagnostic[]) => {
    for (const d of ds) codes.push(checkDiagnostic(d, 'diagnostics').code);
  };
  /** The CLI as a user runs it: exit 0 with output, or exit 2 with a one-line diagnostic. */
  const cli = (args: string[], json = false) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = runCli(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
    if (code === 0) {
      results++;
      if (json) {
        const report = JSON.parse(out.join('\n')) as { diagnostics: Diagnostic[] };
        note(report.diagnostics);
      } else {
        // the table output lists the diagnostics as 'warning BS4002 (node): …'
        for (const m of err.join('\n').matchAll(/\b(?:error|warning|info) (BS\d{4})\b/g))
          codes.push(m[1]);
      }
    } else if (code === 2) {
      const m = /\[(BS\d{4})\]$/.exec(err.join('\n').trim());
      if (!m || !(m[1] in DIAGNOSTIC_CODES))
        throw new Broken(`exit 2 without a diagnostic: ${err.join(' ')}`);
      codes.push(m[1]);
    } else throw new Broken(`blocksparse ${args[0]} exited ${String(code)}: ${err.join(' ')}`);
  };
  const entries: [string, () => void][] = [
    ['blocksparse analyze', () => cli(['analyze', file])],
    ['blocksparse analyze --json', () => cli(['analyze', file, '--json'], true)],
    [
      'blocksparse simulate --trace',
      () => cli(['simulate', file, '--trace', path.join(dir, 'trace.json')]),
    ],
    // refined mode: its own compiler choices (depth tiling, narrow tensors) and the ledger
    ['blocksparse simulate --model refined', () => cli(['simulate', file, '--model', 'refined'])],
    [
      'model view',
      () => {
        const r = modelViewReportFile(file, { block: { out: 8, in: 8 }, arch: ARCH });
        if (r.ok) {
          results++;
          // the extension posts this to the webview: it must survive structured cloning
          structuredClone(r.report);
        } else codes.push(checkDiagnostic(r.error, 'model view').code);
      },
    ],
    [
      'model text',
      () => {
        const loaded = loadModelFile(file);
        if (loaded.ok) {
          results++;
          printModel(loaded.model);
        } else codes.push(checkDiagnostic(loaded.error, 'model text').code);
      },
    ],
    [
      'sparsify',
      () => {
        const out = path.join(modelDir, 'out.onnx');
        const r = sparsifyFile(file, { ...DEFAULT_SPARSIFY_OPTIONS, out });
        if (!Buffer.from(bytes).equals(fs.readFileSync(file))) {
          throw new Broken('sparsify changed its input file');
        }
        if (r.ok === true) {
          results++;
          const back = loadModelFile(out);
          if (!back.ok)
            throw new Broken(`sparsify wrote a model it cannot read: ${back.error.message}`);
        } else if (r.ok === false) codes.push(checkDiagnostic(r.error, 'sparsify').code);
        const left = fs.readdirSync(modelDir).filter((f) => f.endsWith(PARTIAL_SUFFIX));
        if (left.length > 0) throw new Broken(`sparsify left temporary files: ${left.join(', ')}`);
      },
    ],
  ];
  for (const [entry, run] of entries) {
    try {
      run();
      if (secret.wasRead()) throw new Broken('a file outside the model folder was read');
    } catch (e) {
      const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
      return { codes, results, crash: { entry, message } };
    }
  }
  return { codes, results };
}
