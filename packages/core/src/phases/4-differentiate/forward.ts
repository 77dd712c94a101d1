/**
 * The forward sweep, written from the tape plan: the primal computation, one `const` per useful
 * value, through the rules of each instruction kind (instructions/), with the shadows of active
 * containers built alongside their primals. A block that can run more than once ends by pushing
 * the values its reverse reads and cannot compute again. Code the result does not depend on is
 * dropped.
 */
import { ref } from '../../ir/build.js';
import type { Stmt } from '../../ir/code.js';
import type { Block, CallInstr, Instr, LoopInstr, ValueId } from '../../ir/ssa.js';
import { results } from '../../ir/walk.js';
import type { DiffContext } from './context.js';
import type { FunctionFacts } from './facts.js';
import { rulesOf } from './instructions/index.js';
import { savedTypeText, tapeKind } from './saved-values.js';
import type { ForwardSweep, ReverseSweepResult, TapePlans } from './sweeps.js';
import { pushStmt } from './tape.js';

export class PlannedForwardSweep implements ForwardSweep {
  constructor(
    readonly ctx: DiffContext,
    readonly facts: FunctionFacts,
    readonly plans: TapePlans,
    /** What each loop strategy's reverse left for its forward sweep, and which calls it reverses apart. */
    private readonly reversed: Pick<ReverseSweepResult, 'reversals' | 'callsApart'>,
    readonly taping = true,
  ) {}

  untaped(): ForwardSweep {
    return new PlannedForwardSweep(this.ctx, this.facts, this.plans, this.reversed, false);
  }

  reversal(loop: LoopInstr): unknown {
    return this.reversed.reversals.get(loop);
  }

  callApart(call: CallInstr): boolean[] | undefined {
    return this.taping ? this.reversed.callsApart.get(call) : undefined;
  }

  block(block: Block): Stmt[] {
    return this.steps(block).flat();
  }

  steps(block: Block): Stmt[][] {
    return block.instrs.map((instr) => {
      // what the result needs, and what the reverse sweep reads (a call's snapshot, a push's index)
      const emitted = this.facts.activity.isEmitted(instr) || results(instr).some((r) => this.plans.read.has(r));
      return emitted ? this.instr(instr) : [];
    });
  }

  instr(instr: Instr): Stmt[] {
    return rulesOf(instr).forward(this, instr);
  }

  save(block: Block): Stmt[] {
    if (!this.taping) return [];
    const { ctx, facts } = this;
    return this.plans.of(block).saved.map(({ value, shadow }) => {
      const kind = tapeKind(facts, value, shadow);
      return pushStmt(
        ctx.tapes(kind, savedTypeText(facts, value, shadow), facts.reverseRootOf(block)),
        shadow ? ref(ctx.names.shadowName(value)) : ctx.names.expr(value),
        kind,
      );
    });
  }

  hasShadow(value: ValueId): boolean {
    return this.taping && !this.facts.activity.isScalar(value) && this.facts.activity.isActive(value);
  }
}
