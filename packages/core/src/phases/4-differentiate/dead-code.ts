/**
 * Dead-code removal after differentiation: a `const` whose name nothing after it reads is dropped
 * (for instance the forward sweep's copy of a row's shadow, when the reverse sweep reads the row
 * again instead of taking it from the tape), or kept as an expression statement when its
 * initialiser has an effect (a call that writes into its arguments). Repeated until nothing
 * changes, since dropping one declaration can leave another unread.
 */
import { forEachExpr, readsVariable as reads } from '../../ir/code-walk.js';
import type { Expr, Stmt } from '../../ir/code.js';

export function removeDeadDeclarations(body: Stmt[]): Stmt[] {
  let statements = body;
  for (let changed = true; changed; ) {
    changed = false;
    const prune = (list: Stmt[]): Stmt[] =>
      list.flatMap((statement, i): Stmt[] => {
        if (statement.kind === 'declare' && statement.declaration === 'const' && statement.init && !readLater(list.slice(i + 1), statement.name)) {
          changed = true;
          return isPure(statement.init) ? [] : [{ kind: 'expr', expr: statement.init, ...(statement.comment ? { comment: statement.comment } : {}) }];
        }
        return [withChildren(statement, prune)];
      });
    statements = prune(statements);
  }
  return statements;
}

function withChildren(statement: Stmt, prune: (list: Stmt[]) => Stmt[]): Stmt {
  switch (statement.kind) {
    case 'if':
      return { ...statement, then: prune(statement.then), else: prune(statement.else) };
    case 'forever':
    case 'countdown':
    case 'countup':
      return { ...statement, body: prune(statement.body) };
    default:
      return statement;
  }
}

/** Reading, creating or computing values, with no call that could write (Math functions only) and no `--`. */
function isPure(e: Expr): boolean {
  let pure = true;
  forEachExpr(e, (sub) => {
    if (sub.kind === 'call' && !sub.callee.startsWith('Math.')) pure = false;
    if (sub.kind === 'method' && !['slice', 'fill', 'map'].includes(sub.method)) pure = false;
    if (sub.kind === 'unary' && sub.op === '--') pure = false;
  });
  return pure;
}

/** True when a statement of `later` (or nested in one) reads `name` before a redeclaration hides it. */
function readLater(later: Stmt[], name: string): boolean {
  for (const statement of later) {
    if (statement.kind === 'declare' && statement.name === name) return statement.init !== undefined && reads(statement.init, name);
    if (statementReads(statement, name)) return true;
  }
  return false;
}

function statementReads(statement: Stmt, name: string): boolean {
  switch (statement.kind) {
    case 'declare':
      return statement.init !== undefined && reads(statement.init, name);
    case 'assign':
      return reads(statement.target, name) || reads(statement.value, name);
    case 'expr':
      return reads(statement.expr, name);
    case 'return':
      return reads(statement.value, name);
    case 'if':
      return reads(statement.test, name) || readLater(statement.then, name) || readLater(statement.else, name);
    case 'forever':
      return readLater(statement.body, name);
    case 'countdown':
      return reads(statement.from, name) || readLater(statement.body, name);
    case 'countup':
      return reads(statement.to, name) || readLater(statement.body, name);
    default:
      return false;
  }
}
