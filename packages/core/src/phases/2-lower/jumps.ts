/**
 * Syntactic facts about jumps, read before lowering a statement: which loop or switch a `break` or
 * `continue` leaves, and whether a statement can jump out of itself.
 */
import { Node, SyntaxKind } from 'ts-morph';

const LOOPS = new Set([SyntaxKind.ForStatement, SyntaxKind.ForOfStatement, SyntaxKind.ForInStatement, SyntaxKind.WhileStatement, SyntaxKind.DoStatement]);
const FUNCTIONS = new Set([SyntaxKind.FunctionDeclaration, SyntaxKind.FunctionExpression, SyntaxKind.ArrowFunction, SyntaxKind.MethodDeclaration, SyntaxKind.ClassDeclaration]);

export const isLoop = (node: Node) => LOOPS.has(node.getKind());

/** The statement a `break` or `continue` leaves (labels are rejected before this is asked). */
export function jumpTarget(jump: Node): Node | undefined {
  const continues = jump.getKind() === SyntaxKind.ContinueStatement;
  return jump.getFirstAncestor((a) => isLoop(a) || (!continues && a.getKind() === SyntaxKind.SwitchStatement));
}

/** Every `break`, `continue` and `return` inside a node, not counting nested functions. */
function jumpsIn(node: Node): Node[] {
  const jumps: Node[] = [];
  node.forEachDescendant((child, traversal) => {
    if (FUNCTIONS.has(child.getKind())) traversal.skip();
    else if (Node.isBreakStatement(child) || Node.isContinueStatement(child) || Node.isReturnStatement(child)) jumps.push(child);
  });
  return jumps;
}

const contains = (outer: Node, inner: Node) => inner.getStart() >= outer.getStart() && inner.getEnd() <= outer.getEnd();

/** True when a `break`, `continue` or `return` inside `statement` can leave it. */
export function canJumpOut(statement: Node): boolean {
  if (Node.isReturnStatement(statement) || Node.isBreakStatement(statement) || Node.isContinueStatement(statement)) return true;
  return jumpsIn(statement).some((jump) => {
    if (Node.isReturnStatement(jump)) return true;
    const target = jumpTarget(jump);
    return !target || !contains(statement, target);
  });
}

/** True when the loop or switch `target` holds a `break` (or `continue`) that leaves it. */
export function isJumpedOutOf(target: Node, kind: SyntaxKind.BreakStatement | SyntaxKind.ContinueStatement): boolean {
  return jumpsIn(target).some((jump) => jump.getKind() === kind && jumpTarget(jump) === target);
}

/** True when a function body has a `return` other than its last statement. */
export function hasEarlyReturn(statements: Node[]): boolean {
  return statements.some((statement, index) => {
    const last = index === statements.length - 1;
    return jumpsIn(statement).some(Node.isReturnStatement) || (!last && Node.isReturnStatement(statement));
  });
}
