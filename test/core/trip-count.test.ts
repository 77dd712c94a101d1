/**
 * The companion's tripCount (phases/4-differentiate/trip-count.ts), which the reverse sweep calls
 * instead of popping a counted loop's trip count: it must agree with the loop itself for every
 * start and bound, including fractions, negative and huge values, and NaN.
 */
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { tripCountFunction } from '../../packages/core/src/phases/4-differentiate/trip-count.js';

const tripCount = new Function(`${ts.transpile(tripCountFunction('tripCount').text, { target: ts.ScriptTarget.ES2022 })}\nreturn tripCount;`)() as (
  start: number,
  bound: number,
) => number;

/** What the forward sweep counts: the body runs once, then again while the incremented counter passes the test. */
function counted(start: number, bound: number): number {
  let trips = 0;
  for (let i = start; ; ) {
    trips++;
    i = i + 1;
    if (!(i < bound)) return trips;
  }
}

const starts = [0, 1, -3, 7, 2 ** 40, -(2 ** 40), 0.1, 0.5, -2.75, 1e-9, 3 + 1e-12];
const bounds = [-5, 0, 0.3, 1, 2, 2.5, 3, 10, 10.000000001, 1e3 + 0.1, 2 ** 40 + 3, -(2 ** 40) + 2.5, Number.NaN, -Infinity];

describe('tripCount', () => {
  it.each(starts)('agrees with the loop for start %d and every bound', (start) => {
    for (const bound of bounds) {
      const expected = Math.abs(bound - start) > 1e6 ? undefined : counted(start, bound);
      if (expected === undefined) continue; // too many trips to run here
      expect(tripCount(start, bound), `start ${start}, bound ${bound}`).toBe(expected);
    }
  });

  it('agrees with the loop where bound − start rounds (a tiny bound below a large negative start)', () => {
    const start = -(2 ** 20);
    for (const bound of [1.5 * 2 ** -30, -(2 ** 20) + 1 + 2 ** -40, 2 ** -1074]) expect(tripCount(start, bound)).toBe(counted(start, bound));
  });

  it('agrees with the loop on random starts and bounds', () => {
    let seed = 7;
    const next = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 200;
    for (let k = 0; k < 5000; k++) {
      const start = k % 2 === 0 ? Math.round(next()) : next();
      const bound = k % 3 === 0 ? Math.round(next()) : next();
      expect(tripCount(start, bound), `start ${start}, bound ${bound}`).toBe(counted(start, bound));
    }
  });
});
