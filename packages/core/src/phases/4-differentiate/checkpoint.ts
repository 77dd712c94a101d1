/**
 * Checkpointed loops (`// @checkpoint`, or the option `checkpointLoops`): instead of taping every
 * iteration, the gradient stores a few states of the loop and recomputes the rest, by the binomial
 * schedule of checkpoint-schedule.ts.
 *
 *   forward sweep   keep the loop's initial state (its carried values are the inits; the arrays
 *                   it reads are copied), then run the loop once without the tape, counting its
 *                   iterations n (the trip count of a loop with breaks is known only then);
 *   reverse sweep   start from the initial state and ask the schedule what to do until it is done:
 *                     advance   run iterations from … capo − 1 without the tape
 *                     store     copy the state into a slot
 *                     restore   copy it back from a slot
 *                     reverse   run iteration capo with the tape, then its reverse at once, with
 *                               the carried adjoints handed on as in an ordinary loop's reverse.
 *
 * With s slots and r repetitions, n ≤ C(s + r, s) iterations are reversed running each at most r
 * extra times, holding at most s states and one iteration's tape: one extra pass over the loop
 * and the recomputation factor buy memory O(s) instead of O(n).
 */
import { binary, member, num, ref } from '../../ir/build.js';
import type { Expr, Stmt } from '../../ir/code.js';
import type { LoopInstr, ValueId } from '../../ir/ssa.js';
import { typeText } from '../../ir/type-text.js';
import { loopState, restoreInto, valuesReadFromOutside, type LoopState } from './checkpoint-state.js';
import { needsOf } from './context.js';
import { parallelAssign } from './parallel-assign.js';
import { copyOf } from './shadows.js';
import type { ForwardSweep, LoopStrategy } from './sweeps.js';
import { popExpr, pushStmt } from './tape.js';
import { forwardLoop, reverseIteration, type ReversedIteration } from './taped-loop.js';

/** Repetitions allowed per iteration when the mark names neither snapshots nor repetitions. */
const DEFAULT_REPETITIONS = 3;

export const checkpointed: LoopStrategy = {
  /**
   * A block holding the driver of the schedule, written once the tape plan is known (it runs the
   * body's forward sweep too); the iteration's reverse inside it is generated now (its reads decide
   * the tape plans).
   */
  reverse(sweep, loop) {
    const reversed = reverseIteration(sweep, loop);
    if (!reversed) return { statements: [] };
    // the driver reads the trip count, the initial state and whatever the body reads from outside
    const reads = [
      ...needsOf([...reversed.before, ...reversed.iteration, ...reversed.after]),
      ...[loop.trips, ...valuesReadFromOutside(sweep.ctx.names, loop)].map((value) => ({ value, shadow: false })),
    ];
    const driver = sweep.later(reads, (forward) => scheduleDriver(forward, loop, reversed, stateOf(forward, loop)));
    // the carried adjoints live around the driver's block: d_init may be d_carried itself
    return { statements: [...reversed.before, { kind: 'block', body: [driver] }, ...reversed.after], reversal: reversed };
  },

  /** Copy the arrays of its state, then run it once, untaped, counting (a loop without a reverse just runs). */
  forward(sweep, loop, reversal) {
    if (!reversal) return forwardLoop(sweep, loop);
    const state = stateOf(sweep, loop);
    return [
      ...state.containers.map((v) => {
        const type = sweep.facts.typeOf(v);
        return pushStmt(sweep.ctx.tapes('container', typeText(type)), copyOf(type, sweep.ctx.names.expr(v)), 'container');
      }),
      ...forwardLoop(sweep.untaped(), loop, true),
    ];
  },
};

function stateOf(forward: ForwardSweep, loop: LoopInstr): LoopState {
  return loopState(forward.facts, forward.ctx.names, forward.plans.read, loop);
}

