/**
 * Expressions whose value is discarded: an expression statement (`Math.acos(x);`, `s += v;`), and
 * `void e`, which evaluates e for its effects and yields undefined. Their effects are lowered and
 * the value is left to dead-code elimination. `void e` whose undefined is used as a value is
 * AD1114, since undefined is not a number.
 */
import { Node, SyntaxKind, type Expression } from 'ts-morph';
import type { LoweringContext } from './context.js';

export function lowerDiscarded(ctx: LoweringContext, node: Expression): void {
  if (Node.isParenthesizedExpression(node)) return lowerDiscarded(ctx, node.getExpression());
  if (Node.isVoidExpression(node)) return lowerDiscarded(ctx, node.getExpression());
  // `a, b` as a statement discards both
  if (Node.isBinaryExpression(node) && node.getOperatorToken().getKind() === SyntaxKind.CommaToken) {
    lowerDiscarded(ctx, node.getLeft());
    return lowerDiscarded(ctx, node.getRight());
  }
  ctx.lowerExpression(node);
}
