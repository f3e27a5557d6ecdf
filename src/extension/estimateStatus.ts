import * as vscode from 'vscode';
import type { ModelViewReport } from '../core/report/modelViewReport';

/** The status bar item: chosen array and the active model's estimate; click picks an array. */
export class EstimateStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'blockSparse.estimate',
    vscode.StatusBarAlignment.Right,
    100,
  );

  constructor() {
    this.item.name = 'Block Sparse estimate';
    this.item.command = 'blockSparse.pickArchitecture';
  }

  /** Shows the estimate of the model whose view is active. */
  show(file: string, arch: string, report: ModelViewReport | undefined): void {
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

  hide(): void {
    this.item.hide();
  }

  dispose(): void {
    this.item.dispose();
  }
}
