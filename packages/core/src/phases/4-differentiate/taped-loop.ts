/**
 * The taped loop, the loop strategy of every loop but those checkpointed: the forward sweep runs
 * the loop, pushing at the end of each iteration what that iteration's reverse reads and cannot
 * compute again (tape-plan.ts), and counting its iterations when the reverse cannot compute the
 * count; the reverse sweep runs the body's reverse as many times, last iteration first, with the
 * adjoints of the carried values handed from one iteration to the one before.
 *
 *   forward   let carried = init; for (;;) { body; trips++; save; carried = next; if (!again) break; }
 *             or, for a counted loop (natural-loop.ts),
 *             let carried = init; for (let i = start; i < bound; i++) { body; trips++; save; carried = next }
 *   reverse   let d_carried = d_result; for (let k = trips; k > 0; k--) { restore; body's reverse;
 *             d_carried = d_param } d_init += d_carried
 */
import { num, ref } from '../../ir/build.js';
import type { Stmt } from '../../ir/code.js';
import type { LoopInstr, ValueId } from '../../ir/ssa.js';
import type { Activity } from '../../analysis/index.js';
import { endOfIteration } from './loop-exit.js';
import { assignMerged, declareMutable } from './merged-values.js';
import { parallelAssign } from './parallel-assign.js';
import type { ForwardSweep, LoopStrategy, ReverseSweep } from './sweeps.js';
import { hasCode } from './instructions/shared.js';
import { bodyWithoutHeader, naturalFor } from './natural-loop.js';
import { skippedWhenZero } from './zero-adjoints.js';

export const taped: LoopStrategy = {
  reverse(sweep, loop) {
    const reversed = reverseIteration(sweep, loop);
    if (!reversed) return { statements: [] };
    const countdown: Stmt = { kind: 'countdown', counter: reversed.counter, from: sweep.ctx.primal(loop.trips), body: reversed.iteration };
    return {
      statements: [...reversed.before, ...skippedWhenZero(sweep, loop, reversed.carried, [countdown]), ...reversed.after],
    };
  },

  forward: (sweep, loop) => forwardLoop(sweep, loop),
};

/** The carried values the forward sweep keeps: a carried value nothing reads (a counter the condition does not test) is not carried. */
export function keptCarried(activity: Activity, read: ReadonlySet<ValueId>, loop: LoopInstr): LoopInstr['carried'] {
  return loop.carried.filter(
    (c) => [c.param, c.result, c.next].some((v) => activity.isUseful(v) || read.has(v)) || activity.isActive(c.param),
  );
}

/**
 * True when the reverse sweep computes the loop's trip count from its bounds (trip-count.ts) instead
 * of reading it from the tape. The plan read here is the one the reverse sweep used: every block but
 * the function's body is planned before the forward sweep is written, and so is the body of a
 * function whose sweeps are called apart (recursive-calls.ts); any other body's plan is empty (its
 * values are in scope in the reverse sweep, untaped).
 */
function tripsComputed(sweep: ForwardSweep, loop: LoopInstr): boolean {
  const block = sweep.facts.analysis.definedIn.get(loop.trips);
  return block !== undefined && sweep.plans.of(block).tripCounts.some((t) => t.value === loop.trips);
}

/**
 * let carried = init; for (;;) { body; trips++; save; iterationEnd; carried = next; if (!again) break; },
 * or the natural `for` of a counted loop, whose header replaces the counter's increment and the test.
 * The trip count is kept only when the reverse sweep replays the loop (or `countTrips` asks for it).
 * `iterationEnd` runs at the end of every iteration (a fused loop's: the iteration's reverse).
 */
export function forwardLoop(
  sweep: ForwardSweep,
  loop: LoopInstr,
  countTrips = sweep.taping && sweep.plans.read.has(loop.trips) && !tripsComputed(sweep, loop),
  iterationEnd: Stmt[] = [],
  iterationStart: Stmt[] = [],
): Stmt[] {
  const { names, namer } = sweep.ctx;
  const statements: Stmt[] = [];
  const natural = sweep.facts.loopShapes.natural(loop, (value) => sweep.plans.read.has(value));
  const carried = keptCarried(sweep.facts.activity, sweep.plans.read, loop).filter((c) => c !== natural?.counter);
  for (const c of carried) {
    const shadowInit = sweep.facts.activity.isScalar(c.init) ? undefined : ref(names.shadowName(c.init));
    statements.push(...declareMutable(sweep, c.param, names.expr(c.init), shadowInit));
  }
  const trips = names.name(loop.trips);
  if (countTrips) statements.push({ kind: 'declare', declaration: 'let', name: trips, init: num(0) });
  const nextValues = assignMerged(
    sweep,
    carried.map((c) => ({ target: c.param, value: c.next })),
  );
  const body: Stmt[] = [
    ...iterationStart,
    ...bodyWithoutHeader(loop.body, sweep.steps(loop.body), natural),
    ...(countTrips ? [{ kind: 'assign', op: '+=', target: ref(trips), value: num(1) } as const] : []),
    ...sweep.save(loop.body),
    ...iterationEnd,
    ...(natural
      ? nextValues
      : endOfIteration(
          namer,
          names,
          loop.again,
          carried.map((c) => c.param),
          nextValues,
        )),
  ];
  // for (let i = start; i < bound; i++) { body; carried = next }, or the rotated loop
  return [...statements, natural ? naturalFor(names, natural, body) : { kind: 'forever', body }];
}

/** The reverse of one iteration of a loop, and what goes around the loop that repeats it. */
export interface ReversedIteration {
  /** `let d_carried = d_result`: the adjoints of the carried values after the last iteration. */
  before: Stmt[];
  /** Restores the iteration's values (a hole, filled once the tape plan is known), reverses the body, hands the carried adjoints to the iteration before. */
  iteration: Stmt[];
  /** d_init += d_carried. */
  after: Stmt[];
  /** The name of the counter the iteration reads its number from (trips … 1, last first). */
  counter: string;
  /** The names of the carried values' adjoints, which `before` declares. */
  carried: string[];
}

/** Undefined when the loop contributes no adjoint. */
export function reverseIteration(sweep: ReverseSweep, loop: LoopInstr): ReversedIteration | undefined {
  const { ctx, facts } = sweep;
  const carried = loop.carried.filter(
    (c) => facts.activity.isScalar(c.param) && (facts.activity.isActive(c.param) || facts.activity.isActive(c.result)),
  );
  const carries = carried.map((c) => ({ c, name: ctx.adjoints.carriedVariable(ctx.names.name(c.param)) }));
  const counter = ctx.namer.claim('iteration');
  const body = sweep.block(
    loop.body,
    carries.map(({ c, name }) => ({ value: c.next, adjoint: ref(name) })),
    { loop, counter },
  );
  if (!hasCode(body) && carries.length === 0) return undefined;
  const iteration = [
    ...body,
    ...parallelAssign(
      ctx.namer,
      carries.map(({ c, name }) => ({ name, value: ctx.adjoints.get(c.param) ?? num(0) })),
    ),
  ];
  const before: Stmt[] = carries.map(({ c, name }) => ({
    kind: 'declare',
    declaration: 'let',
    name,
    init: ctx.adjoints.get(c.result) ?? num(0),
  }));
  const after: Stmt[] = [];
  for (const { c, name } of carries) {
    const added = sweep.accumulate(c.init, ref(name));
    if (added) after.push(added);
  }
  return { before, iteration, after, counter, carried: carries.map(({ name }) => name) };
}
