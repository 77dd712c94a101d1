/**
 * The rerun loop, the loop strategy of a loop whose iterations are independent but whose
 * accumulators' adjoints are known only after it (`innerSum * innerSum` in least squares), when
 * its body is cheap to run (FunctionFacts.rerunLoops): the forward sweep runs it without the tape;
 * where the reverse sweep reaches it, it runs again from its start, first iteration to last, each
 * iteration's reverse right after it, as a second pass. Nothing is taped across iterations: a
 * carried number without an adjoint (`mul *= t`) is computed again in order, and the adjoint of
 * each accumulator is the same in every iteration.
 *
 *   forward   let carried = init; for (;;) { body; carried = next; if (!again) break; }   (untaped)
 *   reverse   const d_acc = d_result_acc;
 *             { let carried = init; for (;;) { body; body's reverse from d_next = d_acc; carried = next; if (!again) break; } }
 *             d_init += d_acc
 *
 * The second pass reads what the loop read (analysis/independent-iterations.ts: nothing writes it
 * after the loop starts) and its initial state, which the blocks around it make available to
 * the reverse sweep as they do any value it reads.
 */
import { num, ref } from '../../ir/build.js';
import type { Expr, Stmt } from '../../ir/code.js';
import { needsOf, type Need } from './context.js';
import { valuesReadFromOutside } from './checkpoint-state.js';
import { hasCode } from './instructions/shared.js';
import type { LoopStrategy } from './sweeps.js';
import { forwardLoop } from './taped-loop.js';

export const rerun: LoopStrategy = {
  reverse(sweep, loop) {
    const { ctx, facts } = sweep;
    const accumulators = facts.rerunLoops.get(loop)!.map((c) => ({
      c,
      name: ctx.adjoints.carriedVariable(ctx.names.name(c.param)),
      adjoint: ctx.adjoints.get(c.result) ?? num(0),
    }));
    const iteration = sweep.block(
      loop.body,
      accumulators.map(({ c, name }) => ({ value: c.next, adjoint: ref(name) })),
      undefined,
      true,
    );
    // d_init += d_acc: each iteration passed the adjoint of the accumulator on unchanged (read
    // before the pass, which may add to the variable d_acc's expression names)
    const handedToInit = (adjointOf: (a: (typeof accumulators)[number]) => Expr): Stmt[] =>
      accumulators.flatMap((a) => sweep.accumulate(a.c.init, adjointOf(a)) ?? []);
    if (!hasCode(iteration)) return { statements: handedToInit((a) => a.adjoint) };
    // the second pass reads the loop's initial state and what its body reads from outside (shadows too)
    const reads: Need[] = [
      ...needsOf(iteration),
      ...valuesReadFromOutside(ctx.names, loop).flatMap((value) => [
        { value, shadow: false },
        ...(facts.activity.isScalar(value) || !facts.activity.isActive(value) ? [] : [{ value, shadow: true }]),
      ]),
    ];
    const pass = sweep.later(reads, (forward) => [
      { kind: 'comment', text: 'The loop again, each iteration reversed right after it (the iterations are independent).' },
      ...forwardLoop(forward, loop, false, iteration),
    ]);
    const statements: Stmt[] = [
      ...accumulators.map(({ name, adjoint }): Stmt => ({
        kind: 'declare',
        declaration: 'const',
        name,
        init: adjoint,
        comment: 'the same in every iteration',
      })),
      // (a block of its own: the pass declares the loop's carried variables again)
      { kind: 'block', body: [pass] },
      ...handedToInit((a) => ref(a.name)),
    ];
    return { statements, reversal: true };
  },

  forward(sweep, loop, reversal) {
    return reversal ? forwardLoop(sweep.untaped(), loop, false) : forwardLoop(sweep, loop);
  },
};
