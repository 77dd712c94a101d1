/**
 * `loop`: a body that runs at least once and again while `again`, carrying values from one
 * iteration to the next (init → param → next → result), counting its iterations (`trips`).
 *
 *   forward   the loop strategy's (loop-strategy.ts): taped, checkpointed; without the tape (in a
 *             checkpointed loop's recomputation) the loop just runs
 *   reverse   the loop strategy's: the body's reverse once per iteration, last first, the adjoints
 *             of the carried values handed from one iteration to the one before
 *   tangent   let carried = init, ċarried = i̇nit; for (;;) { body; carried = next, ċarried = ṅext; if (!again) break; }
 *             (a counted loop: for (let i = start; i < bound; i++) { body; carried = next, ċarried = ṅext },
 *             ../natural-loop.ts); a loop marked skippedWhenZero runs only if one of those
 *             adjoints or their tangents is not zero (../zero-adjoints.ts)
 */
import type { Stmt } from '../../../ir/code.js';
import type { LoopInstr } from '../../../ir/ssa.js';
import { shadowTypeText, typeText } from '../../../ir/type-text.js';
import { assignMergedTangents, tangentOrZero } from '../forward-mode/tangent-values.js';
import { endOfIteration } from '../loop-exit.js';
import { loopStrategy } from '../loop-strategy.js';
import type { InstrRules } from '../sweeps.js';
import { forwardLoop } from '../taped-loop.js';
import { bodyWithoutHeader, naturalFor } from '../natural-loop.js';
import { anyNonZero } from '../zero-adjoints.js';
import { ref } from '../../../ir/build.js';

export const loopRules: InstrRules<LoopInstr> = {
  forward(sweep, loop) {
    if (!sweep.taping) return forwardLoop(sweep, loop);
    return loopStrategy(sweep.facts, loop).forward(sweep, loop, sweep.reversal(loop));
  },

  reverse(sweep, loop) {
    const { statements, reversal } = loopStrategy(sweep.facts, loop).reverse(sweep, loop);
    if (reversal !== undefined) sweep.setReversal(loop, reversal);
    return statements;
  },

  tangent(sweep, loop) {
    const { ctx } = sweep;
    const names = ctx.names;
    // the reverse sweep reads nothing here; a counter with a tangent (its start varies) stays carried
    const shape = ctx.loopShapes.natural(loop, () => false);
    const natural = shape && !ctx.hasTangent(shape.counter.param) ? shape : undefined;
    // a carried value nothing reads (a counter the condition does not test) is not carried, nor the natural loop's counter
    const carried = loop.carried.filter(
      (c) =>
        c !== natural?.counter && ([c.param, c.result, c.next].some((v) => ctx.activity.isUseful(v)) || ctx.activity.isActive(c.param)),
    );
    const statements: Stmt[] = [];
    for (const c of carried) {
      statements.push({
        kind: 'declare',
        declaration: 'let',
        name: names.name(c.param),
        type: typeText(ctx.typeOf(c.param)),
        init: names.expr(c.init),
      });
      if (ctx.hasTangent(c.param))
        statements.push({
          kind: 'declare',
          declaration: 'let',
          name: ctx.tangentName(c.param),
          type: shadowTypeText(ctx.typeOf(c.param)),
          init: tangentOrZero(ctx, c.init),
        });
    }
    const nextValues = assignMergedTangents(
      ctx,
      carried.map((c) => ({ target: c.param, value: c.next })),
    );
    const body: Stmt[] = [
      ...bodyWithoutHeader(loop.body, sweep.steps(loop.body), natural),
      ...(natural
        ? nextValues
        : endOfIteration(
            ctx.namer,
            names,
            loop.again,
            carried.map((c) => c.param),
            nextValues,
          )),
    ];
    const loopStatement: Stmt = natural ? naturalFor(names, natural, body) : { kind: 'forever', body };
    // the reverse of a first-stage loop, marked: it changes nothing while its adjoints and their tangents are zero
    const seeds = loop.skippedWhenZero?.flatMap((v) => [names.expr(v), ...(ctx.hasTangent(v) ? [ref(ctx.tangentName(v))] : [])]);
    statements.push(seeds ? { kind: 'if', test: anyNonZero(seeds), then: [loopStatement], else: [] } : loopStatement);
    return statements;
  },
};
