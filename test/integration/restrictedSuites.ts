// The suites of the Restricted Mode session (bundled into the test extension).
import './restricted.itest';
