/**
 * The one message protocol between the extension host and the model webview. Each direction
 * is a discriminated union; each side validates what it receives (isWebviewMessage on the
 * host, isHostMessage in the webview) and drops anything else.
 */
import { PRECISIONS, type Precision } from '../core/target/precision';
import type { ModelViewReport } from '../core/report/modelViewReport';

export { PRECISIONS, type Precision } from '../core/target/precision';

/** The estimate model a view asks for: the paper's estimator or refined mode (its settings). */
export type TimeModelKind = 'paper' | 'refined';
export const TIME_MODELS: readonly TimeModelKind[] = ['paper', 'refined'];
export type { AnalysisReport, LayerReport } from '../core/analysis/analysisReport';
export type { ModelViewReport } from '../core/report/modelViewReport';
export type { SimLayer, SimulationReport } from '../core/estimate/simulationReport';
export type { AssumptionLedger } from '../core/estimate/assumptionLedger';
export type { WhyRow } from '../core/estimate/whyNotFaster';
export type { GraphNode, GraphValue, ModelGraph, WeightSummary } from '../core/report/modelGraph';
export type { BodyLayout, GraphLayout } from '../core/report/graphLayout';
import type { TraceUnits } from '../core/estimate/traceUnits';
export type { TraceUnits } from '../core/estimate/traceUnits';
export { traceOnUnits, unitNames, MEMTILE_LANES } from '../core/estimate/traceUnits';
export { LANES } from '../core/compiler/program';
export {
  changeOf,
  DIFF_HEADS,
  diffCells,
  modelDiff,
  type DiffRow,
  type ModelDiff,
} from '../core/report/modelDiff';

/** The model view's tabs (the host may ask for one: the walkthrough's "Why isn't it faster?"). */
export const VIEW_TABS = [
  'layers',
  'graph',
  'sparsity',
  'memory',
  'timeline',
  'why',
  'ledger',
] as const;
export type ViewTab = (typeof VIEW_TABS)[number];

/** Host → webview. */
export type HostMessage =
  | {
      readonly type: 'report';
      readonly file: string;
      readonly report: ModelViewReport;
      /** The arrays the picker offers, and the one the estimate is for. */
      readonly archs: readonly string[];
      readonly arch: string;
      /** The precision the estimate is for. */
      readonly precision: Precision;
      /** The estimate model it was made with. */
      readonly timeModel: TimeModelKind;
      /** Input shapes chosen for this model file in its view (empty: the settings' defaults). */
      readonly inputShapes: readonly InputShape[];
      /** The analysis only: the estimate is still being computed. */
      readonly partial?: boolean;
    }
  /** Two models compared (Compare Models): b against a, on one array, precision and model. */
  | {
      readonly type: 'diff';
      readonly a: DiffModel;
      readonly b: DiffModel;
      readonly arch: string;
      readonly precision: Precision;
      readonly timeModel: TimeModelKind;
    }
  | { readonly type: 'progress'; readonly done: number; readonly total: number }
  /** Select a layer (from a code lens, the tree or "Go to Layer"): highlight and scroll to it. */
  | { readonly type: 'select'; readonly layer: string }
  /** Show a tab of the model view. */
  | { readonly type: 'showTab'; readonly tab: ViewTab }
  | {
      readonly type: 'error';
      readonly file: string;
      readonly code: string;
      readonly message: string;
    };

/** One side of a comparison: the model file's name and its report. */
export interface DiffModel {
  readonly file: string;
  readonly report: ModelViewReport;
}

/** A graph input's concrete shape, as the view's input-shape editor sets it. */
export type InputShape = readonly [string, readonly number[]];

/** Largest input dimension the editor accepts (the compiler's own limit). */
export const MAX_INPUT_DIM = 1 << 20;

/** Webview → host. */
export type WebviewMessage =
  | { readonly type: 'ready' }
  /** Save the layer table (CSV), the report (JSON) or the timeline (Chrome trace JSON). */
  | {
      readonly type: 'export';
      readonly format: 'csv' | 'json' | 'trace';
      /** The trace's units, as the timeline shows them (every unit when absent). */
      readonly units?: TraceUnits;
    }
  /** Save the graph as an image: SVG text, or PNG as base64. */
  | { readonly type: 'saveImage'; readonly format: 'svg' | 'png'; readonly data: string }
  /** The user selected a layer in the view: the sidebar follows. */
  | { readonly type: 'selected'; readonly layer: string }
  /** Open the Python line that defines a layer (double-click on a row). */
  | { readonly type: 'goToSource'; readonly layer: string }
  /** Keep these input shapes for this model file and re-estimate (empty: back to the settings). */
  | { readonly type: 'setInputShapes'; readonly shapes: readonly InputShape[] }
  /** Re-estimate with another block shape, array, precision or model (omitted: the setting). */
  | {
      readonly type: 'reanalyze';
      readonly block: string;
      readonly arch: string;
      readonly precision?: Precision;
      readonly timeModel?: TimeModelKind;
    };

/** Largest image the view may ask the host to save (characters: SVG text or base64 PNG). */
export const MAX_IMAGE_CHARS = 256 * 1024 * 1024;

