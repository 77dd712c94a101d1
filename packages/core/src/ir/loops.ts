/**
 * Counted loops as the IR holds them. `for (let i = start; i < bound; i++)` with no other way out
 * is a loop whose `again` is `next < bound`, `next` being a carried counter's `param + 1`, with a
 * bound from before the loop. Lowering (store-to-load forwarding) and differentiation (trip counts,
 * counters recomputed in the reverse sweep) both ask; each knows its constants its own way.
 */
import { isTypedArray, type Carried, type LoopInstr, type SsaFunction, type ValueId } from './ssa.js';
import { definitionsIn } from './walk.js';

/** The constant a value holds, if it is a literal. */
export type ConstantOf = (v: ValueId) => number | boolean | undefined;

export interface CountedLoop {
  loop: LoopInstr;
  /** The counter's value in the body (its carried parameter). */
  counter: ValueId;
  start: ValueId;
  bound: ValueId;
}

/** The loop as `for (let i = start; i < bound; i++)`, when it is one (see above); never a checkpointed loop. */
export function countedLoop(loop: LoopInstr, constantOf: ConstantOf): CountedLoop | undefined {
  if (loop.checkpoint) return undefined;
  const again = loop.body.instrs.find((i) => i.kind === 'prim' && i.result === loop.again);
  if (again?.kind !== 'prim' || again.op !== '<') return undefined;
  const [tested, bound] = again.args as [ValueId, ValueId];
  const counter = loop.carried.find((c) => c.next === tested);
  if (!counter || counterStep(loop, counter, constantOf) !== 1) return undefined;
  // the bound must not change while the loop runs: a literal, or a value from before the loop
  if (constantOf(bound) === undefined && (loop.carried.some((c) => c.param === bound) || definitionsIn(loop.body).has(bound)))
    return undefined;
  return { loop, counter: counter.param, start: counter.init, bound };
}

/** The integer a carried value steps by in each iteration (`i++`: 1, `j -= 2`: -2), if it is one. */
export function counterStep(loop: LoopInstr, carried: Carried, constantOf: ConstantOf): number | undefined {
  const update = loop.body.instrs.find((i) => i.kind === 'prim' && i.result === carried.next);
  if (update?.kind !== 'prim' || update.args[0] !== carried.param || (update.op !== '+' && update.op !== '-')) return undefined;
  const step = constantOf(update.args[1]!);
  if (typeof step !== 'number' || !Number.isInteger(step)) return undefined;
  return update.op === '+' ? step : -step;
}

/** The array a value is the length of (`a.length`), if it is one. */
export type LengthOf = (v: ValueId) => ValueId | undefined;

/**
 * True when two values are the same number: one value, equal literals, or the lengths of one typed
 * array (which never change). Loops with such starts and bounds run through the same counters.
 */
export function sameNumber(fn: SsaFunction, a: ValueId, b: ValueId, constantOf: ConstantOf, lengthOf: LengthOf): boolean {
  if (a === b) return true;
  const [ca, cb] = [constantOf(a), constantOf(b)];
  if (ca !== undefined || cb !== undefined) return ca === cb;
  const [la, lb] = [lengthOf(a), lengthOf(b)];
  return la !== undefined && la === lb && isTypedArray(fn.values[la]!.type);
}
