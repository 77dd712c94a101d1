/**
 * `// @skipWhenZero(d_a, d_b)` on the line before a loop of a companion: the loop is the reverse
 * of a loop of the first stage, linear in the adjoints named and reading no other, so that it
 * changes nothing when they are all zero (phases/4-differentiate/zero-adjoints.ts). Only Adjoint
 * writes the mark, in a companion's view, which it differentiates again; forward mode then skips
 * the loop where the adjoints and their tangents are all zero. In a user's file the comment is
 * only a comment: the claim is not one a user could be trusted to keep.
 */
import type { Statement } from 'ts-morph';
import type { ValueId } from '../../ir/ssa.js';
import type { LoweringContext } from './context.js';

const MARK = /^\/\/ @skipWhenZero\(([^)]*)\)$/;

/** The mark as the first stage writes it, before the loop's reverse. */
export function skipWhenZeroMark(adjoints: string[]): string {
  return `@skipWhenZero(${adjoints.join(', ')})`;
}

/** The values of the adjoints a companion's loop is marked skipped for, before the loop; undefined when unmarked (or a name is unknown). */
export function skippedWhenZeroOf(ctx: LoweringContext, loop: Statement): ValueId[] | undefined {
  if (!ctx.companionMarks) return undefined;
  for (const range of loop.getLeadingCommentRanges()) {
    const names = MARK.exec(range.getText().trim())?.[1]
      ?.split(',')
      .map((name) => name.trim());
    if (!names) continue;
    const values = names.map((name) => {
      const binding = ctx.scope.lookup(name);
      return binding && ctx.env.get(binding);
    });
    return values.every((v) => v !== undefined) ? values : undefined;
  }
  return undefined;
}
