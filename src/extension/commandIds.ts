/**
 * Every command the extension contributes, once. extension.ts registers a handler for each (a
 * Record over this list, so a missing handler does not compile) and a unit test compares the
 * list with package.json's contributes.commands and the ids its menus use.
 */
export const COMMAND_IDS = [
  'blockSparse.analyzeModel',
  'blockSparse.sparsify',
  'blockSparse.pickArchitecture',
  'blockSparse.openAsText',
  'blockSparse.revealLayer',
  'blockSparse.layers.sort',
  'blockSparse.layers.filter',
  'blockSparse.goToLayerDefinition',
  'blockSparse.pickLayer',
  'blockSparse.evaluateAccuracy',
  'blockSparse.exportFinetuneKit',
  'blockSparse.compareModels',
  'blockSparse.openSample',
  'blockSparse.showWhy',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];
