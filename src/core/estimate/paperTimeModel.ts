import { PAPER_RULES, ruleTimeModel } from './ruleTimeModel';
import type { TimeModel } from './timeModel';

/** The paper's estimator (AIE2-MODEL.md §4): the rule time model with every refinement off. */
export const paperTimeModel: TimeModel = ruleTimeModel('paper', PAPER_RULES);
