// Browser tests: the built webview bundle in headless Chromium (Debian's /usr/bin/chromium).
module.exports = {
  spec: ['test/browser/**/*.test.ts'],
  'node-option': ['import=tsx'],
  require: ['./test/support/ensureBuilt.cjs'],
  reporter: './test/support/summaryReporter.cjs',
  timeout: 120000,
  forbidOnly: true,
  forbidPending: true,
};
