/**
 * Dead-code removal after differentiation: a `const` whose name nothing after it reads is dropped
 * (for instance the forward sweep's copy of a row's shadow, when the reverse sweep reads the row
 * again instead of taking it from the tape), or kept as an expression statement when its
 * initialiser has an effect (a call that writes into its arguments, a tape's pop); a `let` that is
 * never read is dropped with its assignments (a checkpointed loop's recomputation has no use for
 * the loop's condition).
 *
 * One backward pass (liveness) per block: walking a statement list from its end, `live` holds the
 * names that the statements after the current one read. A declaration is dead when its name is not
 * live (a declaration is visible only in the rest of its own block); a kept one hides its name from
 * the statements before it and makes the names its initialiser reads live. Dropping a declaration
 * also drops the reads only it made, so declarations that fed only dead ones go in the same pass.
 * The unread `let`s go first, in one pass that collects every name read anywhere. Linear in the
 * size of the body.
 */
import { forEachExpr } from '../../ir/code-walk.js';
import type { Expr, Stmt } from '../../ir/code.js';

export function removeDeadDeclarations(body: Stmt[]): Stmt[] {
  return prune(withoutUnreadLets(body)).kept;
}

/**
 * The statements without the `let`s whose names nothing reads (a name is read anywhere but as the
 * target of a plain `=`), when they and every value assigned to them are pure, nor their
 * assignments. A name declared twice is kept if either is read: the test is by name.
 */
function withoutUnreadLets(body: Stmt[]): Stmt[] {
  const read = new Set<string>();
  const impure = new Set<string>();
  const lets = new Set<string>();
  const visit = (list: Stmt[]): void => {
    for (const statement of list) {
      switch (statement.kind) {
        case 'declare':
          if (statement.declaration === 'let') lets.add(statement.name);
          if (statement.init) {
            addReads(statement.init, read);
            if (!isPure(statement.init)) impure.add(statement.name);
          }
          break;
        case 'assign':
          if (statement.op !== '=' || statement.target.kind !== 'ref') addReads(statement.target, read);
          else if (!isPure(statement.value)) impure.add(statement.target.name);
          addReads(statement.value, read);
          break;
        case 'expr':
          addReads(statement.expr, read);
          break;
        case 'return':
          addReads(statement.value, read);
          break;
        case 'if':
          addReads(statement.test, read);
          visit(statement.then);
          visit(statement.else);
          break;
        case 'block':
        case 'forever':
          visit(statement.body);
          break;
        case 'countdown':
          addReads(statement.from, read);
          visit(statement.body);
          break;
        case 'countup':
          addReads(statement.to, read);
          visit(statement.body);
          break;
      }
    }
  };
  visit(body);
  const unread = new Set([...lets].filter((name) => !read.has(name) && !impure.has(name)));
  if (unread.size === 0) return body;
  const strip = (list: Stmt[]): Stmt[] =>
    list.flatMap((statement): Stmt[] => {
      if (statement.kind === 'declare' && statement.declaration === 'let' && unread.has(statement.name)) return [];
      if (statement.kind === 'assign' && statement.op === '=' && statement.target.kind === 'ref' && unread.has(statement.target.name)) return [];
      switch (statement.kind) {
        case 'if':
          return [{ ...statement, then: strip(statement.then), else: strip(statement.else) }];
        case 'block':
        case 'forever':
        case 'countdown':
        case 'countup':
          return [{ ...statement, body: strip(statement.body) }];
        default:
          return [statement];
      }
    });
  return strip(body);
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
    case 'block':
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
