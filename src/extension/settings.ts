import * as vscode from 'vscode';
import { DEFAULT_BLOCK, parseBlockShape, type BlockShape } from '../core/blocks/blockGrid';
import { parseArchitecture, type AieArchitecture } from '../core/target/architecture';
import { PRECISIONS, type Precision } from '../core/target/precision';
import { ARCHITECTURE_PRESETS, DEFAULT_ARCHITECTURE } from '../core/target/presets';
import {
  ALL_ASSUMPTIONS,
  ASSUMPTION_NAMES,
  DEFAULT_EFFICIENCY,
  PAPER_MODEL,
  type EstimateModel,
  type KernelEfficiency,
} from '../core/estimate/assumptions';
import { TIME_MODELS, type TimeModelKind } from '../shared/protocol';

/** The extension's settings (contributes.configuration), read and validated in one place. */
export interface Settings {
  readonly block: BlockShape;
  readonly dynamicDim: number;
  readonly inputShapes: readonly (readonly [string, readonly number[]])[];
  /** Name of the array estimates are made for (a preset or a custom array). */
  readonly arch: string;
  readonly precision: Precision;
  /** blockSparse.timeModel: the estimate the views show by default. */
  readonly timeModel: TimeModelKind;
  /** Refined mode as blockSparse.refined.* configure it (assumptions and efficiencies). */
  readonly refined: Extract<EstimateModel, { kind: 'refined' }>;
}

/** The estimate model of a kind under the settings. */
export function estimateModel(kind: TimeModelKind, settings: Settings): EstimateModel {
  return kind === 'refined' ? settings.refined : PAPER_MODEL;
}

/** blockSparse.refined.assumptions / .efficiency: unknown keys and bad values fall back. */
function refinedFrom(c: vscode.WorkspaceConfiguration): Settings['refined'] {
  const a = c.get<Record<string, unknown>>('refined.assumptions', {});
  const e = c.get<Record<string, unknown>>('refined.efficiency', {});
  const assumptions = { ...ALL_ASSUMPTIONS };
  for (const n of ASSUMPTION_NAMES) if (typeof a?.[n] === 'boolean') assumptions[n] = a[n];
  const efficiency: Record<keyof KernelEfficiency, number> = { ...DEFAULT_EFFICIENCY };
  for (const k of Object.keys(efficiency) as (keyof KernelEfficiency)[]) {
    const v = e?.[k];
    if (typeof v === 'number' && v > 0 && v <= 1) efficiency[k] = v;
  }
  return { kind: 'refined', assumptions, efficiency };
}

/**
 * Settings are read and validated here only, once per scope until they change (the extension
 * calls invalidateSettings on every blockSparse configuration change): custom arrays are parsed
 * once, not per estimate.
 */
const cache = new Map<string, unknown>();

export function invalidateSettings(): void {
  cache.clear();
}

function cached<T>(kind: string, scope: vscode.Uri | undefined, read: () => T): T {
  const key = `${kind}:${scope?.toString() ?? ''}`;
  if (!cache.has(key)) cache.set(key, read());
  return cache.get(key) as T;
}

/** The presets plus the valid custom arrays of blockSparse.customArchitectures, and the problems. */
export function architectures(scope?: vscode.Uri): {
  archs: AieArchitecture[];
  problems: string[];
} {
  return cached('archs', scope, () => readArchitectures(scope));
}

function readArchitectures(scope?: vscode.Uri): {
  archs: AieArchitecture[];
  problems: string[];
} {
  const custom = vscode.workspace
    .getConfiguration('blockSparse', scope)
    .get<unknown[]>('customArchitectures', []);
  const archs = [...ARCHITECTURE_PRESETS];
  const problems: string[] = [];
  (Array.isArray(custom) ? custom : []).forEach((json, i) => {
    const parsed = parseArchitecture(json, `blockSparse.customArchitectures[${i}]`);
    if (Array.isArray(parsed)) problems.push(...parsed.map((d) => d.message));
    else if (archs.some((a) => a.name === parsed.name))
      problems.push(`blockSparse.customArchitectures[${i}]: '${parsed.name}' is already taken`);
    else archs.push(parsed);
  });
  return { archs, problems };
}

/** An array by name among the presets and custom arrays. */
export function findArchitecture(name: string, scope?: vscode.Uri): AieArchitecture | undefined {
  return architectures(scope).archs.find((a) => a.name === name);
}

export function readSettings(scope?: vscode.Uri): Settings {
  return cached('settings', scope, () => read(scope));
}

function read(scope?: vscode.Uri): Settings {
  const c = vscode.workspace.getConfiguration('blockSparse', scope);
  const block = parseBlockShape(c.get<string>('blockShape', '8x8')) ?? DEFAULT_BLOCK;
  const dyn = c.get<number>('dynamicDim', 224);
  const shapes = c.get<Record<string, unknown>>('inputShapes', {});
  const inputShapes = Object.entries(shapes)
    .filter(
      (e): e is [string, number[]] =>
        Array.isArray(e[1]) && e[1].every((d) => Number.isInteger(d) && d > 0),
    )
    .map(([k, v]) => [k, v] as const);
  const arch = c.get<string>('architecture', DEFAULT_ARCHITECTURE);
  const precision = c.get<string>('precision', 'int8') as Precision;
  const timeModel = c.get<string>('timeModel', 'paper') as TimeModelKind;
  return {
    timeModel: TIME_MODELS.includes(timeModel) ? timeModel : 'paper',
    refined: refinedFrom(c),
    block,
    dynamicDim: Number.isInteger(dyn) && dyn > 0 ? dyn : 224,
    inputShapes,
    arch: findArchitecture(arch, scope) ? arch : DEFAULT_ARCHITECTURE,
    precision: PRECISIONS.includes(precision) ? precision : 'int8',
  };
}
