/**
 * The forward sweep: the primal computation, one `const` per useful value, kept so the reverse
 * sweep can read the values its partials need. Code the result does not depend on is dropped.
 */
import type { Stmt } from '../../ir/code.js';
import type { SsaFunction } from '../../ir/ssa.js';
import { lookupRule } from '../../rules/index.js';
import type { Activity } from '../3-analyze/index.js';
import type { PrimalNames } from './primal-names.js';

export function forwardSweep(fn: SsaFunction, activity: Activity, primal: PrimalNames): Stmt[] {
  const statements: Stmt[] = [];
  for (const instr of fn.body.instrs) {
    if (instr.kind !== 'prim' || !activity.useful.has(instr.result)) continue;
    const init = lookupRule(instr.op)!.primal(instr.args.map((a) => primal.expr(a)));
    statements.push({ kind: 'declare', declaration: 'const', name: primal.define(instr), init });
  }
  return statements;
}
