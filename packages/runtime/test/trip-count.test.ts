import { describe, expect, it } from 'vitest';
import { tripCount } from '../src/index.js';

/** The loop itself, entered once: `for (let i = start; i < bound; i++)` after its first test passed. */
function counted(start: number, bound: number): number {
  let trips = 0;
  for (let i = start; trips === 0 || i < bound; i++) trips++;
  return trips;
}

describe('tripCount', () => {
  const starts = [0, 1, -3, 0.5, -0.25, 0.1, 1e15, 2 ** 52 - 3, 7.3];
  const bounds = [0, 1, 2, 3.5, 10, 10.000000001, -1, 1e15 + 5, 2 ** 52, 100.1];
  it.each(starts)('replays the loop test exactly from start %d', (start) => {
    for (const bound of bounds) {
      if (bound - start > 1e6) continue; // too long to count by hand
      expect(tripCount(start, bound), `start ${start}, bound ${bound}`).toBe(counted(start, bound));
    }
  });

  it('counts at least one trip: it is asked only for a loop that was entered', () => {
    expect(tripCount(5, 1)).toBe(1);
    expect(tripCount(0, Number.NaN)).toBe(1);
  });

  it('agrees where start + k rounds (fractional start, long run)', () => {
    expect(tripCount(0.1, 1000.05)).toBe(counted(0.1, 1000.05));
  });
});
