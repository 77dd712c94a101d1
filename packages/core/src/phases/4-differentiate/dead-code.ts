/**
 * Dead-code removal after differentiation: a `const` whose name nothing after it reads is dropped
 * (for instance the forward sweep's copy of a row's shadow, when the reverse sweep reads the row
 * again instead of taking it from the tape), or kept as an expression statement when its
 * initialiser has an effect (a call that writes into its arguments, a tape's pop).
 *
 * One backward pass (liveness) per block: walking a statement list from its end, `live` holds the
 * names that the statements after the current one read. A declaration is dead when its name is not
 * live (a declaration is visible only in the rest of its own block); a kept one hides its name from
 * the statements before it and makes the names its initialiser reads live. Dropping a declaration
 * also drops the reads only it made, so declarations that fed only dead ones go in the same pass.
 * Linear in the size of the body.
 */
import { forEachExpr } from '../../ir/code-walk.js';
import type { Expr, Stmt } from '../../ir/code.js';

export function removeDeadDeclarations(body: Stmt[]): Stmt[] {
  return prune(body).kept;
}

/** Prunes one block; `reads` are the names the block reads from outside it. */
function prune(list: Stmt[]): { kept: Stmt[]; reads: Set<string> } {
  const live = new Set<string>();
  const kept: Stmt[] = [];
  for (let i = list.length - 1; i >= 0; i--) {
    const statement = list[i]!;
    if (statement.kind === 'declare') {
      const unread = statement.declaration === 'const' && statement.init !== undefined && !live.has(statement.name);
      if (unread && isPure(statement.init!)) continue;
      if (unread) {
        addReads(statement.init!, live);
        kept.push({ kind: 'expr', expr: statement.init!, ...(statement.comment ? { comment: statement.comment } : {}) });
        continue;
      }
      live.delete(statement.name);
      if (statement.init) addReads(statement.init, live);
      kept.push(statement);
    } else {
      kept.push(pruneNested(statement, live));
    }
  }
  kept.reverse();
  return { kept, reads: live };
}

/** Prunes the blocks inside a statement and adds what the statement reads to `live`. */
function pruneNested(statement: Stmt, live: Set<string>): Stmt {
  const block = (list: Stmt[]): Stmt[] => {
    const { kept, reads } = prune(list);
    for (const name of reads) live.add(name);
    return kept;
  };
  switch (statement.kind) {
    case 'assign':
      addReads(statement.target, live);
      addReads(statement.value, live);
      return statement;
    case 'expr':
      addReads(statement.expr, live);
      return statement;
    case 'return':
      addReads(statement.value, live);
      return statement;
    case 'if': {
      const pruned = { ...statement, then: block(statement.then), else: block(statement.else) };
      addReads(statement.test, live);
      return pruned;
    }
    case 'forever':
      return { ...statement, body: block(statement.body) };
    case 'countdown': {
      const pruned = { ...statement, body: block(statement.body) };
      addReads(statement.from, live);
      return pruned;
    }
    case 'countup': {
      const pruned = { ...statement, body: block(statement.body) };
      addReads(statement.to, live);
      return pruned;
    }
    default:
      return statement;
  }
}

function addReads(e: Expr, live: Set<string>): void {
  forEachExpr(e, (sub) => {
    if (sub.kind === 'ref') live.add(sub.name);
  });
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
