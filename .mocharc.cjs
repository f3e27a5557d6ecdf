// Unit tests run in plain Node on the TypeScript sources (tsx compiles on the fly).
module.exports = {
  spec: ['test/unit/**/*.test.ts'],
  'node-option': ['import=tsx'],
  require: ['./test/support/ensureBuilt.cjs'],
  reporter: './test/support/summaryReporter.cjs',
  timeout: 60000,
  forbidOnly: true,
  forbidPending: true,
};
