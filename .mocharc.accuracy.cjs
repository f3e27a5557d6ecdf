// The accuracy system test: PyTorch training on Fashion-MNIST driven through the CLI (minutes).
module.exports = {
  spec: ['test/accuracy/**/*.test.ts'],
  'node-option': ['import=tsx'],
  require: ['./test/support/ensureBuilt.cjs'],
  reporter: './test/support/summaryReporter.cjs',
  timeout: 900000,
  forbidOnly: true,
  forbidPending: true,
};
