/**
 * `copy`: a deep copy of a container taken just before a call, for the reverse sweep to replay
 * the call from the arguments as they were (call.ts).
 *
 *   forward   const snapshot = copy of the container
 *   reverse   nothing: the copy holds primal values only
 *   tangent   nothing: forward mode replays nothing, so it needs no copy
 */
import type { CopyInstr } from '../../../ir/ssa.js';
import { copyOf } from '../shadows.js';
import type { InstrRules } from '../sweeps.js';
import { declare } from './shared.js';

export const copyRules: InstrRules<CopyInstr> = {
  forward({ ctx: { names }, facts }, instr) {
    return [
      declare(names.name(instr.result), copyOf(facts.typeOf(instr.container), names.expr(instr.container), facts.module.nestedArrays)),
    ];
  },

  reverse: () => [],

  tangent: () => [],
};
