/**
 * Trip counts computed instead of taped. The reverse sweep of a loop runs its body's adjoint once
 * per iteration the forward sweep ran, so each time a loop runs its trip count goes on the tape.
 * For a counted loop, `for (let i = start; i < bound; i++)` with no other way out, the count
 * follows from `start` and `bound` alone, which the reverse sweep has anyway (a parameter, a
 * length, an enclosing loop's counter): it calls the companion's `tripCount(start, bound)` (its code
 * is in @adjoint/runtime, packages/runtime/src/trip-count.ts).
 *
 * tripCount replays the loop's own test, so it agrees with the forward sweep for every double:
 * for an integer start, `start + k` is exact, so it starts from ⌈bound − start⌉ and corrects that
 * guess by the test itself (the subtraction may round); for a fractional start, whose sums the
 * forward sweep rounded one step at a time, it counts the steps. A count an enclosing block can
 * compute once is kept in around-inner-loops.ts.
 */
import type { RawDecl } from '../../ir/code.js';
import { runtimeDeclarationText } from '../../runtime/helpers.js';

/** The companion's trip-count function (@adjoint/runtime's tripCount), under the name the module namer gave it. */
export function tripCountFunction(name: string): RawDecl {
  return { kind: 'raw', text: runtimeDeclarationText('tripCount', name) };
}
