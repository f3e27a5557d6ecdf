// Mocha's spec reporter plus the closing line CI reads: "N passed, N failed[, N skipped]".
'use strict';
const Mocha = require('mocha');

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, () => passed++);
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, () => failed++);
    runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, () => skipped++);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      // printed after the spec reporter's epilogue
      process.nextTick(() => {
        console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ''));
        // npm test adds these counts to the integration tests' for one closing line
        if (process.env.BSS_SUMMARY)
          require('node:fs').writeFileSync(
            process.env.BSS_SUMMARY,
            JSON.stringify({ passed, failed }),
          );
      });
    });
  }
}

module.exports = SummaryReporter;
