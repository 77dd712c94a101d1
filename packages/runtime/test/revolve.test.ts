import { describe, expect, it } from 'vitest';
import { Revolve } from '../src/index.js';

/** Runs the schedule like a companion's driver, and records what it did. */
function drive(steps: number, slots: number) {
  const schedule = new Revolve(steps, slots, 1);
  const reversed: number[] = [];
  const stored = new Map<number, number>(); // slot → iteration of the state kept there
  let state = 0; // the iteration the loop's state is at
  let advanced = 0;
  for (let action = schedule.next(); action !== Revolve.done; action = schedule.next()) {
    if (action === Revolve.advance) {
      expect(schedule.from).toBe(state);
      advanced += schedule.capo - schedule.from;
      state = schedule.capo;
    } else if (action === Revolve.store) {
      stored.set(schedule.slot, state);
      expect(stored.size).toBeLessThanOrEqual(slots);
    } else if (action === Revolve.restore) {
      state = stored.get(schedule.slot)!;
      expect(state).toBe(schedule.capo);
    } else if (action === Revolve.reverse) {
      expect(schedule.capo).toBe(state);
      reversed.push(state);
      state++;
    }
  }
  return { reversed, advanced, peak: schedule.peak };
}

/** β(s, t) = C(s + t, s). */
const beta = (s: number, t: number) => Revolve.beta(s, t);

describe('Revolve', () => {
  it.each([
    [1, 1],
    [10, 2],
    [10, 3],
    [100, 5],
    [1000, 10],
    [57, 4],
  ])('reverses each of %i iterations exactly once, last first, within %i slots', (steps, slots) => {
    const { reversed, peak } = drive(steps, slots);
    expect(reversed).toEqual(Array.from({ length: steps }, (_, k) => steps - 1 - k));
    expect(peak).toBeLessThanOrEqual(slots);
  });

  it('runs the fewest iterations again that s states allow: t·n − β(s + 1, t − 1)', () => {
    for (const slots of [1, 2, 3, 5]) {
      for (const steps of [2, 7, 20, 64]) {
        let t = 0;
        while (beta(slots, t) < steps) t++;
        // the forward steps the schedule runs without the tape (each reversal runs its step once more, with it)
        const optimal = t * steps - beta(slots + 1, t - 1);
        expect(drive(steps, slots).advanced, `n ${steps}, s ${slots}`).toBe(optimal);
      }
    }
  });

  it('chooses the fewest slots for a number of repetitions: the least s with β(s, r) ≥ n', () => {
    expect(Revolve.slotsFor(1_000_000, 3)).toBe(180);
    expect(beta(180, 3)).toBeGreaterThanOrEqual(1_000_000);
    expect(beta(179, 3)).toBeLessThan(1_000_000);
  });
});
