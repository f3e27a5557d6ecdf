import * as vscode from 'vscode';
import { AnalysisService } from './analysisService';
import { InputShapeStore } from './inputShapeStore';
import { ModelDocuments } from './modelDocuments';
import { analyzeModelCommand } from './analyzeModelCommand';
import { MODEL_VIEW_TYPE, ModelEditorProvider } from './modelEditorProvider';
import { sparsifyCommand } from './sparsifyCommand';
import { evaluateAccuracyCommand, exportFinetuneKitCommand } from './trainingCommands';
import { MODEL_TEXT_SCHEME, ModelTextProvider, textUriFor } from './modelTextProvider';
import { targetModel } from './analyzeModelCommand';
import { EstimateStatus } from './estimateStatus';
import { LayerTree } from './layerTree';
import { goToLayerDefinition } from './layerSource';
import { PythonLayerLenses } from './pythonLayerLenses';
import { architectures, invalidateSettings, readSettings } from './settings';
import { COMMAND_IDS, type CommandId } from './commandIds';
import { compareModelsCommand, ModelDiffPanels } from './modelDiffPanels';
import { openSampleCommand } from './sampleCommand';
import { firstRun } from './firstRun';
import { markingStep } from './walkthroughSteps';

/** The settings an estimate depends on (sparsify.* and evaluation.* do not). */
const ESTIMATE_SETTINGS = [
  'architecture',
  'customArchitectures',
  'blockShape',
  'dynamicDim',
  'inputShapes',
  'precision',
  'timeModel',
  'refined',
];

/** Activation stays light: registrations only; every analysis runs later, in a worker. */
/** What activate() returns: for tests, how long activation took and what the sidebar shows. */
export interface BlockSparseApi {
  readonly activationMs: number;
  /** The array and dense/sparse seconds of the model whose view is active, if any. */
  activeEstimate(): { arch: string; model: string; dense: number; sparse: number } | undefined;
  /** Analysis worker runs since activation, or for one model (a tab switch must start none). */
  analysisRuns(uri?: vscode.Uri): number;
  /** Open model-view panels of a file. */
  panelCount(uri: vscode.Uri): number;
  /** Open Compare Models panels. */
  comparisonCount(): number;
  /** The newest estimate any view of a model shows, with the input shapes it was made for. */
  estimateOf(
    uri: vscode.Uri,
  ):
    | { arch: string; dense: number; sparse: number; inputs: (readonly number[] | null)[] }
    | undefined;
  /** What the view's input-shape editor does: keep shapes for one model file. */
  setInputShapes(uri: vscode.Uri, shapes: [string, number[]][]): Thenable<void>;
}

