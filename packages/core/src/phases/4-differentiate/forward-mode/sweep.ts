/**
 * The tangent sweep (forward mode): the primal computation, instruction by instruction, with the
 * tangent of each active value computed right after the value itself,
 *
 *   ṙ = Σᵢ ∂r/∂aᵢ · ȧᵢ          (rules/tangent.ts, from the partials of the rules table)
 *
 * in ONE pass: no tape and no reverse sweep. Each instruction kind's tangent rule is in
 * ../instructions/. Control flow is the primal's: a branch assigns the tangents of its φs on each
 * side, a loop carries the tangents of its carried values, and a container's tangent mirrors every
 * allocation, copy, load, store and push of its primal. A call calls the callee's tangent function
 * (module.ts), which returns the value and its tangent, or, for a callee that has only a
 * reverse-mode rule, that rule (rule-calls.ts).
 */
import type { Stmt } from '../../../ir/code.js';
import type { Block } from '../../../ir/ssa.js';
import { rulesOf } from '../instructions/index.js';
import type { TangentSweep } from '../sweeps.js';
import type { TangentContext } from './context.js';

export class TangentSweepOf implements TangentSweep {
  constructor(readonly ctx: TangentContext) {}

  block(block: Block): Stmt[] {
    return this.steps(block).flat();
  }

  /** The tangent sweep of a block instruction by instruction: steps[i] computes block.instrs[i] and its tangent. */
  steps(block: Block): Stmt[][] {
    return block.instrs.map((instr) => (this.ctx.activity.isEmitted(instr) ? rulesOf(instr).tangent(this, instr) : []));
  }
}
