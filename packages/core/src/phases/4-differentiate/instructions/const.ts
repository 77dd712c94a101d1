/**
 * `const`: a number or boolean written in the source. Every sweep writes it inline where it is
 * read (names.ts), so it has no code of its own, no adjoint and no tangent.
 */
import type { ConstInstr } from '../../../ir/ssa.js';
import type { InstrRules } from '../sweeps.js';

export const constRules: InstrRules<ConstInstr> = {
  forward: () => [],
  reverse: () => [],
  tangent: () => [],
};
