// ESLint flat config: typescript-eslint on every folder, plus the dependency rules of
// ARCHITECTURE.md (who may import what), so a wrong import fails the lint, not a review.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import { createRequire } from 'node:module';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'worker_threads',
  'child_process',
  'crypto',
  'util',
  'url',
  'stream',
  'events',
  'buffer',
  'process',
  'fs/promises',
];

/**
 * src/core folders by dependency level (ARCHITECTURE.md; the list lives in scripts/coreLevels.json,
 * shared with the architecture test): a folder imports only folders of a lower level (and the root
 * files of src/core), never a sibling of its own level or anything later.
 */
const CORE_LEVELS = createRequire(import.meta.url)('./scripts/coreLevels.json');

/**
 * What no file of src/core may import. Flat config does not merge two no-restricted-imports
 * entries for one file (the later wins), so each level's rule repeats this list.
 */
const CORE_FORBIDDEN = [
  'vscode',
  ...nodeBuiltins,
  '**/node/**',
  '**/cli/**',
  '**/extension/**',
  '**/shared/**',
  '**/webview/**',
];

function coreLevelRules() {
  return CORE_LEVELS.flatMap((level, i) =>
    level.map((folder) => {
      const later = CORE_LEVELS.slice(i)
        .flat()
        .filter((f) => f !== folder);
      return restrict(
        [`src/core/${folder}/**/*.ts`],
        [...CORE_FORBIDDEN, ...later.map((f) => `**/${f}/**`)],
        `src/core/${folder} may import only ${CORE_LEVELS.slice(0, i).flat().join(', ') || 'the root files of src/core'} (ARCHITECTURE.md: folders by dependency level).`,
      );
    }),
  );
}

/** Import patterns forbidden in a folder. */
function restrict(files, patterns, message) {
  return {
    files,
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
    },
  };
}

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', '.cache/', 'samples/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['webview/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  restrict(
    ['src/core/**/*.ts'],
    CORE_FORBIDDEN,
    'src/core is pure: no vscode, no Node built-ins, no adapters (ARCHITECTURE.md rule 1).',
  ),
  ...coreLevelRules(),
  restrict(
    ['src/node/**/*.ts'],
    ['vscode', '**/cli/**', '**/extension/**', '**/webview/**'],
    'src/node depends only on core (ARCHITECTURE.md rule 1).',
  ),
  restrict(
    ['src/cli/**/*.ts'],
    ['vscode', '**/extension/**', '**/webview/**', '**/shared/**'],
    'src/cli depends only on core and node (ARCHITECTURE.md rule 1).',
  ),
  restrict(
    ['src/shared/**/*.ts'],
    ['vscode', ...nodeBuiltins, '**/node/**', '**/cli/**', '**/extension/**', '**/webview/**'],
    'src/shared holds the protocol only; it may use core types.',
  ),
  restrict(
    ['webview/**/*.ts'],
    ['vscode', ...nodeBuiltins, '**/src/node/**', '**/src/cli/**', '**/src/extension/**'],
    'The webview talks to the host only through src/shared/protocol.ts.',
  ),
  restrict(
    ['src/extension/**/*.ts'],
    ['**/cli/**', '**/webview/**'],
    'The extension uses core, node and shared; never the CLI or the webview sources.',
  ),
);
