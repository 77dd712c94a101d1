/**
 * `load`: e = a[i] (or a.field).
 *
 *   forward   const e = a[i]; for a row of an active matrix, its shadow d_e = d_a[i] too
 *   reverse   d_a[i] += d_e
 *   tangent   ė = ȧ[i] (for a row, the tangent's row: they share storage as the primals do)
 */
import { binary, ref } from '../../../ir/build.js';
import type { Stmt } from '../../../ir/code.js';
import type { LoadInstr } from '../../../ir/ssa.js';
import type { InstrRules } from '../sweeps.js';
import { commentOf, declare, declareCommented, elementOf, elementRead } from './shared.js';

export const loadRules: InstrRules<LoadInstr> = {
  forward(sweep, instr) {
    const { names } = sweep.ctx;
    const statements = [declare(names.name(instr.result), elementOf(names, names.expr(instr.container), instr.index))];
    // a row of an active matrix: its shadow is the matrix shadow's row
    if (sweep.hasShadow(instr.result)) {
      statements.push(declare(names.shadowName(instr.result), elementOf(names, ref(names.shadowName(instr.container)), instr.index)));
    }
    return statements;
  },

  reverse({ ctx, facts }, instr) {
    // d_container[i] += d_element
    const adjoint = ctx.adjoints.get(instr.result);
    if (!adjoint || !facts.activity.isScalar(instr.result) || !facts.activity.isActive(instr.container)) return [];
    const shadow = ctx.shadow(instr.container);
    const target = elementRead(ctx, shadow, instr.index);
    const statement: Stmt = { kind: 'assign', op: '+=', target, value: adjoint, comment: commentOf(instr.origin) };
    // A read the program tests with ?? may find no element (past the end, a negative or
    // fractional index, a hole): there is none to take an adjoint, and adding to d_a[1.5] would
    // give the gradient a property the parameter does not have.
    if (typeof instr.index === 'string' || !facts.testedForMissing(instr.result)) return [statement];
    return [{ kind: 'if', test: binary('!==', target, ref('undefined')), then: [statement], else: [] }];
  },

  tangent({ ctx }, instr) {
    const { names } = ctx;
    const statements = [declareCommented(names.name(instr.result), elementOf(names, names.expr(instr.container), instr.index))];
    if (ctx.hasTangent(instr.result))
      statements.push(
        declareCommented(
          ctx.tangentName(instr.result),
          elementOf(names, ref(ctx.tangentName(instr.container)), instr.index),
          commentOf(instr.origin),
        ),
      );
    return statements;
  },
};
