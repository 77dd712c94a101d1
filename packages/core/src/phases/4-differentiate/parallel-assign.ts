/**
 * Assigning several variables at once, as a loop does when it hands its carried values to the
 * next iteration: `a = b; b = a` must swap, so when a right-hand side reads a variable assigned
 * before it, every value is first copied into a temporary.
 */
import { ref } from '../../ir/build.js';
import type { Expr, Stmt } from '../../ir/code.js';
import { readsVariable } from '../../ir/code-walk.js';
import type { Namer } from '../../naming.js';

export function parallelAssign(namer: Namer, assignments: Array<{ name: string; value: Expr }>): Stmt[] {
  const changed = assignments.filter((a) => !(a.value.kind === 'ref' && a.value.name === a.name));
  const conflict = changed.some((a, i) => changed.slice(0, i).some((earlier) => readsVariable(a.value, earlier.name)));
  if (!conflict) return changed.map((a) => ({ kind: 'assign', op: '=', target: ref(a.name), value: a.value }));
  const temporaries = changed.map((a) => ({ ...a, temporary: namer.claim(`next_${a.name}`) }));
  return [
    ...temporaries.map((a): Stmt => ({ kind: 'declare', declaration: 'const', name: a.temporary, init: a.value })),
    ...temporaries.map((a): Stmt => ({ kind: 'assign', op: '=', target: ref(a.name), value: ref(a.temporary) })),
  ];
}
