// Mocha root hook: tests that spawn dist/ bundles (CLI, workers) must see the current sources,
// so the bundles are rebuilt once per run (esbuild takes about a second).
'use strict';
const { execFileSync } = require('node:child_process');

exports.mochaGlobalSetup = function () {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
};
