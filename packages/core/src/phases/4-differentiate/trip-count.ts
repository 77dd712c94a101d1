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
 * forward sweep rounded one step at a time, it counts the steps.
 */
import type { Expr, RawDecl } from '../../ir/code.js';
import type { Block } from '../../ir/ssa.js';

/**
 * Trip counts computed once in an enclosing block. A loop `for (let id = 0; id < d; id++)` inside
 * a loop over points runs d times in every iteration of that loop: its start and bound come from
 * outside. Its trip count is computed once, at the start of the reverse of the innermost block
 * that defines its start or its bound (at the start of the reverse sweep when both are parameters
 * or literals), into one variable for every loop under that block with the same start and bound;
 * each loop's own trip count variable is a copy of it.
 */
export class HoistedTripCounts {
  private readonly byBlock = new Map<Block, Array<{ key: string; holder: string; expr: Expr }>>();

  /** The name of the variable holding `expr` (keyed by `key`) in the reverse of `home`: one per key and block. */
  holder(home: Block, key: string, expr: Expr, claim: () => string): string {
    const computed = this.byBlock.get(home) ?? [];
    this.byBlock.set(home, computed);
    let entry = computed.find((c) => c.key === key);
    if (!entry) {
      entry = { key, holder: claim(), expr };
      computed.push(entry);
    }
    return entry.holder;
  }

  /** The variable holding the trip count keyed `key` in the reverse of one of `blocks`, if there is one. */
  find(blocks: Iterable<{ block: Block }>, key: string): string | undefined {
    for (const { block } of blocks) {
      const entry = this.byBlock.get(block)?.find((c) => c.key === key);
      if (entry) return entry.holder;
    }
    return undefined;
  }

  /** Every variable holding a trip count. */
  *holders(): Iterable<string> {
    for (const computed of this.byBlock.values()) for (const c of computed) yield c.holder;
  }

  /** The trip counts to compute at the start of the reverse of `home`. */
  in(home: Block): Array<{ holder: string; expr: Expr }> {
    return this.byBlock.get(home) ?? [];
  }
}

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
