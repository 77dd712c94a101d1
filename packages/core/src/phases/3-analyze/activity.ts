/**
 * Activity analysis. A value is *varied* when it depends, through differentiable operations, on
 * a parameter the gradient is taken with respect to, and *useful* when the result depends on it.
 * Only values that are both (*active*) carry an adjoint; everything else is plain forward code,
 * and code that is not useful at all is not emitted. This is why an unused `Math.acos(2)` cannot
 * turn a gradient into NaN, and why a piecewise-constant `Math.floor(x)` stops the gradient.
 */
import { instructions, operands } from '../../ir/walk.js';
import type { SsaFunction, ValueId } from '../../ir/ssa.js';
import { lookupRule } from '../../rules/index.js';

export interface Activity {
  varied: Set<ValueId>;
  useful: Set<ValueId>;
  active: Set<ValueId>;
}

export function analyzeActivity(fn: SsaFunction): Activity {
  const instrs = instructions(fn.body);
  const varied = new Set<ValueId>(fn.params.filter((p) => p.differentiable).map((p) => p.value));
  for (const instr of instrs) {
    if (instr.kind !== 'prim' || lookupRule(instr.op)?.kind !== 'differentiable') continue;
    if (instr.args.some((a) => varied.has(a))) varied.add(instr.result);
  }
  const useful = new Set<ValueId>([fn.result]);
  for (let i = instrs.length - 1; i >= 0; i--) {
    const instr = instrs[i]!;
    if (useful.has(instr.result)) for (const operand of operands(instr)) useful.add(operand);
  }
  const active = new Set([...varied].filter((v) => useful.has(v)));
  return { varied, useful, active };
}
