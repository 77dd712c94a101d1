/**
 * The reverse sweep: walks the active instructions last-to-first and applies the chain rule,
 * d_arg += d_result · ∂result/∂arg, with the partials taken from the rules table.
 */
import { mul, num } from '../../ir/build.js';
import type { Stmt } from '../../ir/code.js';
import type { PrimInstr, SsaFunction, ValueId } from '../../ir/ssa.js';
import type { Namer } from '../../naming.js';
import { lookupRule, type DifferentiableRule } from '../../rules/index.js';
import type { Activity } from '../3-analyze/index.js';
import { Adjoints } from './adjoints.js';
import type { PrimalNames } from './primal-names.js';

export function reverseSweep(
  fn: SsaFunction,
  activity: Activity,
  primal: PrimalNames,
  namer: Namer,
): { statements: Stmt[]; adjoints: Adjoints } {
  const activeInstrs = fn.body.instrs.filter(
    (i): i is PrimInstr => i.kind === 'prim' && activity.active.has(i.result),
  );
  const adjoints = new Adjoints(namer, countContributions(activeInstrs, activity), (v) => primal.name(v));
  const statements: Stmt[] = [];
  if (activity.active.has(fn.result)) adjoints.seed(fn.result, num(1)); // ∂result/∂result = 1

  for (const instr of [...activeInstrs].reverse()) {
    const adjoint = adjoints.get(instr.result);
    if (!adjoint) continue;
    const rule = lookupRule(instr.op) as DifferentiableRule;
    const args = instr.args.map((a) => primal.expr(a));
    const result = primal.expr(instr.result);
    const comment = `line ${instr.origin.line}: ${instr.origin.text}`;
    instr.args.forEach((arg, i) => {
      if (!activity.active.has(arg)) return;
      // d_arg += d_result · ∂result/∂arg
      const statement = adjoints.accumulate(arg, mul(adjoint, rule.partial(i, args, result)), comment);
      if (statement) statements.push(statement);
    });
  }
  return { statements, adjoints };
}

function countContributions(instrs: PrimInstr[], activity: Activity): Map<ValueId, number> {
  const counts = new Map<ValueId, number>();
  for (const instr of instrs) {
    for (const arg of instr.args) if (activity.active.has(arg)) counts.set(arg, (counts.get(arg) ?? 0) + 1);
  }
  return counts;
}
