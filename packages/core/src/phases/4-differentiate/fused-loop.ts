/**
 * The fused loop, the loop strategy of a loop whose iterations are independent and whose
 * accumulators reach the result by linear steps only (FunctionFacts.fusedLoops, from
 * analysis/independent-iterations.ts and analysis/linear-tail.ts): each iteration's reverse runs
 * in the forward sweep, right after the iteration, as a hand-written per-sample gradient does.
 * Nothing of an iteration is taped across iterations: its values are in scope where its reverse
 * runs, and what blocks inside it push, its reverse pops at once.
 *
 *   forward   const d_acc = d_result · ∂result/∂acc;  let d_v_inLoop = 0;
 *             let carried = init; for (;;) { body; body's reverse from d_next = d_acc; carried = next; if (!again) break; }
 *             push d_v_inLoop
 *   reverse   d_v += pop;  d_init += d_acc
 *
 * ∂result/∂acc is the product of the partials of the steps after the loop (`total / batch`:
 * 1 / batch), which read only values computed before it: so the adjoint of the accumulator, the
 * same in every iteration (s' = s + t passes d_s' to d_s unchanged), is known before the loop runs.
 * The iterations add the adjoints of numbers computed before the loop (v) into variables of their
 * own, d_v_inLoop: d_v is declared later, at the start of the reverse of v's block, where the tape
 * hands the sums over (the forward and the reverse sweep may be different blocks of the code).
 * The adjoints added into the shadows of the containers the loop reads are taken out by no later
 * write's reverse: nothing writes those containers after the loop starts (independent-iterations.ts).
 * A companion with local tapes (differentiated again) gives each iteration tapes of its own,
 * declared at the iteration's start and read from their ends by its reverse.
 */
import { add, div, mul, neg, num, ref } from '../../ir/build.js';
import type { Expr, Stmt } from '../../ir/code.js';
import type { LoopInstr, ValueId } from '../../ir/ssa.js';
import { definitionsIn, forEachInstr, operands } from '../../ir/walk.js';
import type { LinearTail } from '../../analysis/index.js';
import { needsOf, type DiffContext } from './context.js';
import type { FunctionFacts } from './facts.js';
import { hasCode } from './instructions/shared.js';
import type { LoopStrategy } from './sweeps.js';
import { popExpr, pushStmt } from './tape.js';
import { forwardLoop } from './taped-loop.js';

/** What the loop's reverse leaves for its forward sweep. */
interface FusedIteration {
  /** The accumulators' adjoints and the variables the iterations add the adjoints of outer numbers into. */
  before: Stmt[];
  /** One iteration's reverse, which starts with a restore hole that restores nothing. */
  iteration: Stmt[];
  /** Pushes of those variables, for the reverse sweep. */
  after: Stmt[];
}

