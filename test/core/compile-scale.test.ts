/**
 * Compile time grows linearly with the number of marked functions in a file (DESIGN.md §6, issue
 * 19 item 11). Every per-function step that looked at all the file's functions made it quadratic:
 * the functions each marked function reaches were found by building a map of all of them, once per
 * marked function; a function's doc-comment line searched the file's declarations by name; its
 * program entry was found by a scan of all entries; the marks were found by testing every node
 * against every mark; a function's names copied the module's set of taken names.
 *
 * Not a timed test: the work is counted. V8's precise block coverage counts how many times each
 * function and each block of JavaScript ran (Adjoint, ts-morph and TypeScript alike), which does
 * not depend on the machine or its load. Compiling 4 times as many functions runs about 4 times as
 * many blocks when the work is linear (measured 3.9), and 13 times as many with the quadratic steps
 * (at 1,000 functions against 250). test/bench/compile-scale.ts measures the time.
 */
import { compile } from '@adjoint/core';
import { Session } from 'node:inspector/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { manyFunctions } from '../support/source-tree.js';

const session = new Session();

beforeAll(async () => {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
});

afterAll(async () => {
  await session.post('Profiler.stopPreciseCoverage');
  session.disconnect();
});

/** The blocks of JavaScript run (counted by V8, every script) to compile a file of `count` marked functions, which must all be generated. */
async function blocksRun(count: number): Promise<number> {
  // (taking the coverage resets its counters)
  await session.post('Profiler.takePreciseCoverage');
  const result = await compile([{ path: `many${count}.ts`, text: manyFunctions(count) }], { format: false });
  const { result: scripts } = await session.post('Profiler.takePreciseCoverage');
  expect(result.outputs[0]?.functions.length).toBe(count);
  return scripts.reduce((sum, script) => sum + script.functions.reduce((inScript, fn) => inScript + fn.ranges.reduce((inFunction, range) => inFunction + range.count, 0), 0), 0);
}

it('compiling 4 times as many marked functions runs about 4 times as much code', async () => {
  // the first compilation also loads and compiles what any compilation needs
  await blocksRun(150);
  const small = await blocksRun(150);
  const large = await blocksRun(600);
  const ratio = large / small;
  console.log(`compile-scale: 150 functions ran ${small.toLocaleString('en')} blocks, 600 ran ${large.toLocaleString('en')}: ${ratio.toFixed(2)}×`);
  expect(ratio).toBeLessThan(4.6);
}, 600_000);
