import { diag, type Diagnostic, type DiagnosticCode, type Severity } from '../diagnostics';
import type { AieArchitecture } from '../target/architecture';
import type { Precision } from '../target/precision';
import type { CompilerChoices } from './choices';
import type { SparsityMode } from './network';

/** What every pass may read besides the plan: the target and the choices. */
export interface PassContext {
  readonly arch: AieArchitecture;
  readonly precision: Precision;
  readonly mode: SparsityMode;
  readonly choices: CompilerChoices;
  /**
   * Sparse mode only: layers compiled as in dense mode, zero blocks kept and computed (the
   * paper's nocompression, per layer), because compressing them would make them slower.
   */
  readonly keptDense: ReadonlySet<string>;
  readonly diagnostics: CompileDiagnostics;
}

/** Whether an op is compiled with its zero blocks kept (dense mode, or kept dense in sparse mode). */
export function compiledDense(ctx: PassContext, opName: string): boolean {
  return ctx.mode === 'dense' || ctx.keptDense.has(opName);
}

/** The diagnostics a compilation collects (each problem once, in the order found). */
export class CompileDiagnostics {
  readonly list: Diagnostic[] = [];

  push(
    code: DiagnosticCode,
    severity: Severity,
    message: string,
    node: string | null = null,
  ): void {
    this.list.push(diag(code, severity, message, node));
  }
}
