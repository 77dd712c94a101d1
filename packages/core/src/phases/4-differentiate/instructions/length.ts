/**
 * `length`: `a.length`. A count: it takes no adjoint and no tangent, and is computed alike in the
 * forward and the tangent sweep.
 */
import { member } from '../../../ir/build.js';
import type { LengthInstr } from '../../../ir/ssa.js';
import type { InstrRules } from '../sweeps.js';
import { declare, declareCommented } from './shared.js';

export const lengthRules: InstrRules<LengthInstr> = {
  forward({ ctx: { names } }, instr) {
    return [declare(names.name(instr.result), member(names.expr(instr.container), 'length'))];
  },

  reverse: () => [],

  tangent({ ctx: { names } }, instr) {
    return [declareCommented(names.name(instr.result), member(names.expr(instr.container), 'length'))];
  },
};
