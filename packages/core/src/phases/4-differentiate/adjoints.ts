/**
 * Adjoint accumulation. The adjoint of a number, d_v = ∂result/∂v, is the sum of one contribution
 * per use of v. The reverse sweep visits the uses last-to-first, so the first contribution
 * declares d_v and the rest add to it; a value with a single contribution gets a `const`, or no
 * variable at all when the contribution is already a name or a number. Only a value with a use
 * inside a nested branch or loop starts as `let d_v = 0` (see analysis/contributions.ts).
 */
import { num, ref } from '../../ir/build.js';
import type { Expr, Stmt } from '../../ir/code.js';
import type { ValueId } from '../../ir/ssa.js';
import { adjointName, type Namer } from '../../naming.js';

export class Adjoints {
  private readonly current = new Map<ValueId, Expr>();
  /** The adjoints sent elsewhere (redirect), and whether anything was added to them since. */
  private readonly redirected = new Map<ValueId, { used: boolean }>();
  private readonly remaining: Map<ValueId, number>;
  /** The variables declared for adjoints (all numbers). */
  readonly declared = new Set<string>();

  constructor(
    private readonly namer: Namer,
    /** How many contributions each value will receive. */
    counts: Map<ValueId, number>,
    private readonly primalName: (v: ValueId) => string,
  ) {
    this.remaining = new Map(counts);
  }

  /** A variable for the adjoint of a loop's carried number, which the loop's reverse hands from one iteration to the one before. */
  carriedVariable(primal: string): string {
    const name = this.namer.claim(adjointName(primal));
    this.declared.add(name);
    return name;
  }

  /** Sets an adjoint outright: ∂result/∂result = 1. */
  seed(value: ValueId, seed: Expr): void {
    this.current.set(value, seed);
  }

  /** `let d_v = 0`, for a value whose contributions come from nested blocks. */
  startAtZero(value: ValueId): Stmt {
    const name = this.namer.claim(adjointName(this.primalName(value)));
    this.declared.add(name);
    this.current.set(value, ref(name));
    return { kind: 'declare', declaration: 'let', name, init: num(0) };
  }

  /**
   * Sends the contributions to d_v into the variable `name` until the returned function is called,
   * which gives d_v back (a fused loop's iterations, reversed in the forward sweep, add to the
   * adjoints of numbers from before the loop before those adjoints exist: fused-loop.ts).
   */
  redirect(value: ValueId, name: string): { giveBack(): void; used(): boolean } {
    const previous = this.current.get(value);
    const redirection = { used: false };
    this.current.set(value, ref(name));
    this.redirected.set(value, redirection);
    return {
      giveBack: () => {
        this.redirected.delete(value);
        if (previous) this.current.set(value, previous);
        else this.current.delete(value);
      },
      // (contributions made by code written later, a loop run again, count too: they are made now)
      used: () => redirection.used,
    };
  }

  /** d_v, once every contribution has been added; undefined when v received none. */
  get(value: ValueId): Expr | undefined {
    return this.current.get(value);
  }

  /** Adds `contribution` to d_v (as `d_v -= c` when the contribution is `-c`), returning the statement that does it, if one is needed. */
  accumulate(value: ValueId, contribution: Expr, comment?: string): Stmt | undefined {
    const left = this.remaining.get(value) ?? 0;
    this.remaining.set(value, left - 1);
    const existing = this.current.get(value);
    const redirection = this.redirected.get(value);
    if (redirection) redirection.used = true;
    if (existing) {
      if (existing.kind !== 'ref') throw new Error(`adjoint of value ${value} is accumulated after being aliased`);
      const negated = negation(contribution);
      return negated
        ? { kind: 'assign', op: '-=', target: existing, value: negated, comment }
        : { kind: 'assign', op: '+=', target: existing, value: contribution, comment };
    }
    const single = left === 1;
    if (single && (contribution.kind === 'ref' || contribution.kind === 'num')) {
      this.current.set(value, contribution);
      return undefined;
    }
    const name = this.namer.claim(adjointName(this.primalName(value)));
    this.declared.add(name);
    this.current.set(value, ref(name));
    return { kind: 'declare', declaration: single ? 'const' : 'let', name, init: contribution, comment };
  }
}

/** c when e is -c (a negation or a negative literal), so `d += -c` can be written `d -= c`. */
function negation(e: Expr): Expr | undefined {
  if (e.kind === 'unary' && e.op === '-') return e.operand;
  if (e.kind === 'num' && e.value < 0) return { kind: 'num', value: -e.value };
  return undefined;
}
