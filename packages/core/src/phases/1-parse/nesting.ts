/**
 * How deeply a file's code nests, read before anything recursive walks it.
 *
 * The compiler walks syntax recursively (TypeScript's checker, Adjoint's lowering), one or more
 * stack frames per level of nesting: `f(g(h(x)))`, `(a - (b - (c - …)))`, `c ? x : c ? y : …`. A
 * chain of binary operators grouped to the left, `a + b - c * d + …` (`((a + b) - c * d) + …`), is
 * not nesting: TypeScript's parser, binder and checker and Adjoint's lowering walk it in a loop, so
 * a sum of 20,000 terms is fine. (Not a chain of `&&`, `||` or `??`: TypeScript's binder recurses
 * into each, to follow where control flows.) Any other nesting beyond MAX_NESTING levels is reported (AD1151): measured
 * on Node 20's default stack, TypeScript's checker (run by Adjoint) runs out of stack at about 405
 * nested calls `Math.sin(Math.sin(…))`, one level each here, and at about 285 levels of
 * `Math.sin(… * 0.5)`, two levels each (570); its parser at about 700 nested calls.
 */
import { ts } from 'ts-morph';

/** The deepest nesting Adjoint reads (levels of syntax, see above). */
export const MAX_NESTING = 300;

/** The node where the nesting first goes beyond MAX_NESTING, and how deep the file nests; undefined when it never does. */
export function tooDeeplyNested(root: ts.Node): { node: ts.Node; depth: number } | undefined {
  let deepest = 0;
  let first: ts.Node | undefined;
  // an explicit stack: the walk itself must not recurse
  const pending: Array<{ node: ts.Node; depth: number }> = [{ node: root, depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { node, depth } = next;
    if (depth > deepest) deepest = depth;
    if (depth > MAX_NESTING && !first) first = node;
    ts.forEachChild(node, (child) => {
      pending.push({ node: child, depth: isChainLink(node) && child === node.left && isChainLink(child) ? depth : depth + 1 });
    });
  }
  return first && { node: first, depth: deepest };
}

/** A binary expression that continues a chain grouped to the left: any operator but the assignments (whose left side is a target) and the logical ones. */
export function isChainLink(node: ts.Node): node is ts.BinaryExpression {
  if (!ts.isBinaryExpression(node)) return false;
  const kind = node.operatorToken.kind;
  const assignment = kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
  return !assignment && !LOGICAL.has(kind);
}

const LOGICAL = new Set([ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken]);

/**
 * For a text TypeScript's parser could not read (it ran out of stack): the position where its
 * brackets nest deepest, and how deep, found by TypeScript's scanner (which does not recurse).
 */
export function deepestBrackets(text: string): { position: number; depth: number } {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  let depth = 0;
  let deepest = { position: 0, depth: 0 };
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token === ts.SyntaxKind.OpenParenToken || token === ts.SyntaxKind.OpenBracketToken || token === ts.SyntaxKind.OpenBraceToken) {
      depth++;
      if (depth > deepest.depth) deepest = { position: scanner.getTokenStart(), depth };
    } else if (
      token === ts.SyntaxKind.CloseParenToken ||
      token === ts.SyntaxKind.CloseBracketToken ||
      token === ts.SyntaxKind.CloseBraceToken
    ) {
      depth--;
    }
  }
  return deepest;
}
