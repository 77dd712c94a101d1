/**
 * The reverse sweep: walks each block's instructions last-to-first and applies the chain rule,
 *
 *   d_arg += d_result · ∂result/∂arg          (partials from the rules table)
 *
 * through the rules of each instruction kind (instructions/). A branch is reversed by the same
 * test, each side reversing its own block; a loop by its loop strategy. Containers' adjoints live
 * in their shadows: a load adds to the shadow, a store takes the adjoint out of it.
 *
 * It is built first, and returns what the later stages need as data (sweeps.ts): its statements,
 * holes at the start of each block's reverse (where the block's values are restored, once the tape
 * plan is known) and for code written from the forward sweep, and what each loop strategy's
 * reverse left for its forward sweep. What it reads of the forward sweep is tagged in its
 * statements (DiffContext.primal and shadow).
 */
import type { Expr, Stmt } from '../../ir/code.js';
import type { Block, CallInstr, LoopInstr, ValueId } from '../../ir/ssa.js';
import type { DiffContext, Need } from './context.js';
import type { FunctionFacts } from './facts.js';
import { rulesOf } from './instructions/index.js';
import type { ForwardSweep, Hole, LoopBody, ReverseSweep, ReverseSweepResult, Seed } from './sweeps.js';

export class ReverseSweepBuilder implements ReverseSweep {
  private readonly holes: Hole[] = [];
  private readonly reversals = new Map<LoopInstr, unknown>();
  private readonly callsApart = new Map<CallInstr, boolean[]>();

  constructor(
    readonly ctx: DiffContext,
    readonly facts: FunctionFacts,
  ) {}

  /** The holes made, the loops' reversals and the calls reversed apart, once the sweep is built. */
  result(): ReverseSweepResult {
    return { holes: [...this.holes], reversals: new Map(this.reversals), callsApart: new Map(this.callsApart) };
  }

  block(block: Block, seeds: Seed[], loopBody?: LoopBody, inScope?: boolean): Stmt[] {
    const { start, steps } = this.steps(block, seeds);
    const statements = [...start, ...steps.reverse().flat()];
    // the function's body needs no restore: its values are in scope in the reverse sweep
    if (block === this.facts.fn.body) return statements;
    const id = this.holes.length;
    this.holes.push({ kind: 'restore', id, block, loopBody, inScope });
    return [{ kind: 'hole', id }, ...statements];
  }

  /**
   * The reverse of a block instruction by instruction: `start` (the adjoints that start at zero, and
   * the seeds) runs first, then steps[i], the reverse of block.instrs[i], from the last to the first.
   * The steps are generated in that order, as the adjoints accumulate.
   */
  steps(block: Block, seeds: Seed[]): { start: Stmt[]; steps: Stmt[][] } {
    const { ctx, facts } = this;
    const start: Stmt[] = [];
    for (const value of definedValues(facts, block)) {
      if (facts.analysis.contributions.startAtZero.has(value)) start.push(ctx.adjoints.startAtZero(value));
    }
    for (const seed of seeds) {
      const added = this.accumulate(seed.value, seed.adjoint);
      if (added) start.push(added);
    }
    const steps: Stmt[][] = new Array(block.instrs.length);
    for (let i = block.instrs.length - 1; i >= 0; i--) {
      const instr = block.instrs[i]!;
      steps[i] = facts.activity.isEmitted(instr) ? rulesOf(instr).reverse(this, instr) : [];
    }
    return { start, steps };
  }

  accumulate(value: ValueId, contribution: Expr, comment?: string): Stmt | undefined {
    const { activity } = this.facts;
    if (!activity.isActive(value) || !activity.isScalar(value) || this.ctx.names.isInline(value)) return undefined;
    return this.ctx.adjoints.accumulate(value, contribution, comment);
  }

  later(reads: Need[], write: (forward: ForwardSweep) => Stmt[]): Stmt {
    const id = this.holes.length;
    this.holes.push({ kind: 'later', id, reads, write });
    return { kind: 'hole', id };
  }

  setReversal(loop: LoopInstr, reversal: unknown): void {
    this.reversals.set(loop, reversal);
  }

  setCallApart(call: CallInstr, pattern: boolean[]): void {
    this.callsApart.set(call, pattern);
  }
}

/** The values a block defines, in a fixed order. */
function definedValues(facts: FunctionFacts, block: Block): ValueId[] {
  const values: ValueId[] = [];
  for (const [value, definedIn] of facts.analysis.definedIn) if (definedIn === block) values.push(value);
  return values.sort((a, b) => a - b);
}