export function activate(context: vscode.ExtensionContext): BlockSparseApi {
  const started = performance.now();
  const shapes = new InputShapeStore(context.workspaceState);
  const service = new AnalysisService(context.extensionUri, shapes);
  const documents = new ModelDocuments(service);
  const output = vscode.window.createOutputChannel('Block Sparse');
  const status = new EstimateStatus();
  const tree = new LayerTree();
  const treeView = vscode.window.createTreeView('blockSparse.layers', { treeDataProvider: tree });
  tree.attach(treeView);
  const editors = new ModelEditorProvider(context.extensionUri, documents, status, tree, shapes);
  const text = new ModelTextProvider(context.extensionUri, documents);
  const diffs = new ModelDiffPanels(context.extensionUri, documents);
  // one table: each contributed command with its handler (CommandId makes a missing one a type error)
  const commands: Record<CommandId, (...args: never[]) => unknown> = {
    'blockSparse.analyzeModel': (arg: unknown) => analyzeModelCommand(arg, documents, output),
    'blockSparse.sparsify': markingStep('sparsified', (arg: unknown) =>
      sparsifyCommand(arg, context.extensionUri, output),
    ),
    'blockSparse.pickArchitecture': pickArchitecture,
    'blockSparse.openAsText': async (arg: unknown) => {
      const uri = await targetModel(arg);
      if (!uri) return;
      let doc = await vscode.workspace.openTextDocument(textUriFor(uri));
      // '*.onnx.txt' selects the language; a model named otherwise (x.ONNX) gets it here
      if (doc.languageId !== 'onnx-text')
        doc = await vscode.languages.setTextDocumentLanguage(doc, 'onnx-text');
      await vscode.window.showTextDocument(doc, { preview: false });
    },
    'blockSparse.revealLayer': (uri: vscode.Uri, layer: string) => editors.reveal(uri, layer),
    'blockSparse.layers.sort': () => tree.pickSort(),
    'blockSparse.layers.filter': () => tree.pickFilter(),
    'blockSparse.goToLayerDefinition': (a?: unknown, b?: unknown) => {
      // from a code lens / the model view: (model uri, layer name); from the sidebar: its row
      const row = a as { layer?: { name: string } } | undefined;
      const model = a instanceof vscode.Uri ? a : tree.current()?.uri;
      const name = typeof b === 'string' ? b : row?.layer?.name;
      return model && name ? goToLayerDefinition(documents, model, name) : undefined;
    },
    'blockSparse.pickLayer': async (uri: vscode.Uri, layers: string[]) => {
      const layer = await vscode.window.showQuickPick(layers, {
        title: 'Several layers are defined here',
      });
      if (layer) await editors.reveal(uri, layer);
    },
    'blockSparse.evaluateAccuracy': markingStep(
      'evaluated',
      (arg: unknown, given?: { compare?: string[] }) =>
        evaluateAccuracyCommand(arg, context.extensionUri, output, given),
    ),
    'blockSparse.exportFinetuneKit': markingStep('evaluated', (arg: unknown) =>
      exportFinetuneKitCommand(arg, output),
    ),
    'blockSparse.compareModels': (arg?: unknown, selection?: unknown) =>
      compareModelsCommand(diffs, arg, selection),
    'blockSparse.openSample': () => openSampleCommand(context),
    // the walkthrough's step: the open model's "Why isn't it faster?" (the sample when none is)
    'blockSparse.showWhy': async () => {
      if (await editors.showTab('why')) return;
      if (await openSampleCommand(context)) await editors.showTab('why');
    },
  };
  context.subscriptions.push(
    service,
    documents,
    diffs,
    output,
    status,
    tree,
    treeView,
    ...COMMAND_IDS.map((id) =>
      vscode.commands.registerCommand(id, commands[id] as (...args: unknown[]) => unknown),
    ),
    vscode.workspace.registerTextDocumentContentProvider(MODEL_TEXT_SCHEME, text),
    vscode.languages.registerDocumentSymbolProvider({ scheme: MODEL_TEXT_SCHEME }, text),
    vscode.languages.registerDefinitionProvider({ scheme: MODEL_TEXT_SCHEME }, text),
    vscode.languages.registerReferenceProvider({ scheme: MODEL_TEXT_SCHEME }, text),
    vscode.languages.registerCodeLensProvider({ scheme: MODEL_TEXT_SCHEME }, text),
    vscode.languages.registerCodeLensProvider({ language: 'python' }, new PythonLayerLenses(tree)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('blockSparse')) return;
      invalidateSettings();
      // only what the estimates depend on re-estimates; the array setting also takes back a
      // view's own array pick (the status bar's "Choose AIE2 Array" applies to every view)
      if (ESTIMATE_SETTINGS.some((k) => e.affectsConfiguration(`blockSparse.${k}`))) {
        editors.refreshAll(e.affectsConfiguration('blockSparse.architecture'));
        diffs.refreshAll();
      }
    }),
    // a hidden model view keeps its page: switching back is instant (no reload, no message
    // round trip); the document behind it means even a restored page never re-analyses
    vscode.window.registerCustomEditorProvider(MODEL_VIEW_TYPE, editors, {
      webviewOptions: { retainContextWhenHidden: true },
      supportsMultipleEditorsPerDocument: true,
    }),
  );
  // measured for the integration tests and the benchmark (target: 50 ms)
  const activationMs = performance.now() - started;
  void firstRun(context).catch((e: Error) => output.appendLine(`first run: ${e.message}`));
  return {
    activationMs,
    analysisRuns: (uri) => documents.runs(uri),
    panelCount: (uri) => editors.panelCount(uri),
    comparisonCount: () => diffs.count(),
    estimateOf: (uri) => {
      const r = documents.latest(uri);
      const { dense, sparse } = r?.simulation?.modes ?? {};
      return r?.simulation && dense && sparse
        ? {
            arch: r.simulation.arch.name,
            dense: dense.seconds,
            sparse: sparse.seconds,
            inputs: r.analysis.model.inputs.map((i) => i.shape),
          }
        : undefined;
    },
    setInputShapes: (uri, s) => shapes.set(uri, s),
    activeEstimate: () => {
      const m = tree.current();
      const { dense, sparse } = m?.report.simulation?.modes ?? {};
      return m && dense && sparse
        ? {
            arch: m.arch,
            model: m.report.simulation?.model.kind ?? 'paper',
            dense: dense.seconds,
            sparse: sparse.seconds,
          }
        : undefined;
    },
  };
}

/** "Block Sparse: Choose AIE2 Array": a quick pick of the presets, saved in the settings. */
async function pickArchitecture(): Promise<void> {
  const current = readSettings().arch;
  const { archs, problems } = architectures();
  if (problems.length)
    void vscode.window.showWarningMessage(`Custom arrays ignored: ${problems.join('; ')}`);
  const picked = await vscode.window.showQuickPick(
    archs.map((a) => ({
      label: a.name,
      description: a.name === current ? 'current' : undefined,
      detail: a.description,
    })),
    { title: 'AIE2 array for the estimates' },
  );
  if (!picked) return;
  const target = vscode.workspace.workspaceFolders
    ? vscode.ConfigurationTarget.Workspace
    : vscode.ConfigurationTarget.Global;
  await vscode.workspace
    .getConfiguration('blockSparse')
    .update('architecture', picked.label, target);
}

export function deactivate(): void {
  // nothing to release beyond context.subscriptions
}
