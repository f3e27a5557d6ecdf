import * as vscode from 'vscode';
import type { ModelViewReport } from '../core/report/modelViewReport';

/** The status bar item: chosen array and the active model's estimate; click picks an array. */
export class EstimateStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'blockSparse.estimate',
    vscode.StatusBarAlignment.Right,
    100,
  );

  /** Who shows the estimate now (a panel): another one hiding must not take it away. */
  private owner: object | undefined;

  constructor() {
    this.item.name = 'Block Sparse estimate';
    this.item.command = 'blockSparse.pickArchitecture';
  }

  /** Shows the estimate of the model whose view is active (`owner`: that view). */
  show(owner: object, file: string, arch: string, report: ModelViewReport | undefined): void {
    this.owner = owner;
    const { dense, sparse } = report?.simulation?.modes ?? {};
    const ms = (s: number) => (s * 1e3).toFixed(2);
    this.item.text =
      dense && sparse
        ? `$(circuit-board) ${arch}: ${ms(dense.seconds)} → ${ms(sparse.seconds)} ms`
        : `$(circuit-board) ${arch}`;
    this.item.tooltip =
      dense && sparse
        ? `${file} on ${arch}: ${ms(dense.seconds)} ms computing the zero blocks, ${ms(sparse.seconds)} ms skipping them ` +
          `(${(dense.seconds / sparse.seconds).toFixed(2)}x). Click to choose another array.`
        : `Estimates are for ${arch}. Click to choose another array.`;
    this.item.show();
  }

  /** Hides the estimate, if `owner` is the view that shows it. */
  hide(owner: object): void {
    if (owner !== this.owner) return;
    this.owner = undefined;
    this.item.hide();
  }

  dispose(): void {
    this.item.dispose();
  }
}
