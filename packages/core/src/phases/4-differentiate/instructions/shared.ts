/** Small pieces of generated code the rules of several instruction kinds write. */
import { index, member } from '../../../ir/build.js';
import type { AssignTarget, Expr, Stmt } from '../../../ir/code.js';
import type { SourceOrigin, ValueId } from '../../../ir/ssa.js';
import type { DiffContext } from '../context.js';
import type { PrimalNames } from '../names.js';

/** `const name = init;` */
export const declare = (name: string, init: Expr): Stmt => ({ kind: 'declare', declaration: 'const', name, init });

/** The comment naming the source an adjoint or a tangent comes from: `line 4: x * y`. */
export const commentOf = (origin: Pick<SourceOrigin, 'line' | 'text'>): string => `line ${origin.line}: ${origin.text}`;

/** `container[i]`, or `container.field` for a field index, as the forward and tangent sweeps read it. */
export function elementOf(names: PrimalNames, container: Expr, at: ValueId | string): AssignTarget {
  return typeof at === 'string' ? member(container, at) : index(container, names.expr(at));
}

/** The same as the reverse sweep reads it (the index tagged, so the tape planner sees it read). */
export function elementRead(ctx: DiffContext, container: Expr, at: ValueId | string): AssignTarget {
  return typeof at === 'string' ? member(container, at) : index(container, ctx.primal(at));
}

/** `const name = init; // comment` (the tangent sweep's declarations, which name their source). */
export const declareCommented = (name: string, init: Expr, comment?: string): Stmt => ({
  kind: 'declare',
  declaration: 'const',
  name,
  init,
  comment,
});

/**
 * True when a block's reverse does something: more than the hole for its restore, which is
 * filled only if the reverse is kept.
 */
export const hasCode = (statements: Stmt[]): boolean => statements.some((s) => s.kind !== 'hole');
