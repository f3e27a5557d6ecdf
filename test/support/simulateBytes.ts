import { strict as assert } from 'node:assert';
import {
  analyzeModelWithShapes,
  type AnalyzeOptions,
  type AnalysisWithShapes,
} from '../../src/core/analysis/analyzeModel';
import { PAPER_CHOICES, type CompilerChoices } from '../../src/core/compiler/choices';
import { compilerInputFrom, type CompilerInput } from '../../src/core/compiler/compilerInput';
import type { Coverage } from '../../src/core/estimate/coverage';
import { simulate } from '../../src/core/estimate/simulate';
import type { SimulationReport } from '../../src/core/estimate/simulationReport';
import { decodeModel } from '../../src/core/onnx/decodeModel';
import type { GraphIR } from '../../src/core/onnx/ir';
import { preset } from './compileBytes';

export interface Simulated {
  readonly analysis: AnalysisWithShapes;
  readonly input: CompilerInput;
  readonly graph: GraphIR;
  readonly sim: SimulationReport;
}

/** Decode → analyse → simulate (paper mode on paper-4x4 unless told), without a trace. */
export function simulateBytes(
  bytes: Uint8Array,
  options: AnalyzeOptions = {},
  choices: CompilerChoices = PAPER_CHOICES,
  arch = 'paper-4x4',
): Simulated {
  const model = decodeModel(bytes).model;
  assert.ok(model, 'the model decodes');
  const analysis = analyzeModelWithShapes(model, options);
  const input = compilerInputFrom(model, analysis);
  const sim = simulate(input, { arch: preset(arch), trace: false, choices });
  return { analysis, input, graph: model.graph, sim };
}

/**
 * The coverage invariants: every main-graph node in exactly one class, every MAC of the
 * analysis on the array or on the CPU, every off-array node with a reason.
 */
export function assertCoverageComplete(s: Simulated): Coverage {
  const c = s.sim.coverage;
  assert.equal(c.nodes, s.graph.nodes.length, 'every node is counted');
  assert.equal(
    c.accelerated + c.fused + c.removed + c.cpu + c.unplaced,
    c.nodes,
    'the classes add up to the nodes',
  );
  assert.equal(c.macs, s.analysis.report.totals.macs, "coverage's MACs are analyze's total");
  assert.equal(c.macsAccelerated + c.macsCpu, c.macs, 'every MAC is on the array or the CPU');
  assert.equal(c.offArray.length, c.cpu + c.unplaced, 'every off-array node is listed');
  for (const n of c.offArray) assert.ok(n.reason.length > 0, `${n.name} has a reason`);
  return c;
}
