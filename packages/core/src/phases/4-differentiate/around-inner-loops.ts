/**
 * What the reverse of a block computes at its start for the loops inside it, once per run of
 * that reverse (all numbers):
 *
 *   - trip counts computed once in an enclosing block. A loop `for (let id = 0; id < d; id++)`
 *     inside a loop over points runs d times in every iteration of that loop: its start and bound
 *     come from outside. Its trip count is computed once, at the start of the reverse of the
 *     innermost block that defines its start or its bound (at the start of the reverse sweep when
 *     both are parameters or literals), into one variable for every loop under that block with
 *     the same start and bound; each loop's own trip count variable is a copy of it
 *     (trip-count.ts). Inside a fused loop (fused-loop.ts), whose iterations' reverses run in the
 *     forward sweep, a count made from values of before the loop is computed once before the loop
 *     runs (`before`), not in each iteration. A block whose running values advance by an inner
 *     loop's trip count keeps that count here too, where the inner loop's reverse finds it.
 *   - the variables of running values (running-values.ts), declared with the value after their
 *     loop, which each iteration's reverse then takes its advance off.
 */
import type { Expr, Stmt } from '../../ir/code.js';
import type { Block } from '../../ir/ssa.js';

interface Declarations {
  tripCounts: Array<{ key: string; holder: string; expr: Expr }>;
  runningValues: Stmt[];
}

export class AroundInnerLoops {
  private readonly byBlock = new Map<Block, Declarations>();
  /** The trip counts computed before a fused loop runs, by the loop's body. */
  private readonly beforeFused = new Map<Block, Declarations['tripCounts']>();

  private of(home: Block): Declarations {
    let declarations = this.byBlock.get(home);
    if (!declarations) this.byBlock.set(home, (declarations = { tripCounts: [], runningValues: [] }));
    return declarations;
  }

  /** The name of the variable holding the trip count `expr` (keyed by `key`) in the reverse of `home`: one per key and block. */
  tripCount(home: Block, key: string, expr: Expr, claim: () => string): string {
    return holderIn(this.of(home).tripCounts, key, expr, claim);
  }

  /** The same, computed before the fused loop whose body is `fusedBody` runs. */
  tripCountBefore(fusedBody: Block, key: string, expr: Expr, claim: () => string): string {
    let tripCounts = this.beforeFused.get(fusedBody);
    if (!tripCounts) this.beforeFused.set(fusedBody, (tripCounts = []));
    return holderIn(tripCounts, key, expr, claim);
  }

  /** The variable holding the trip count keyed `key` in the reverse of one of `blocks` (or before one's fused loop), if there is one. */
  findTripCount(blocks: Iterable<{ block: Block }>, key: string): string | undefined {
    for (const { block } of blocks) {
      const entry = [...(this.byBlock.get(block)?.tripCounts ?? []), ...(this.beforeFused.get(block) ?? [])].find((c) => c.key === key);
      if (entry) return entry.holder;
    }
    return undefined;
  }

  /** The declarations to make before the fused loop whose body is `fusedBody`, in the forward sweep. */
  before(fusedBody: Block): Stmt[] {
    return (this.beforeFused.get(fusedBody) ?? []).map(declaration);
  }

  /** Declares the variable `name` of the running value `valueName` in the reverse of `home`, the block around its loop. */
  runningValue(home: Block, name: string, valueAfterLoop: Expr, valueName: string): void {
    const comment = `${valueName} after the loop; each iteration's reverse takes off what it added`;
    this.of(home).runningValues.push({ kind: 'declare', declaration: 'let', name, init: valueAfterLoop, comment });
  }

  /** The declarations to make at the start of the reverse of `home`: trip counts, then running values. */
  in(home: Block): Stmt[] {
    const declarations = this.byBlock.get(home);
    if (!declarations) return [];
    return [...declarations.tripCounts.map(declaration), ...declarations.runningValues];
  }

  /** Every variable declared (all numbers). */
  *variables(): Iterable<string> {
    for (const declarations of this.byBlock.values()) {
      for (const { holder } of declarations.tripCounts) yield holder;
      for (const d of declarations.runningValues) if (d.kind === 'declare') yield d.name;
    }
    for (const tripCounts of this.beforeFused.values()) for (const { holder } of tripCounts) yield holder;
  }
}

/** The holder of the trip count keyed `key` among `tripCounts`, added when missing. */
function holderIn(tripCounts: Declarations['tripCounts'], key: string, expr: Expr, claim: () => string): string {
  let entry = tripCounts.find((c) => c.key === key);
  if (!entry) {
    entry = { key, holder: claim(), expr };
    tripCounts.push(entry);
  }
  return entry.holder;
}

function declaration({ holder, expr }: Declarations['tripCounts'][number]): Stmt {
  return { kind: 'declare', declaration: 'const', name: holder, init: expr };
}
