import type { AnalysisReport } from '../analysis/analysisReport';
import type { AssumptionLedger } from '../estimate/assumptionLedger';
import type { SimulationReport } from '../estimate/simulationReport';
import { whyNotFaster, type WhyRow } from '../estimate/whyNotFaster';
import type { GraphLayout } from './graphLayout';
import type { ModelGraph } from './modelGraph';

/** What the model view, the sidebar and the status bar show for one model. */
export interface ModelViewReport {
  readonly analysis: AnalysisReport;
  /** Dense vs sparse on the chosen array; null when no array is chosen. */
  readonly simulation: SimulationReport | null;
  /** Refined mode: paper → refined, one assumption at a time; null in paper mode. */
  readonly ledger: AssumptionLedger | null;
  /** "Why isn't it faster?" from the estimate's own critical paths, ranked (empty without one). */
  readonly why: readonly WhyRow[];
  /** Every node and value of the model, for the Graph tab; null where the view has none. */
  readonly graph: ModelGraph | null;
  /** The graph's positions; null while they are being computed (they come last). */
  readonly graphLayout: GraphLayout | null;
}

/** The view's report from the analysis and the estimate; "why" is computed from the estimate. */
export function modelViewReport(
  analysis: AnalysisReport,
  simulation: SimulationReport | null,
  ledger: AssumptionLedger | null = null,
  graph: ModelGraph | null = null,
  graphLayout: GraphLayout | null = null,
): ModelViewReport {
  return {
    analysis,
    simulation,
    ledger,
    why: simulation ? whyNotFaster(simulation) : [],
    graph,
    graphLayout,
  };
}
