/**
 * Counted loops as the IR holds them. `for (let i = start; i < bound; i++)` with no other way out
 * is a loop whose `again` is `next < bound`, `next` being a carried counter's `param + 1`, with a
 * bound from before the loop. Lowering (store-to-load forwarding) and differentiation (trip counts,
 * counters recomputed in the reverse sweep) both ask; each knows its constants its own way.
 */
import { isTypedArray, type Carried, type Instr, type LoopInstr, type SsaFunction, type ValueId } from './ssa.js';
import { definitionsIn, forEachInstr } from './walk.js';

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

/** A counted loop inside another that starts from the outer one's counter, toward the same bound. */
export interface CountedFromOuter {
  outer: CountedLoop;
  /** The outer loop's start, an integer literal. */
  outerStart: number;
}

/**
 * The nests of counted loops of one function. `countedFromOuter(inner)` finds the enclosing loop
 * whose counter starts `inner`, when `inner` counts toward the same bound (sameNumber):
 * `for (let i = s; i < n; i++) … for (let j = i + k; j < n; j++)`, with s and k integer literals
 * (k may be 0 or negative), a triangle's rows. Both loops test `s + u < n` for integers u, and the
 * outer one ran while u < trips(i), so once entered the inner loop runs
 *
 *   trips(j) = trips(i) − (j₀ − s)      (j₀ its start)
 *
 * times, exactly for any double n: j₀ − s is an integer, and so is every sum above. The reverse
 * then needs no tripCount call per row.
 */
export class LoopNests {
  /** Each value's defining instruction, and each loop by its carried values (made at the first question). */
  private index: { definitions: Map<ValueId, Instr>; loopOf: Map<ValueId, LoopInstr> } | undefined;

  constructor(
    private readonly fn: SsaFunction,
    private readonly constantOf: ConstantOf,
  ) {}

  countedFromOuter(inner: CountedLoop): CountedFromOuter | undefined {
    const { definitions, loopOf } = (this.index ??= this.indexFunction());
    const isInteger = (v: ValueId) => Number.isInteger(this.constantOf(v));
    let counter = inner.start;
    const start = definitions.get(inner.start);
    if (start?.kind === 'prim' && (start.op === '+' || start.op === '-')) {
      const [a, b] = start.args as [ValueId, ValueId];
      if (isInteger(b)) counter = a;
      else if (start.op === '+' && isInteger(a)) counter = b;
      else return undefined;
    }
    const loop = loopOf.get(counter);
    const outer = loop && countedLoop(loop, this.constantOf);
    if (!outer || outer.counter !== counter) return undefined;
    const outerStart = this.constantOf(outer.start);
    if (typeof outerStart !== 'number' || !Number.isInteger(outerStart)) return undefined;
    const lengthOf = (v: ValueId) => {
      const instr = definitions.get(v);
      return instr?.kind === 'length' ? instr.container : undefined;
    };
    return sameNumber(this.fn, outer.bound, inner.bound, this.constantOf, lengthOf) ? { outer, outerStart } : undefined;
  }

  private indexFunction(): { definitions: Map<ValueId, Instr>; loopOf: Map<ValueId, LoopInstr> } {
    const definitions = new Map<ValueId, Instr>();
    const loopOf = new Map<ValueId, LoopInstr>();
    forEachInstr(this.fn.body, (instr) => {
      if (instr.kind === 'loop') for (const c of instr.carried) loopOf.set(c.param, instr);
      else if ('result' in instr && typeof instr.result === 'number') definitions.set(instr.result, instr);
    });
    return { definitions, loopOf };
  }
}
