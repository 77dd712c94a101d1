/**
 * Trip counts computed instead of taped. The reverse sweep of a loop runs its body's adjoint once
 * per iteration the forward sweep ran, so each time a loop runs its trip count goes on the tape.
 * For a counted loop, `for (let i = start; i < bound; i++)` with no other way out, the count
 * follows from `start` and `bound` alone, which the reverse sweep has anyway (a parameter, a
 * length, an enclosing loop's counter): it calls the companion's `tripCount(start, bound)`.
 *
 * tripCount replays the loop's own test, so it agrees with the forward sweep for every double:
 * for an integer start, `start + k` is exact, so it starts from ⌈bound − start⌉ and corrects that
 * guess by the test itself (the subtraction may round); for a fractional start, whose sums the
 * forward sweep rounded one step at a time, it counts the steps. A count an enclosing block can
 * compute once is kept in around-inner-loops.ts.
 */
import type { RawDecl } from '../../ir/code.js';

export function tripCountFunction(name: string): RawDecl {
  return {
    kind: 'raw',
    text: `/** How many times \`for (let i = start; i < bound; i++)\` ran its body, once it was entered: its own test, replayed. */
function ${name}(start: number, bound: number): number {
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
}`,
  };
}
