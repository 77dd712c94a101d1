/**
 * Dead-code removal after differentiation: a `const` whose name nothing after it reads is dropped
 * (for instance the forward sweep's copy of a row's shadow, when the reverse sweep reads the row
 * again instead of taking it from the tape), or kept as an expression statement when its
 * initialiser has an effect (a call that writes into its arguments, a tape's pop); a `let` that
 * nothing needs is dropped with its assignments (a checkpointed loop's recomputation has no use for
 * the loop's condition; a running sum that only feeds itself, like a tangent nothing reads after
 * its loop, or the value a fused reverse's "loop again" recomputes for nothing).
 *
 * One backward pass (liveness) per block: walking a statement list from its end, `live` holds the
 * names that the statements after the current one read. A declaration is dead when its name is not
 * live (a declaration is visible only in the rest of its own block); a kept one hides its name from
 * the statements before it and makes the names its initialiser reads live. Dropping a declaration
 * also drops the reads only it made, so declarations that fed only dead ones go in the same pass.
 * The `let`s nothing needs go first, in one pass that resolves every name through the blocks'
 * scopes (a read by a declaration that goes does not keep one). Linear in the size of the body
 * (times the depth of nesting).
 *
 * A call is pure when it calls a Math function, or a function the caller says is effect-free (a
 * primal copy of a function that writes none of its arguments, CalleeSummary.effectFree): then
 * a call whose result nothing reads goes too (a nested backprop's forward sweep computed a value
 * only for the caller that does not read it, module.ts).
 */
import { forEachExpr } from '../../ir/code-walk.js';
import type { Expr, Stmt } from '../../ir/code.js';

/** Whether a call of the named function may be dropped when nothing reads its result. */
export type EffectFree = (callee: string) => boolean;

export function removeDeadDeclarations(body: Stmt[], effectFree: EffectFree = () => false): Stmt[] {
  const isPure = (e: Expr) => isPureWith(e, effectFree);
  return prune(withoutUnreadLets(body, isPure), isPure).kept;
}

/**
 * The statements without the `let`s that nothing needs, when they and every value assigned to them
 * are pure, and without their assignments. A `let` is needed when a statement that has an effect or
 * decides something (a condition, a store, a return, an impure initialiser) reads it, or when a
 * needed declaration reads it: a loop-carried value that only feeds itself (`acc = acc + x`, a
 * tangent nothing reads after the loop) is not needed. Names are resolved through the blocks'
 * scopes, so a `let` is told apart from another of the same name in another block.
 */
