/**
 * The companion without the functions nothing calls. A function is generated when a sweep first
 * asks for it, before dead-code removal has decided which calls stay: a nested backprop's forward
 * sweep asks for the primal copy of g, and then drops the call when only the value it no longer
 * returns read its result (dead-code.ts). What the exports, the constants and the shared
 * declarations call, directly or through other functions, is kept, in its order.
 */
import { forEachExpr, forEachExprInStatements } from '../../ir/code-walk.js';
import type { CodeModule, Expr } from '../../ir/code.js';

export function withoutUncalledFunctions(module: CodeModule): CodeModule {
  const local = new Map(module.items.flatMap((item) => (item.kind === 'function' && !item.exported ? [[item.name, item] as const] : [])));
  const called = new Set<string>();
  const work: string[] = [];
  // a function is named by a call, or by a reference when it is passed as a value
  const visit = (e: Expr) => {
    const name = e.kind === 'call' ? e.callee : e.kind === 'ref' ? e.name : undefined;
    if (name !== undefined && local.has(name) && !called.has(name)) {
      called.add(name);
      work.push(name);
    }
  };
  for (const item of module.items) {
    if (item.kind === 'function' && item.exported) forEachExprInStatements(item.body, visit);
    if (item.kind === 'const') forEachExpr(item.init, visit);
    // (the shared declarations are verbatim text: a function whose name appears in one is kept)
    if (item.kind === 'raw') for (const name of local.keys()) if (item.text.includes(name)) visit({ kind: 'ref', name });
  }
  for (let name = work.pop(); name !== undefined; name = work.pop()) forEachExprInStatements(local.get(name)!.body, visit);
  if (called.size === local.size) return module;
  return { ...module, items: module.items.filter((item) => item.kind !== 'function' || item.exported || called.has(item.name)) };
}
