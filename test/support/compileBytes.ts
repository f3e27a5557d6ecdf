import { strict as assert } from 'node:assert';
import { analyzeModelWithShapes } from '../../src/core/analysis/analyzeModel';
import type { CompilerChoices } from '../../src/core/compiler/choices';
import { compile, type CompiledNetwork } from '../../src/core/compiler/compile';
import { compilerInputFrom, type CompilerInput } from '../../src/core/compiler/compilerInput';
import type { SparsityMode } from '../../src/core/compiler/network';
import { decodeModel } from '../../src/core/onnx/decodeModel';
import type { AieArchitecture } from '../../src/core/target/architecture';
import { findPreset } from '../../src/core/target/presets';
import type { Precision } from '../../src/core/target/precision';

/** Decodes, analyses and returns the compiler input of model bytes. */
export function compileInputOf(bytes: Uint8Array): CompilerInput {
  const model = decodeModel(bytes).model;
  assert.ok(model);
  return compilerInputFrom(model, analyzeModelWithShapes(model));
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
  choices?: CompilerChoices,
): CompiledNetwork {
  return compile(compileInputOf(bytes), { arch: preset(arch), mode, precision, choices });
}