function withoutUnreadLets(body: Stmt[], isPure: (e: Expr) => boolean): Stmt[] {
  const needed = new Set<Stmt>();
  const lets: Stmt[] = [];
  /** Each plain assignment to a variable, with the declaration it assigns. */
  const assignments = new Map<Stmt, Stmt | undefined>();
  /** The declarations each pure declaration (or pure assignment of a `let`) reads. */
  const reads = new Map<Stmt, Stmt[]>();
  walkScopes(body, undefined, {
    declared: (statement) => {
      if (statement.kind === 'declare' && statement.declaration === 'let') {
        lets.push(statement);
        if (statement.init && !isPure(statement.init)) needed.add(statement);
      }
    },
    read: (declaration, by) => {
      if (!declaration) return;
      // a read by a pure declaration or assignment is needed only if that declaration is
      if (!by || !isPure(by.value)) return void needed.add(declaration);
      const list = reads.get(by.reader);
      if (list) list.push(declaration);
      else reads.set(by.reader, [declaration]);
    },
    assigned: (statement, declaration, value) => {
      assignments.set(statement, declaration);
      if (declaration && !isPure(value)) needed.add(declaration);
    },
  });
  for (const pending = [...needed]; pending.length > 0;) {
    for (const read of reads.get(pending.pop()!) ?? []) {
      if (!needed.has(read)) {
        needed.add(read);
        pending.push(read);
      }
    }
  }
  const unread = new Set(lets.filter((statement) => !needed.has(statement)));
  if (unread.size === 0) return body;
  const dropped = (statement: Stmt) => {
    const assigned = assignments.get(statement);
    return unread.has(statement) || (assigned !== undefined && unread.has(assigned));
  };
  const strip = (list: Stmt[]): Stmt[] =>
    list.flatMap((statement): Stmt[] => {
      if (dropped(statement)) return [];
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

/** A block's declarations (undefined for a loop counter), and the enclosing block's scope. */
interface Scope {
  names: Map<string, Stmt | undefined>;
  parent: Scope | undefined;
}

function lookup(scope: Scope | undefined, name: string): Stmt | undefined {
  for (let s = scope; s; s = s.parent) if (s.names.has(name)) return s.names.get(name);
  return undefined;
}

/** Walks the statements in order, resolving every variable read and plain assignment to its declaration. */
function walkScopes(
  list: Stmt[],
  scope: Scope | undefined,
  on: {
    declared(statement: Stmt): void;
    /** A read, and the declaration whose initialiser (or the `let` whose assigned value) makes it, with that expression; none for any other read. */
    read(declaration: Stmt | undefined, by?: { reader: Stmt; value: Expr }): void;
    assigned(statement: Stmt, declaration: Stmt | undefined, value: Expr): void;
  },
): void {
  const inner: Scope = { names: new Map(), parent: scope };
  const reads = (e: Expr, by?: { reader: Stmt; value: Expr }) =>
    forEachExpr(e, (sub) => sub.kind === 'ref' && on.read(lookup(inner, sub.name), by));
  for (const statement of list) {
    switch (statement.kind) {
      case 'declare':
        if (statement.init) reads(statement.init, { reader: statement, value: statement.init });
        inner.names.set(statement.name, statement);
        on.declared(statement);
        break;
      case 'assign': {
        const target = statement.target;
        const plain = statement.op === '=' && target.kind === 'ref';
        const assigned = plain ? lookup(inner, target.name) : undefined;
        if (plain) on.assigned(statement, assigned, statement.value);
        else reads(target);
        reads(statement.value, assigned && { reader: assigned, value: statement.value });
        break;
      }
      case 'expr':
        reads(statement.expr);
        break;
      case 'return':
        reads(statement.value);
        break;
      case 'if':
        reads(statement.test);
        walkScopes(statement.then, inner, on);
        walkScopes(statement.else, inner, on);
        break;
      case 'block':
      case 'forever':
        walkScopes(statement.body, inner, on);
        break;
      case 'countdown':
        reads(statement.from);
        walkScopes(statement.body, { names: new Map([[statement.counter, undefined]]), parent: inner }, on);
        break;
      case 'countup':
        if (statement.from) reads(statement.from);
        reads(statement.to);
        walkScopes(statement.body, { names: new Map([[statement.counter, undefined]]), parent: inner }, on);
        break;
    }
  }
}

/** Prunes one block; `reads` are the names the block reads from outside it. */
function prune(list: Stmt[], isPure: (e: Expr) => boolean): { kept: Stmt[]; reads: Set<string> } {
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
      kept.push(pruneNested(statement, live, isPure));
    }
  }
  kept.reverse();
  return { kept, reads: live };
}

/** Prunes the blocks inside a statement and adds what the statement reads to `live`. */
function pruneNested(statement: Stmt, live: Set<string>, isPure: (e: Expr) => boolean): Stmt {
  const block = (list: Stmt[]): Stmt[] => {
    const { kept, reads } = prune(list, isPure);
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
      if (statement.from) addReads(statement.from, live);
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

/** Reading, creating or computing values, with no call that could write (Math and effect-free functions only) and no `--`. */
function isPureWith(e: Expr, effectFree: EffectFree): boolean {
  let pure = true;
  forEachExpr(e, (sub) => {
    if (sub.kind === 'call' && !sub.callee.startsWith('Math.') && !effectFree(sub.callee)) pure = false;
    if (sub.kind === 'method' && !['slice', 'fill', 'map'].includes(sub.method)) pure = false;
    if (sub.kind === 'unary' && sub.op === '--') pure = false;
  });
  return pure;
}
