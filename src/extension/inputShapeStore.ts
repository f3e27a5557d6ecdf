import * as vscode from 'vscode';

type Shapes = readonly (readonly [string, readonly number[]])[];

const valid = (v: unknown): v is [string, number[]][] =>
  Array.isArray(v) &&
  v.every(
    (e) =>
      Array.isArray(e) &&
      e.length === 2 &&
      typeof e[0] === 'string' &&
      Array.isArray(e[1]) &&
      e[1].every((d: unknown) => Number.isInteger(d) && (d as number) > 0),
  );

/**
 * Input shapes chosen in a model's view, kept per model file in the workspace state: two models
 * with an input of the same name keep their own shapes (a global setting keyed by input name
 * could not).
 */
export class InputShapeStore {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly memento: vscode.Memento) {}

  private key(uri: vscode.Uri): string {
    return `blockSparse.inputShapes:${uri.fsPath}`;
  }

  get(uri: vscode.Uri): Shapes {
    const v = this.memento.get<unknown>(this.key(uri));
    return valid(v) ? v : [];
  }

  async set(uri: vscode.Uri, shapes: Shapes): Promise<void> {
    await this.memento.update(this.key(uri), shapes.length ? shapes : undefined);
    this.changed.fire(uri);
  }
}
