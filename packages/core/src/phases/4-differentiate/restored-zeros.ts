/**
 * Removes a shadow element's reset when the same statements give it back its value. An update in
 * place, `out[j] = out[j] + a·x`, has the reverse
 *
 *   const d_sum = d_out[j];   // the adjoint of the stored value
 *   d_out[j] = 0;             // the old element is overwritten: it takes no more
 *   …                         // (d_sum flows into a·x)
 *   d_out[j] += d_sum;        // d(out[j] + a·x)/d(out[j]) = 1: the old element gets d_sum back
 *
 * which leaves d_out[j] as it was. When nothing between the reset and the addition mentions d_out
 * or changes j, both are dropped (the element keeps d_sum itself, where it would get 0 + d_sum).
 */
import { forEachExprInStatements } from '../../ir/code-walk.js';
import type { Expr, Stmt } from '../../ir/code.js';

export function removeRestoredZeros(body: Stmt[]): Stmt[] {
  const statements = body.map(withNestedLists);
  const dropped = new Set<number>();
  for (let i = 1; i < statements.length; i++) {
    const read = statements[i - 1]!;
    const reset = statements[i]!;
    if (read.kind !== 'declare' || read.declaration !== 'const' || !read.init || !isReset(reset) || !sameElement(read.init, reset.target))
      continue;
    const element = reset.target as Extract<Expr, { kind: 'index' }>;
    const array = (element.object as Extract<Expr, { kind: 'ref' }>).name;
    const index = element.index.kind === 'ref' ? element.index.name : undefined;
    for (let k = i + 1; k < statements.length; k++) {
      const later = statements[k]!;
      if (isAddBack(later, element, read.name)) {
        dropped.add(i).add(k);
        break;
      }
      if (mentions(later, array) || (index !== undefined && changes(later, index)) || changes(later, read.name)) break;
    }
  }
  return statements.filter((_, i) => !dropped.has(i));
}

function withNestedLists(statement: Stmt): Stmt {
  switch (statement.kind) {
    case 'if':
      return { ...statement, then: removeRestoredZeros(statement.then), else: removeRestoredZeros(statement.else) };
    case 'block':
    case 'forever':
    case 'countdown':
    case 'countup':
      return { ...statement, body: removeRestoredZeros(statement.body) };
    default:
      return statement;
  }
}

/** `shadow[i] = 0` with a variable or literal index. */
function isReset(s: Stmt): s is Extract<Stmt, { kind: 'assign' }> {
  return s.kind === 'assign' && s.op === '=' && s.value.kind === 'num' && s.value.value === 0 && isSimpleElement(s.target);
}

function isSimpleElement(e: Expr): boolean {
  return e.kind === 'index' && e.object.kind === 'ref' && (e.index.kind === 'ref' || e.index.kind === 'num');
}

function sameElement(a: Expr, b: Expr): boolean {
  if (!isSimpleElement(a) || !isSimpleElement(b) || a.kind !== 'index' || b.kind !== 'index') return false;
  const name = (e: Expr) => (e.kind === 'ref' ? `ref ${e.name}` : e.kind === 'num' ? `num ${e.value}` : '');
  return name(a.object) === name(b.object) && name(a.index) === name(b.index);
}

/** `shadow[i] += d`: the addition that gives the element back the value read before the reset. */
function isAddBack(s: Stmt, element: Expr, read: string): boolean {
  return s.kind === 'assign' && s.op === '+=' && sameElement(s.target, element) && s.value.kind === 'ref' && s.value.name === read;
}

/** True when the statement (or one nested in it) reads or writes the variable `name`. */
function mentions(statement: Stmt, name: string): boolean {
  let found = changes(statement, name);
  forEachExprInStatements([statement], (e) => {
    if (e.kind === 'ref' && e.name === name) found = true;
  });
  return found;
}

/** True when the statement (or one nested in it) declares or assigns the variable `name`. */
function changes(statement: Stmt, name: string): boolean {
  switch (statement.kind) {
    case 'declare':
      return statement.name === name;
    case 'assign':
      return statement.target.kind === 'ref' && statement.target.name === name;
    case 'if':
      return [...statement.then, ...statement.else].some((s) => changes(s, name));
    case 'forever':
      return statement.body.some((s) => changes(s, name));
    case 'countdown':
    case 'countup':
      return statement.counter === name || statement.body.some((s) => changes(s, name));
    default:
      return false;
  }
}
