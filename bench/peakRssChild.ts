// Child process of the benchmark: one whole analysis of a file, then its own peak RSS.
// Peak RSS is read from /proc/self/status (VmHWM): getrusage's maxRSS is inherited from the
// parent across fork/exec on Linux, so it would report the benchmark's own footprint.
import * as fs from 'node:fs';
import { analyzeFile } from '../src/node/analyzeFile';

function peakRssBytes(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // not Linux: fall back below
  }
  return process.resourceUsage().maxRSS * 1024;
}

const baseline = peakRssBytes();
const result = analyzeFile(process.argv[2]);
if (!result.ok) throw new Error(result.error.message);
process.stdout.write(
  JSON.stringify({
    maxRssBytes: peakRssBytes(),
    baselineBytes: baseline,
    layers: result.report.layers.length,
  }),
);
