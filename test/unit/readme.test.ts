import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { DIAGNOSTIC_CODES } from '../../src/core/diagnostics';

describe('README', () => {
  it('the diagnostic code table lists every code the product emits', () => {
    const table = fs
      .readFileSync('README.md', 'utf8')
      .split('\n')
      .filter((l) => /^\| BS\d{4}/.test(l))
      .join('\n');
    const missing = Object.keys(DIAGNOSTIC_CODES).filter((c) => !table.includes(c));
    assert.deepEqual(missing, []);
  });
});
