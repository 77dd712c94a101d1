/**
 * `prim`: a primitive of the rules table (operators, `Math.*`, comparisons), r = op(a₀, a₁, …).
 *
 *   forward   const r = op(a₀, …)
 *   reverse   d_aᵢ += d_r · ∂r/∂aᵢ         for each active argument (partials from rules/)
 *   tangent   ṙ = Σᵢ ∂r/∂aᵢ · ȧᵢ            over the arguments with a tangent (rules/tangent.ts)
 */
import { mul, num, ref } from '../../../ir/build.js';
import type { Stmt } from '../../../ir/code.js';
import type { PrimInstr } from '../../../ir/ssa.js';
import { lookupRule, type DifferentiableRule } from '../../../rules/index.js';
import { tangentOf } from '../../../rules/tangent.js';
import type { InstrRules } from '../sweeps.js';
import { commentOf, declare, declareCommented } from './shared.js';

export const primRules: InstrRules<PrimInstr> = {
  forward(sweep, instr) {
    const { names } = sweep.ctx;
    return [declare(names.name(instr.result), lookupRule(instr.op)!.primal(instr.args.map((a) => names.expr(a))))];
  },

  reverse(sweep, instr) {
    const { ctx, facts } = sweep;
    const adjoint = ctx.adjoints.get(instr.result);
    const rule = lookupRule(instr.op);
    if (!adjoint || !facts.activity.isActive(instr.result) || rule?.kind !== 'differentiable') return [];
    const comment = commentOf(instr.origin);
    const statements: Stmt[] = [];
    instr.args.forEach((arg, i) => {
      if (!facts.activity.isActive(arg) || ctx.names.isInline(arg)) return;
      const partial = (rule as DifferentiableRule).partial(
        i,
        instr.args.map((a) => ctx.primal(a)),
        ctx.primal(instr.result),
      );
      // d_arg += d_result · ∂result/∂arg
      const statement = sweep.accumulate(arg, mul(adjoint, partial), comment);
      if (statement) statements.push(statement);
    });
    return statements;
  },

  tangent({ ctx }, instr) {
    const { names } = ctx;
    const rule = lookupRule(instr.op)!;
    const args = instr.args.map((a) => names.expr(a));
    const statements = [declareCommented(names.name(instr.result), rule.primal(args))];
    if (ctx.hasTangent(instr.result)) {
      // ṙ = Σᵢ ∂r/∂aᵢ · ȧᵢ over the arguments with a tangent
      const tangent =
        tangentOf(
          rule,
          args,
          instr.args.map((a) => ctx.tangent(a)),
          ref(names.name(instr.result)),
        ) ?? num(0);
      statements.push(declareCommented(ctx.tangentName(instr.result), tangent, commentOf(instr.origin)));
    }
    return statements;
  },
};
