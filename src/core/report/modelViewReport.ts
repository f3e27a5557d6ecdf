import type { AnalysisReport } from '../analysis/analysisReport';
import type { SimulationReport } from '../estimate/simulationReport';

/** What the model view, the sidebar and the status bar show for one model. */
export interface ModelViewReport {
  readonly analysis: AnalysisReport;
  /** Dense vs sparse on the chosen array; null when no array is chosen. */
  readonly simulation: SimulationReport | null;
}
