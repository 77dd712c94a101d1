/**
 * The mutable variables of the forward sweep: a φ's result, assigned on both sides of its branch,
 * and a loop's carried value, assigned at the end of every iteration, each with its shadow when it
 * is an active container.
 */
import { ref } from '../../ir/build.js';
import type { Expr, Stmt } from '../../ir/code.js';
import type { ValueId } from '../../ir/ssa.js';
import { shadowTypeText, typeText } from '../../ir/type-text.js';
import { parallelAssign } from './parallel-assign.js';
import type { ForwardSweep } from './sweeps.js';

/** `let` declarations for values assigned in both sides of a branch or around a loop. */
export function declareMutable(sweep: ForwardSweep, value: ValueId, init?: Expr, shadowInit?: Expr): Stmt[] {
  const { names } = sweep.ctx;
  const type = sweep.facts.typeOf(value);
  const statements: Stmt[] = [{ kind: 'declare', declaration: 'let', name: names.name(value), type: typeText(type), init }];
  if (sweep.hasShadow(value)) {
    statements.push({ kind: 'declare', declaration: 'let', name: names.shadowName(value), type: shadowTypeText(type), init: shadowInit });
  }
  return statements;
}

/** Assignments of the values flowing into mutable variables (φ results, carried values). */
export function assignMerged(sweep: ForwardSweep, pairs: Array<{ target: ValueId; value: ValueId }>): Stmt[] {
  const { names, namer } = sweep.ctx;
  const assignments = pairs.flatMap(({ target, value }) => {
    const primal = { name: names.name(target), value: names.expr(value) };
    if (!sweep.hasShadow(target)) return [primal];
    return [primal, { name: names.shadowName(target), value: ref(names.shadowName(value)) }];
  });
  return parallelAssign(namer, assignments);
}
