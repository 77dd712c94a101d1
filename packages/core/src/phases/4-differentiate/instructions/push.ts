/**
 * `push`: a.push(v), at index i (the length before the push).
 *
 *   forward   a.push(v); the shadow grows alike (with 0, or v's shadow for a row)
 *   reverse   d_v += d_a[i]; a parameter's shadow: d_a.length = i (its length back)
 *   tangent   ȧ.push(v̇)
 */
import { index, member, method, num, ref } from '../../../ir/build.js';
import type { Stmt } from '../../../ir/code.js';
import type { PushInstr } from '../../../ir/ssa.js';
import { tangentOrZero } from '../forward-mode/tangent-values.js';
import type { InstrRules } from '../sweeps.js';
import { commentOf } from './shared.js';

export const pushRules: InstrRules<PushInstr> = {
  forward(sweep, instr) {
    const { names } = sweep.ctx;
    const { activity } = sweep.facts;
    const statements: Stmt[] = [{ kind: 'expr', expr: method(names.expr(instr.container), 'push', [names.expr(instr.value)]) }];
    if (sweep.taping && activity.isActive(instr.container)) {
      const shadowElement = activity.isScalar(instr.value) ? num(0) : ref(names.shadowName(instr.value));
      statements.push({ kind: 'expr', expr: method(ref(names.shadowName(instr.container)), 'push', [shadowElement]) });
    }
    return statements;
  },

  reverse(sweep, instr) {
    const { ctx, facts } = sweep;
    if (!facts.activity.isActive(instr.container)) return [];
    const comment = commentOf(instr.origin);
    const statements: Stmt[] = [];
    if (facts.activity.isScalar(instr.value)) {
      const added = sweep.accumulate(instr.value, index(ctx.shadow(instr.container), ctx.primal(instr.index)), comment);
      if (added) statements.push(added);
    }
    // a parameter's shadow gets back the length it had before the push (3-optimize/parameter-layout.ts)
    if (instr.restoresLength) {
      statements.push({
        kind: 'assign',
        op: '=',
        target: member(ctx.shadow(instr.container), 'length'),
        value: ctx.primal(instr.index),
        comment,
      });
    }
    return statements;
  },

  tangent({ ctx }, instr) {
    const { names } = ctx;
    const statements: Stmt[] = [{ kind: 'expr', expr: method(names.expr(instr.container), 'push', [names.expr(instr.value)]) }];
    if (ctx.hasTangent(instr.container))
      statements.push({
        kind: 'expr',
        expr: method(ref(ctx.tangentName(instr.container)), 'push', [tangentOrZero(ctx, instr.value)]),
        comment: commentOf(instr.origin),
      });
    return statements;
  },
};
