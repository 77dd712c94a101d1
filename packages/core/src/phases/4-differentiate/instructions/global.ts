/**
 * `global`: a module-level constant (`K`, `Math.PI`). Every sweep reads it by the companion's name
 * for it (names.ts), so it has no code of its own, no adjoint and no tangent.
 */
import type { GlobalInstr } from '../../../ir/ssa.js';
import type { InstrRules } from '../sweeps.js';

export const globalRules: InstrRules<GlobalInstr> = {
  forward: () => [],
  reverse: () => [],
  tangent: () => [],
};
