#!/usr/bin/env node
// Runs the whole test suite with vitest and ends with the plain summary line CI reads:
// `N passed, N failed`. Exits non-zero when any test failed or vitest itself failed.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const resultsFile = '.vitest-results.json';
rmSync(resultsFile, { force: true });
// the vitest of this repository, whether this runs through `pnpm test` or directly with node
const vitestBin = fileURLToPath(new URL('../node_modules/.bin/vitest', import.meta.url));
const vitest = spawnSync(
  vitestBin,
  ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${resultsFile}`, ...process.argv.slice(2)],
  { stdio: 'inherit', shell: process.platform === 'win32' },
);
if (vitest.error) console.error(`Cannot run vitest (${vitestBin}): ${vitest.error.message}. Run pnpm install first.`);
let passed = 0;
let failed = 0;
if (existsSync(resultsFile)) {
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  passed = results.numPassedTests;
  failed = results.numFailedTests;
  // A test file that fails to load has no tests to count: count it as one failure.
  failed += results.testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0).length;
}
if (vitest.status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || vitest.status !== 0 ? 1 : 0);