function scheduleDriver(forward: ForwardSweep, loop: LoopInstr, reversed: ReversedIteration, state: LoopState): Stmt[] {
  const { names, namer } = forward.ctx;
  const { facts } = forward;
  const revolve = facts.module.checkpointSchedule();
  const schedule = namer.claim('schedule');
  const action = namer.claim('action');
  const field = (name: string) => member(ref(schedule), name);
  const is = (name: string) => binary('===', ref(action), member(ref(revolve), name));
  const trips = names.expr(loop.trips);
  const { snapshots, repetitions = DEFAULT_REPETITIONS, location } = loop.checkpoint!;
  const slots: Expr =
    snapshots !== undefined ? num(snapshots) : { kind: 'call', callee: `${revolve}.slotsFor`, args: [trips, num(repetitions)] };
  const width = state.numbers.length;
  const slotIndex = (j: number, perSlot: number): Expr => {
    const start = perSlot === 1 ? field('slot') : binary('*', field('slot'), num(perSlot));
    return j === 0 ? start : binary('+', start, num(j));
  };
  const numberAt = (j: number) => ({ kind: 'index', object: field('numbers'), index: slotIndex(j, width) }) as const;
  const containerAt = (j: number) =>
    ({ kind: 'index', object: field('containers'), index: slotIndex(j, state.containers.length) }) as const;
  const isBoolean = (v: ValueId) => facts.typeOf(v).kind === 'boolean';
  const declare = (name: string, init: Expr, type?: string): Stmt => ({ kind: 'declare', declaration: 'const', name, init, type });

  // The arrays as the loop found them (pushed by the forward sweep, in order), and as the caller sees them.
  const atStart = state.containers.map((v) => namer.claim(`${names.name(v)}_atLoopStart`));
  const popped = [...state.containers.keys()].reverse().map((j) => {
    const type = typeText(facts.typeOf(state.containers[j]!));
    return declare(atStart[j]!, popExpr(forward.ctx.tapes('container', type), 'container', type));
  });
  const afterLoop = state.kept.map((v) => ({ value: v, name: namer.claim(`${names.name(v)}_after`) }));

  const advance: Stmt = {
    kind: 'countdown',
    counter: namer.claim('step'),
    from: binary('-', field('capo'), field('from')),
    body: [
      ...forward.untaped().block(loop.body),
      ...parallelAssign(
        namer,
        state.numbers.map((c) => ({ name: names.name(c.param), value: names.expr(c.next) })),
      ),
    ],
  };
  const store: Stmt[] = [
    ...state.numbers.map((c, j): Stmt => {
      const value = names.expr(c.param);
      return {
        kind: 'assign',
        op: '=',
        target: numberAt(j),
        value: isBoolean(c.param) ? { kind: 'cond', test: value, then: num(1), else: num(0) } : value,
      };
    }),
    ...state.containers.map((v, j): Stmt => ({
      kind: 'assign',
      op: '=',
      target: containerAt(j),
      value: copyOf(facts.typeOf(v), names.expr(v)),
    })),
  ];
  const restore: Stmt[] = [
    ...state.numbers.map((c, j): Stmt => ({
      kind: 'assign',
      op: '=',
      target: ref(names.name(c.param)),
      value: isBoolean(c.param) ? binary('!==', numberAt(j), num(0)) : numberAt(j),
    })),
    ...state.containers.flatMap((v, j): Stmt[] => {
      const stored = namer.claim(`stored_${names.name(v)}`);
      return [
        declare(stored, { kind: 'as', expr: containerAt(j), type: typeText(facts.typeOf(v)) }),
        ...restoreInto(namer, facts.typeOf(v), ref(names.name(v)), ref(stored)),
      ];
    }),
  ];
  const reverse: Stmt[] = [
    // the iteration's number, as an ordinary loop's reverse counts them (trips … 1)
    declare(reversed.counter, binary('+', field('capo'), num(1))),
    { kind: 'block', body: [...forward.block(loop.body), ...forward.save(loop.body)] },
    { kind: 'block', body: reversed.iteration },
  ];
  const budget = snapshots !== undefined ? `at most ${snapshots} stored states` : `each iteration run again at most ${repetitions} times`;
  return [
    { kind: 'comment', text: `Checkpointed loop (line ${location.line}): revolve schedule, ${budget}.` },
    ...popped,
    ...afterLoop.map(({ value, name }) => declare(name, copyOf(facts.typeOf(value), names.expr(value)))),
    declare(schedule, { kind: 'new', callee: revolve, args: [trips, slots, num(width)] }),
    // the loop's state before its first iteration
    ...state.numbers.map((c): Stmt => ({
      kind: 'declare',
      declaration: 'let',
      name: names.name(c.param),
      type: typeText(facts.typeOf(c.param)),
      init: names.expr(c.init),
    })),
    ...state.containers.flatMap((v, j) => restoreInto(namer, facts.typeOf(v), ref(names.name(v)), ref(atStart[j]!))),
    {
      kind: 'forever',
      body: [
        declare(action, { kind: 'method', object: ref(schedule), method: 'next', args: [] }),
        { kind: 'if', test: is('done'), then: [{ kind: 'break' }], else: [] },
        { kind: 'if', test: is('advance'), then: [advance], else: [] },
        { kind: 'if', test: is('store'), then: store, else: [] },
        { kind: 'if', test: is('restore'), then: restore, else: [] },
        { kind: 'if', test: is('reverse'), then: reverse, else: [] },
      ],
    },
    ...afterLoop.flatMap(({ value, name }) => restoreInto(namer, facts.typeOf(value), ref(names.name(value)), ref(name))),
  ];
}