const BLOCK = /^\d{1,4}x\d{1,4}$/;
const ARCH = /^[\w.-]{1,64}$/;

/** Validates a message from the webview (an input boundary: never trust its shape). */
export function isWebviewMessage(m: unknown): m is WebviewMessage {
  if (typeof m !== 'object' || m === null) return false;
  const msg = m as Record<string, unknown>;
  switch (msg.type) {
    case 'ready':
      return Object.keys(msg).length === 1;
    case 'reanalyze':
      return (
        Object.keys(msg).length ===
          3 + (msg.precision === undefined ? 0 : 1) + (msg.timeModel === undefined ? 0 : 1) &&
        (msg.precision === undefined || PRECISIONS.includes(msg.precision as Precision)) &&
        (msg.timeModel === undefined || TIME_MODELS.includes(msg.timeModel as TimeModelKind)) &&
        typeof msg.block === 'string' &&
        BLOCK.test(msg.block) &&
        typeof msg.arch === 'string' &&
        ARCH.test(msg.arch)
      );
    case 'setInputShapes':
      return Object.keys(msg).length === 2 && isShapeList(msg.shapes);
    case 'export':
      return (
        Object.keys(msg).length === 2 + (msg.units === undefined ? 0 : 1) &&
        (msg.units === undefined ||
          (msg.format === 'trace' && (msg.units === 'all' || msg.units === 'one'))) &&
        (msg.format === 'csv' || msg.format === 'json' || msg.format === 'trace')
      );
    case 'saveImage':
      return (
        Object.keys(msg).length === 3 &&
        (msg.format === 'svg' || msg.format === 'png') &&
        typeof msg.data === 'string' &&
        msg.data.length > 0 &&
        msg.data.length <= MAX_IMAGE_CHARS &&
        (msg.format === 'svg' ? msg.data.startsWith('<svg') : /^[A-Za-z0-9+/=]+$/.test(msg.data))
      );
    case 'selected':
    case 'goToSource':
      return (
        Object.keys(msg).length === 2 &&
        typeof msg.layer === 'string' &&
        msg.layer.length > 0 &&
        msg.layer.length <= 4096
      );
    default:
      return false;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** At most 64 inputs, names up to 4096 characters, rank 1–8, dims 1 … MAX_INPUT_DIM. */
function isShapeList(v: unknown): v is InputShape[] {
  return (
    Array.isArray(v) &&
    v.length <= 64 &&
    v.every(
      (e) =>
        Array.isArray(e) &&
        e.length === 2 &&
        typeof e[0] === 'string' &&
        e[0].length > 0 &&
        e[0].length <= 4096 &&
        Array.isArray(e[1]) &&
        e[1].length >= 1 &&
        e[1].length <= 8 &&
        e[1].every(
          (d: unknown) =>
            Number.isInteger(d) && (d as number) >= 1 && (d as number) <= MAX_INPUT_DIM,
        ),
    )
  );
}
const isText = (v: unknown, max = 1 << 20): v is string => typeof v === 'string' && v.length <= max;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** The parts of a report the view reads before anything else: the rest follows from them. */
function isReportShape(r: unknown): r is ModelViewReport {
  if (!isRecord(r) || !isRecord(r.analysis)) return false;
  const a = r.analysis;
  const sim = r.simulation;
  return (
    Array.isArray(a.layers) &&
    a.layers.every((l) => isRecord(l) && isText(l.name) && isRecord(l.detail)) &&
    Array.isArray(a.diagnostics) &&
    isRecord(a.model) &&
    isRecord(a.totals) &&
    (sim === null || (isRecord(sim) && isRecord(sim.modes))) &&
    (r.ledger === null || (isRecord(r.ledger) && Array.isArray(r.ledger.steps))) &&
    Array.isArray(r.why)
  );
}

/**
 * Validates a message arriving in the webview. Only the host posts to it, but a webview is a
 * page: a malformed or foreign message must be dropped, not crash the view.
 */
export function isHostMessage(m: unknown): m is HostMessage {
  if (!isRecord(m)) return false;
  switch (m.type) {
    case 'report':
      return (
        isText(m.file, 4096) &&
        isReportShape(m.report) &&
        Array.isArray(m.archs) &&
        m.archs.every((a) => isText(a, 64)) &&
        isText(m.arch, 64) &&
        PRECISIONS.includes(m.precision as Precision) &&
        TIME_MODELS.includes(m.timeModel as TimeModelKind) &&
        isShapeList(m.inputShapes) &&
        (m.partial === undefined || typeof m.partial === 'boolean')
      );
    case 'diff':
      return (
        [m.a, m.b].every((d) => isRecord(d) && isText(d.file, 4096) && isReportShape(d.report)) &&
        isText(m.arch, 64) &&
        PRECISIONS.includes(m.precision as Precision) &&
        TIME_MODELS.includes(m.timeModel as TimeModelKind)
      );
    case 'progress':
      return isCount(m.done) && isCount(m.total);
    case 'select':
      return isText(m.layer, 4096);
    case 'showTab':
      return VIEW_TABS.includes(m.tab as ViewTab);
    case 'error':
      return isText(m.file, 4096) && isText(m.code, 64) && isText(m.message);
    default:
      return false;
  }
}
