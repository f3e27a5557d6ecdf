import { strict as assert } from 'node:assert';
import { analyzeModelWithShapes } from '../../src/core/analysis/analyzeModel';
import { compile, type CompileInput } from '../../src/core/compiler/compile';
import { compileInputFrom } from '../../src/core/compiler/compileInput';
import type { CompilePlan, SparsityMode } from '../../src/core/compiler/plan';
import { findPreset } from '../../src/core/target/presets';
import { decodeModel } from '../../src/core/onnx/decodeModel';
import type { AieArchitecture } from '../../src/core/target/architecture';
import type { Precision } from '../../src/core/target/precision';

/** Decodes, analyses and returns the compiler input of model bytes. */
export function compileInputOf(bytes: Uint8Array): CompileInput {
  const model = decodeModel(bytes).model;
  assert.ok(model);
  return compileInputFrom(model, analyzeModelWithShapes(model));
}

export function preset(name: string): AieArchitecture {
  const a = findPreset(name);
  assert.ok(a, name);
  return a;
}

/** Compiles model bytes for a preset in one mode. */
export function compileBytes(
  bytes: Uint8Array,
  arch: string,
  mode: SparsityMode,
  precision: Precision = 'int8',
): CompilePlan {
  return compile(compileInputOf(bytes), preset(arch), mode, precision);
}
