/**
 * Tangents as the tangent sweep writes them: a value's tangent or its zero, and the mutable
 * variables of φ results and carried values, each beside its tangent.
 */
import type { Expr, Stmt } from '../../../ir/code.js';
import type { ValueId } from '../../../ir/ssa.js';
import { shadowTypeText, typeText } from '../../../ir/type-text.js';
import { parallelAssign } from '../parallel-assign.js';
import { zeroShadow } from '../shadows.js';
import type { TangentContext } from './context.js';

/** A value's tangent, or its zero: 0 for a number, a container of zeros shaped like a container. */
export function tangentOrZero(ctx: TangentContext, value: ValueId): Expr {
  return ctx.tangent(value) ?? zeroShadow(ctx.typeOf(value), ctx.names.expr(value));
}

/** `let` declarations of a φ result, assigned on both sides of its branch, and of its tangent. */
export function declareMerged(ctx: TangentContext, value: ValueId): Stmt[] {
  const type = ctx.typeOf(value);
  const statements: Stmt[] = [{ kind: 'declare', declaration: 'let', name: ctx.names.name(value), type: typeText(type) }];
  if (ctx.hasTangent(value))
    statements.push({ kind: 'declare', declaration: 'let', name: ctx.tangentName(value), type: shadowTypeText(type) });
  return statements;
}

/** Assignments of the values flowing into mutable variables (φ results, carried values) and of their tangents. */
export function assignMergedTangents(ctx: TangentContext, pairs: Array<{ target: ValueId; value: ValueId }>): Stmt[] {
  const assignments = pairs.flatMap(({ target, value }) => {
    const primal = { name: ctx.names.name(target), value: ctx.names.expr(value) };
    return ctx.hasTangent(target) ? [primal, { name: ctx.tangentName(target), value: tangentOrZero(ctx, value) }] : [primal];
  });
  return parallelAssign(ctx.namer, assignments);
}
