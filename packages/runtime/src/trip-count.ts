/**
 * The trip count of a counted loop, recomputed by the reverse sweep instead of taped: the reverse of
 * `for (let i = start; i < bound; i++)` (no other way out) runs its body's adjoint once per
 * iteration, and the count follows from `start` and `bound` alone.
 *
 * It replays the loop's own test, so it agrees with the forward sweep for every double: for an
 * integer start, `start + k` is exact, so it starts from ⌈bound − start⌉ and corrects that guess by
 * the test itself (the subtraction may round); for a fractional start, whose sums the forward sweep
 * rounded one step at a time, it counts the steps.
 */

/** How many times `for (let i = start; i < bound; i++)` ran its body, once it was entered: its own test, replayed. */
export function tripCount(start: number, bound: number): number {
  if (!Number.isInteger(start)) {
    let trips = 1;
    for (let i = start + 1; i < bound; i++) trips++;
    return trips;
  }
  // start + k is exact: the first k ≥ 1 for which start + k < bound fails
  let trips = Math.ceil(bound - start);
  if (!(trips >= 1)) return 1;
  while (start + trips < bound) trips++;
  while (trips > 1 && !(start + trips - 1 < bound)) trips--;
  return trips;
}
