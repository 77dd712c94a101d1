/**
 * `if`: a branch that owns a then-block and an else-block, and merges the values that differ
 * between them into φs (r = cond ? then-value : else-value).
 *
 *   forward   let r; if (cond) { then-block; save; r = then-value } else { … }
 *   reverse   if (cond) { reverse of the then-block, from d_then-value += d_r } else { … }
 *   tangent   as forward, with ṙ assigned beside r on each side
 */
import type { Block, IfInstr } from '../../../ir/ssa.js';
import { assignMergedTangents, declareMerged } from '../forward-mode/tangent-values.js';
import { assignMerged, declareMutable } from '../merged-values.js';
import type { InstrRules } from '../sweeps.js';
import { hasCode } from './shared.js';

export const ifRules: InstrRules<IfInstr> = {
  forward(sweep, instr) {
    const { activity } = sweep.facts;
    const phis = instr.phis.filter((phi) => activity.isUseful(phi.result) || activity.isActive(phi.result));
    const side = (block: Block, pick: 'then' | 'else') => [
      ...sweep.block(block),
      ...sweep.save(block),
      ...assignMerged(
        sweep,
        phis.map((phi) => ({ target: phi.result, value: phi[pick] })),
      ),
    ];
    return [
      ...phis.flatMap((phi) => declareMutable(sweep, phi.result)),
      { kind: 'if', test: sweep.ctx.names.expr(instr.cond), then: side(instr.then, 'then'), else: side(instr.else, 'else') },
    ];
  },

  reverse(sweep, instr) {
    const { ctx, facts } = sweep;
    const [then, otherwise] = (['then', 'else'] as const).map((side) => {
      const seeds = instr.phis.flatMap((phi) => {
        const adjoint = ctx.adjoints.get(phi.result);
        return adjoint && facts.activity.isActive(phi.result) ? [{ value: phi[side], adjoint }] : [];
      });
      return sweep.block(instr[side], seeds);
    }) as [ReturnType<typeof sweep.block>, ReturnType<typeof sweep.block>];
    if (!hasCode(then) && !hasCode(otherwise)) return [];
    return [{ kind: 'if', test: ctx.primal(instr.cond), then, else: otherwise }];
  },

  tangent(sweep, instr) {
    const { ctx } = sweep;
    const phis = instr.phis.filter((phi) => ctx.activity.isUseful(phi.result) || ctx.activity.isActive(phi.result));
    const side = (block: Block, pick: 'then' | 'else') => [
      ...sweep.block(block),
      ...assignMergedTangents(
        ctx,
        phis.map((phi) => ({ target: phi.result, value: phi[pick] })),
      ),
    ];
    return [
      ...phis.flatMap((phi) => declareMerged(ctx, phi.result)),
      { kind: 'if', test: ctx.names.expr(instr.cond), then: side(instr.then, 'then'), else: side(instr.else, 'else') },
    ];
  },
};
