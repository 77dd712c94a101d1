/**
 * The start of a block's reverse, written from its tape plan: pop what its forward sweep pushed,
 * in reverse order, then compute the rest again: loop counters, recomputed values, the trip counts
 * and running values of the loops inside it.
 */
import { add, ref } from '../../ir/build.js';
import type { Stmt } from '../../ir/code.js';
import type { Block } from '../../ir/ssa.js';
import { declare, elementOf } from './instructions/shared.js';
import { zeroShadow } from './shadows.js';
import { savedTypeText, tapeKind } from './saved-values.js';
import type { ForwardSweep } from './sweeps.js';
import { popExpr } from './tape.js';

export function restoreForReverse(forward: ForwardSweep, block: Block): Stmt[] {
  const { ctx, facts, plans } = forward;
  const { names } = ctx;
  const plan = plans.of(block);
  const root = facts.reverseRootOf(block);
  const popped = [...plan.saved].reverse().map(({ value, shadow }): Stmt => {
    const name = shadow ? names.shadowName(value) : names.name(value);
    const kind = tapeKind(facts, value, shadow);
    const savedType = savedTypeText(facts, value, shadow);
    return { kind: 'declare', declaration: 'const', name, init: popExpr(ctx.tapes(kind, savedType, root), kind, savedType) };
  });
  // a fused loop's iteration reads its own local tapes from their ends (the holes of the blocks
  // inside it come first, and were filled before this one: its tapes are all known)
  const iterationTapes = block === root && root !== facts.fn.body ? ctx.tapeCounters(root) : [];
  const counters = plan.counters.map(({ value, expr }): Stmt => declare(names.name(value), expr));
  const recomputed = plan.recomputed.flatMap(({ instr, primal, shadow }): Stmt[] => {
    if (instr.kind !== 'load') return forward.instr(instr);
    return [
      ...(primal ? [declare(names.name(instr.result), elementOf(names, names.expr(instr.container), instr.index))] : []),
      ...(shadow ? [declare(names.shadowName(instr.result), elementOf(names, ref(names.shadowName(instr.container)), instr.index))] : []),
    ];
  });
  // a trip count that the reverse of this block or of one around it computes already is read from there
  const tripCounts = plan.tripCounts.map(({ value, expr, key }): Stmt => {
    const holder = expr.kind === 'ref' ? undefined : plans.aroundInnerLoops.findTripCount(facts.enclosingBlocks(block), key);
    return declare(names.name(value), holder ? ref(holder) : expr);
  });
  // the iteration's running value: the one after it, less what it added
  const running = plan.running.flatMap(({ value, after, advance }): Stmt[] => [
    ...(advance.kind === 'num' && advance.value === 0
      ? []
      : [{ kind: 'assign', op: '-=', target: ref(after), value: advance } satisfies Stmt]),
    declare(names.name(value), ref(after)),
  ]);
  const madeFromRunning = plan.madeFromRunning.map(({ value, base, advance }): Stmt =>
    declare(names.name(value), add(names.expr(base), advance)),
  );
  // the shadows of objects of numbers that calls returned: zeros again (tape-plan.ts)
  const fresh = plan.freshShadows.map((value) => declare(names.shadowName(value), zeroShadow(facts.typeOf(value), names.expr(value))));
  return [
    ...iterationTapes,
    ...popped,
    ...counters,
    ...recomputed,
    ...fresh,
    ...plans.aroundInnerLoops.in(block),
    ...tripCounts,
    ...running,
    ...madeFromRunning,
  ];
}