export const fused: LoopStrategy = {
  reverse(sweep, loop) {
    const { ctx, facts } = sweep;
    const { tails } = facts.fusedLoops.get(loop)!;
    const accumulators = [...tails].map(([c, tail]) => ({ c, tail, name: ctx.adjoints.carriedVariable(ctx.names.name(c.param)) }));
    const inside = definitionsIn(loop.body);
    for (const c of loop.carried) inside.add(c.param);
    const outer = numbersFromOutside(facts, loop, inside).map((value) => {
      const adjoint = ctx.adjoints.get(value);
      // started at zero at the start of the reverse of its block, which holds the loop (contributions.ts)
      if (adjoint?.kind !== 'ref') throw new Error(`the adjoint of value ${value}, read in a fused loop, is not a variable`);
      return { value, name: ctx.adjoints.carriedVariable(`${ctx.names.name(value)}_inLoop`) };
    });
    const redirections = outer.map(({ value, name }) => ctx.adjoints.redirect(value, name));
    const iteration = sweep.block(
      loop.body,
      accumulators.map(({ c, name }) => ({ value: c.next, adjoint: ref(name) })),
      undefined,
      true,
    );
    redirections.forEach((r) => r.giveBack());
    // d_init += d_acc: each iteration passed the adjoint of the accumulator on unchanged
    const handedToInit: Stmt[] = [];
    for (const { c } of accumulators) {
      const added = sweep.accumulate(c.init, ctx.adjoints.get(c.result) ?? num(0));
      if (added) handedToInit.push(added);
    }
    if (!hasCode(iteration)) return { statements: handedToInit };
    const used = outer.filter((_, k) => redirections[k]!.used());
    // (asked for only when used: a companion declares the tapes its functions ask for)
    const tape = () => ctx.tapes('number', 'number');
    // the iteration's reads of values of the loop: the blocks inside the body plan for them
    const reads = needsOf(iteration).filter((need) => inside.has(need.value));
    const statements: Stmt[] = [sweep.later(reads, () => [])];
    for (const { value } of [...used].reverse()) {
      const added = sweep.accumulate(value, popExpr(tape(), 'number', 'number'));
      if (added) statements.push(added);
    }
    statements.push(...handedToInit);
    const reversal: FusedIteration = {
      before: [
        ...accumulators.map(({ c, tail, name }): Stmt => ({
          kind: 'declare',
          declaration: 'const',
          name,
          init: tailAdjoint(ctx, facts, tail, c.result),
          comment: 'the same in every iteration',
        })),
        ...used.map(({ name }): Stmt => ({ kind: 'declare', declaration: 'let', name, init: num(0) })),
      ],
      iteration,
      after: used.map(({ name }) => pushStmt(tape(), ref(name), 'number')),
    };
    return { statements, reversal };
  },

  forward(sweep, loop, reversal) {
    const fusedIteration = reversal as FusedIteration | undefined;
    if (!fusedIteration) return forwardLoop(sweep, loop);
    const comment: Stmt = { kind: 'comment', text: 'The reverse of this iteration, right after it (the iterations are independent).' };
    // with local tapes, each iteration has its own (the holes filled, every one is known)
    const tapes = sweep.ctx.tapeDeclarations(loop.body);
    return [
      ...fusedIteration.before,
      // the trip counts of inner loops made from values of before the loop (around-inner-loops.ts)
      ...sweep.plans.aroundInnerLoops.before(loop.body),
      ...forwardLoop(sweep, loop, undefined, [comment, ...fusedIteration.iteration], tapes),
      ...fusedIteration.after,
    ];
  },
};

/**
 * The numbers computed before the loop that its instructions read and that receive adjoints
 * outside their own block (contributions.ts): the iterations may contribute to their adjoints.
 */
function numbersFromOutside(facts: FunctionFacts, loop: LoopInstr, inside: ReadonlySet<ValueId>): ValueId[] {
  const { startAtZero } = facts.analysis.contributions;
  const outer = new Set<ValueId>();
  forEachInstr(loop.body, (instr) => {
    for (const v of operands(instr)) if (!inside.has(v) && startAtZero.has(v)) outer.add(v);
  });
  return [...outer].sort((a, b) => a - b);
}

/**
 * The adjoint of an accumulator's result, from the function's d_result through the linear steps
 * after the loop, last to first: d_operand += d_step · ∂step/∂operand. The partials read only
 * values computed before the loop (linear-tail.ts).
 */
function tailAdjoint(ctx: DiffContext, facts: FunctionFacts, tail: LinearTail, accumulated: ValueId): Expr {
  const result = facts.fn.result!;
  const seed = ctx.adjoints.get(result);
  if (!seed) return num(0);
  const adjoints = new Map<ValueId, Expr>([[result, seed]]);
  const contribute = (v: ValueId | undefined, e: Expr) => {
    if (v === undefined) return;
    const existing = adjoints.get(v);
    adjoints.set(v, existing ? add(existing, e) : e);
  };
  const value = (v: ValueId) => ctx.names.expr(v);
  for (const step of [...tail.steps].reverse()) {
    if (step.kind === 'phi') {
      const d = adjoints.get(step.to);
      if (d) contribute(step.from, d);
      continue;
    }
    const { instr } = step;
    const d = adjoints.get(instr.result);
    if (!d) continue;
    const [a, b] = instr.args;
    switch (instr.op) {
      case '+': // d(a + b)/da = d(a + b)/db = 1
        contribute(a, d);
        contribute(b, d);
        break;
      case '-': // d(a - b)/da = 1, d(a - b)/db = -1
        contribute(a, d);
        contribute(b, neg(d));
        break;
      case 'neg': // d(-a)/da = -1
        contribute(a, neg(d));
        break;
      case '*': // d(a·b)/da = b: only one of them comes from the accumulator
        if (tail.cone.has(a!)) contribute(a, mul(d, value(b!)));
        else contribute(b, mul(d, value(a!)));
        break;
      case '/': // d(a / b)/da = 1 / b
        contribute(a, div(d, value(b!)));
        break;
    }
  }
  return adjoints.get(accumulated) ?? num(0);
}
