/**
 * The seeded mutation fuzzer: `npm run fuzz -- --cases 10000 [--seed 1] [--timeout 20000]`.
 * Cases run in worker threads (one per core); a case that does not finish within the timeout
 * is a hang (its worker is terminated and replaced), an exception or a broken promise is a
 * crash, a worker that dies (out of memory) is a crash too. Prints the counts, the diagnostics
 * by code and every crash or hang; writes those cases under test/fuzz/found/ so they can
 * become regression fixtures (test/fuzz/regressions/). Exit 1 when any crash or hang was seen.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { CaseGenerator } from './fuzzCase';
import type { CaseReport, CaseRequest } from './fuzzWorker';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    timeout: { type: 'string', default: '20000' },
    workers: { type: 'string' },
    found: { type: 'string', default: 'test/fuzz/found' },
    summary: { type: 'string' },
  },
});
const cases = Number(values.cases);
const seed = Number(values.seed);
const timeoutMs = Number(values.timeout);
const workerCount = Math.max(1, Number(values.workers ?? Math.min(2, os.availableParallelism())));

interface Problem {
  readonly kind: 'crash' | 'hang';
  readonly index: number;
  readonly entry: string;
  readonly message: string;
}

const byCode = new Map<string, number>();
const byMutator = new Map<string, number>();
const problems: Problem[] = [];
let done = 0;
let withResult = 0;
let withDiagnostic = 0;
let next = 0;
const started = performance.now();
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bss-fuzz-'));
const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

function record(r: CaseReport): void {
  done++;
  for (const m of r.mutators) bump(byMutator, m);
  for (const c of new Set(r.codes)) bump(byCode, c);
  if (r.crash) problems.push({ kind: 'crash', index: r.index, ...r.crash });
  else if (r.results > 0) withResult++;
  if (r.codes.length > 0) withDiagnostic++;
}

/** One worker slot: runs cases one at a time, replaces its worker after a hang or a death. */
function runSlot(slot: number): Promise<void> {
  return new Promise((resolve) => {
    let worker: Worker;
    let current: number | undefined;
    let timer: NodeJS.Timeout | undefined;
    const dir = path.join(root, `w${slot}`);
    const dispatch = () => {
      if (next >= cases) {
        void worker.terminate().then(() => resolve());
        return;
      }
      const index = next++;
      current = index;
      timer = setTimeout(() => {
        problems.push({
          kind: 'hang',
          index,
          entry: 'one of the entry points',
          message: `over ${timeoutMs} ms`,
        });
        done++;
        restart();
      }, timeoutMs);
      worker.postMessage({ seed, index } satisfies CaseRequest);
    };
    const restart = () => {
      clearTimeout(timer);
      const old = worker;
      old.removeAllListeners();
      void old.terminate();
      start();
    };
    const start = () => {
      worker = new Worker(path.join(__dirname, 'fuzzWorkerBoot.mjs'), {
        workerData: { dir },
        resourceLimits: { maxOldGenerationSizeMb: 4096 },
      });
      worker.on('message', (m: CaseReport | 'ready') => {
        if (m === 'ready') return dispatch();
        clearTimeout(timer);
        record(m);
        if (done % 500 === 0) progress();
        dispatch();
      });
      worker.on('error', (e) => {
        if (current === undefined) throw e;
        problems.push({ kind: 'crash', index: current, entry: 'worker', message: String(e) });
        done++;
        restart();
      });
    };
    start();
  });
}

function progress(): void {
  const s = ((performance.now() - started) / 1000).toFixed(0);
  console.log(`  ${done}/${cases} cases, ${problems.length} problems, ${s} s`);
}

function saveFound(): string[] {
  const generator = new CaseGenerator();
  return problems.map((p) => {
    const c = generator.generate(seed, p.index);
    const dir = path.join(
      values.found ?? 'test/fuzz/found',
      `${p.kind}-seed${seed}-case${p.index}`,
    );
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'model.onnx'), c.bytes);
    for (const [name, data] of c.sideFiles) fs.writeFileSync(path.join(dir, name), data);
    const info = { seed, seedModel: c.seedModel, mutators: c.mutators, ...p };
    fs.writeFileSync(path.join(dir, 'case.json'), JSON.stringify(info, null, 2) + '\n');
    return dir;
  });
}

async function main(): Promise<void> {
  console.log(
    `fuzz: ${cases} cases, seed ${seed}, ${workerCount} workers, timeout ${timeoutMs} ms`,
  );
  await Promise.all(Array.from({ length: workerCount }, (_, i) => runSlot(i)));
  fs.rmSync(root, { recursive: true, force: true });
  const seconds = (performance.now() - started) / 1000;
  const crashes = problems.filter((p) => p.kind === 'crash');
  const hangs = problems.filter((p) => p.kind === 'hang');
  console.log(
    `\ncases: ${done} in ${seconds.toFixed(1)} s (${((seconds * 1000) / done).toFixed(1)} ms each)`,
  );
  console.log(`  ending in a result on at least one entry point: ${withResult}`);
  console.log(`  with diagnostics: ${withDiagnostic}`);
  const peak = process.resourceUsage().maxRSS / 1024;
  console.log(`  peak RSS of the fuzzer, all workers included: ${peak.toFixed(0)} MiB`);
  console.log(`crashes: ${crashes.length}`);
  console.log(`hangs: ${hangs.length}`);
  console.log('\ncases with each diagnostic code:');
  for (const [code, n] of [...byCode].sort()) console.log(`  ${code}  ${n}`);
  console.log('\nmutations applied:');
  for (const [m, n] of [...byMutator].sort((a, b) => b[1] - a[1])) console.log(`  ${m}  ${n}`);
  if (problems.length > 0) {
    const dirs = saveFound();
    console.log('\nproblems (regenerate with the same --seed; saved for regression fixtures):');
    problems.forEach((p, i) => {
      console.log(
        `  ${p.kind} case ${p.index} in ${p.entry}: ${p.message.split('\n').slice(0, 4).join(' | ')}`,
      );
      console.log(`    saved: ${dirs[i]}`);
    });
  }
  const summary = values.summary ?? process.env.BSS_SUMMARY;
  if (summary) {
    // one test for `npm test`'s count: the whole run passes or fails
    const ok = problems.length === 0;
    fs.writeFileSync(summary, JSON.stringify({ passed: ok ? 1 : 0, failed: ok ? 0 : 1 }));
  }
  process.exit(problems.length > 0 ? 1 : 0);
}

void main();
