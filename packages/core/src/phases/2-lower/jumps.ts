/**
 * Syntactic facts about jumps, read before lowering a statement: which loop or switch a `break` or
 * `continue` leaves, and whether a statement can jump out of itself. They are read on TypeScript's
 * own nodes: asked of every statement of a function, walking ts-morph's wrappers took a third of a
 * second on a 10,000-statement function.
 */
import { Node, SyntaxKind, ts } from 'ts-morph';

const LOOPS = new Set([
  SyntaxKind.ForStatement,
  SyntaxKind.ForOfStatement,
  SyntaxKind.ForInStatement,
  SyntaxKind.WhileStatement,
  SyntaxKind.DoStatement,
]);
const FUNCTIONS = new Set([
  SyntaxKind.FunctionDeclaration,
  SyntaxKind.FunctionExpression,
  SyntaxKind.ArrowFunction,
  SyntaxKind.MethodDeclaration,
  SyntaxKind.ClassDeclaration,
]);
const JUMPS = new Set([SyntaxKind.BreakStatement, SyntaxKind.ContinueStatement, SyntaxKind.ReturnStatement]);

/** The statement a `break` or `continue` leaves (labels are rejected before this is asked). */
function jumpTarget(jump: ts.Node): ts.Node | undefined {
  const continues = jump.kind === SyntaxKind.ContinueStatement;
  for (let ancestor = jump.parent; ancestor; ancestor = ancestor.parent) {
    if (LOOPS.has(ancestor.kind) || (!continues && ancestor.kind === SyntaxKind.SwitchStatement)) return ancestor;
  }
  return undefined;
}

/** The nodes a jump can lie in: statements, and the clauses of `switch` and `try`. */
const holdsStatements = (node: ts.Node) =>
  (node.kind >= SyntaxKind.Block && node.kind <= SyntaxKind.DebuggerStatement) ||
  [SyntaxKind.CaseBlock, SyntaxKind.CaseClause, SyntaxKind.DefaultClause, SyntaxKind.CatchClause].includes(node.kind);

/**
 * Every `break`, `continue` and `return` inside a node, not counting nested functions. Expressions
 * are not entered (a jump in one lies in a nested function): their depth is not bounded.
 */
function jumpsIn(node: ts.Node): ts.Node[] {
  const jumps: ts.Node[] = [];
  const visit = (child: ts.Node): void => {
    if (FUNCTIONS.has(child.kind) || !holdsStatements(child)) return;
    if (JUMPS.has(child.kind)) jumps.push(child);
    ts.forEachChild(child, visit);
  };
  ts.forEachChild(node, visit);
  return jumps;
}

/** True when `inner` is `outer` or lies inside it. */
function isWithin(inner: ts.Node, outer: ts.Node): boolean {
  for (let node: ts.Node | undefined = inner; node; node = node.parent) if (node === outer) return true;
  return false;
}

/** True when a `break`, `continue` or `return` inside `statement` can leave it. */
export function canJumpOut(statement: Node): boolean {
  if (Node.isReturnStatement(statement) || Node.isBreakStatement(statement) || Node.isContinueStatement(statement)) return true;
  return jumpsIn(statement.compilerNode).some((jump) => {
    if (jump.kind === SyntaxKind.ReturnStatement) return true;
    const target = jumpTarget(jump);
    return !target || !isWithin(target, statement.compilerNode);
  });
}

/** True when the loop or switch `target` holds a `break` (or `continue`) that leaves it. */
export function isJumpedOutOf(target: Node, kind: SyntaxKind.BreakStatement | SyntaxKind.ContinueStatement): boolean {
  return jumpsIn(target.compilerNode).some((jump) => jump.kind === kind && jumpTarget(jump) === target.compilerNode);
}

/** True when a function body has a `return` other than its last statement. */
export function hasEarlyReturn(statements: Node[]): boolean {
  return statements.some((statement, index) => {
    const last = index === statements.length - 1;
    return (
      jumpsIn(statement.compilerNode).some((jump) => jump.kind === SyntaxKind.ReturnStatement) ||
      (!last && Node.isReturnStatement(statement))
    );
  });
}
