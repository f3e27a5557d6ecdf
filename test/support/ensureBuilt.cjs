// Mocha root hook: tests that spawn dist/ bundles need a build; `npm test` builds first,
// this covers running mocha on its own.
'use strict';
const { existsSync } = require('node:fs');
const { execFileSync } = require('node:child_process');

exports.mochaGlobalSetup = function () {
  if (!existsSync('dist/cli.js') || !existsSync('dist/analysisWorker.js')) {
    execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  }
};
