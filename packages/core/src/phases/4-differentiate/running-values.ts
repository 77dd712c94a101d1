/**
 * Running values: a value carried around a loop that each iteration advances by an amount the
 * reverse sweep can compute again. The reverse runs the iterations last first, so it can start
 * from the value after the loop (one number, which the block around the loop keeps) and subtract
 * each iteration's advance, instead of saving the value once per iteration. ADBench's GMM walks
 * the strictly lower part of a triangular matrix with such an index:
 *
 *   let idx = offset;
 *   for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) { out[j] += ltri[idx] * x[i]; idx++; }
 *
 * Row i advances idx by the inner loop's trip count when it runs (i + 1 < d), by 0 when not:
 *
 *   idx at row i = idx at row i + 1 − (i + 1 < d ? tripCount(i + 1, d) : 0)
 *
 * An advance is made of integer steps (`idx + 2`), inner counted loops that step a value by an
 * integer each iteration (`idx++` in the loop over j: its trip count times the step), and
 * branches (`cond ? … : …`), from values the reverse has at the iteration's start: the branches'
 * conditions and the inner loops' starts and bounds must be defined in the loop's body itself or
 * outside it, or be literals, or lengths of arrays from there (read again). A value of the body
 * made from the running value by such steps (`idx + 2` in a branch) is computed from it.
 *
 * The reverse recomputes exactly the values the forward sweep had as far as it can observe them:
 * the running value and the values made from it are used only as indices of reads (and to make
 * one another). From an integer start every one of them is an exact integer (up to 2^53; beyond
 * that no element exists to read, in either sweep); from a fractional start none is an integer
 * below 2^52, so neither sweep reads an element.
 */
import type { Block, Carried, Instr, LoopInstr, ValueId } from '../../ir/ssa.js';
import { countedLoop, counterStep, type ConstantOf, type CountedLoop } from '../../ir/loops.js';
import { definitionsIn, operands, results } from '../../ir/walk.js';

/** What one iteration adds to a running value. */
export type Advance =
  | { kind: 'none' }
  | { kind: 'step'; from: Advance; by: number }
  /** the inner loop ran: its trip count times `step` */
  | { kind: 'loop'; from: Advance; loop: CountedLoop; step: number }
  | { kind: 'branch'; cond: ValueId; then: Advance; else: Advance };

/** A running value of a loop, as running-values.ts describes. */
export interface RunningValue {
  carried: Carried;
  /** What an iteration adds to it. */
  advance: Advance;
  /** What the body's own instructions (not those of blocks inside it) add to it to make `v`, if `v` is made so. */
  advanceTo(v: ValueId): Advance | undefined;
  /**
   * Lengths of containers that the advance reads where a block inside the body computes them:
   * the reverse reads the container's length again at the iteration's start.
   */
  nestedLengths: Map<ValueId, Extract<Instr, { kind: 'length' }>>;
}

/**
 * `carried` as a running value of `loop` (a counted loop, whose value after the loop is the one its
 * last iteration made), when it is one; else undefined.
 */
export function runningValue(loop: LoopInstr, carried: Carried, constantOf: ConstantOf): RunningValue | undefined {
  if (loop.checkpoint || !countedLoop(loop, constantOf)) return undefined;
  const body = loop.body;
  const derived = derivedValues(body, carried, constantOf);
  // only the value itself goes around the loop, and the loop's test does not read it
  if (!derived || derived.has(loop.again) || loop.carried.some((c) => c !== carried && derived.has(c.next))) return undefined;
  const topLevel = new Set(body.instrs.flatMap(results));
  const nested = new Set([...definitionsIn(body)].filter((v) => !topLevel.has(v)));

  const definitions = new Map<ValueId, { instr: Instr; carried?: Carried; phi?: number }>();
  const collect = (block: Block): void => {
    for (const instr of block.instrs) {
      if (instr.kind === 'prim' || instr.kind === 'length') definitions.set(instr.result, { instr });
      if (instr.kind === 'if') {
        instr.phis.forEach((phi, i) => definitions.set(phi.result, { instr, phi: i }));
        collect(instr.then);
        collect(instr.else);
      }
      if (instr.kind === 'loop') {
        for (const c of instr.carried) definitions.set(c.result, { instr, carried: c });
        collect(instr.body);
      }
    }
  };
  collect(body);
  const nestedLengths = new Map<ValueId, Extract<Instr, { kind: 'length' }>>();
  // what the reverse has at the iteration's start: values of the body itself or from outside it,
  // literals, and the lengths of containers from there
  const available = (v: ValueId): boolean => {
    if (derived.has(v)) return false;
    if (!nested.has(v) || constantOf(v) !== undefined) return true;
    const instr = definitions.get(v)?.instr;
    if (instr?.kind !== 'length' || nested.has(instr.container)) return false;
    nestedLengths.set(v, instr);
    return true;
  };

  const advanceOf = (v: ValueId, depth: number): Advance | undefined => {
    if (v === carried.param) return { kind: 'none' };
    const definition = definitions.get(v);
    if (!definition || depth > 64) return undefined;
    const { instr } = definition;
    if (instr.kind === 'prim') {
      const by = integerStep(instr, derived, constantOf);
      const from = by === undefined ? undefined : advanceOf(instr.args[0]!, depth + 1);
      return from && { kind: 'step', from, by: by! };
    }
    if (instr.kind === 'if' && definition.phi !== undefined && body.instrs.includes(instr) && available(instr.cond)) {
      const phi = instr.phis[definition.phi]!;
      const then = advanceOf(phi.then, depth + 1);
      const otherwise = then && advanceOf(phi.else, depth + 1);
      return otherwise && { kind: 'branch', cond: instr.cond, then: then!, else: otherwise };
    }
    if (instr.kind === 'loop' && definition.carried) {
      const inner = countedLoop(instr, constantOf);
      const step = counterStep(instr, definition.carried, constantOf);
      if (!inner || step === undefined || !available(inner.start) || !available(inner.bound)) return undefined;
      const from = advanceOf(definition.carried.init, depth + 1);
      return from && { kind: 'loop', from, loop: inner, step };
    }
    return undefined;
  };
  const advance = advanceOf(carried.next, 0);
  if (!advance) return undefined;
  return { carried, advance, advanceTo: (v) => (derived.has(v) && topLevel.has(v) ? advanceOf(v, 0) : undefined), nestedLengths };
}

/** `v + k` or `v - k` for an integer literal k: the integer added. */
function integerStep(instr: Extract<Instr, { kind: 'prim' }>, derived: Set<ValueId>, constantOf: ConstantOf): number | undefined {
  if ((instr.op !== '+' && instr.op !== '-') || !derived.has(instr.args[0]!) || derived.has(instr.args[1]!)) return undefined;
  const k = constantOf(instr.args[1]!);
  if (typeof k !== 'number' || !Number.isInteger(k)) return undefined;
  return instr.op === '+' ? k : -k;
}

/**
 * The values made from the carried value in the loop's body, when each is used only as the index
 * of a read or to make another (`+`/`-` an integer, an inner loop's counter started from it, a
 * branch's merge of two of them, the carried value's own next value); else undefined.
 */
function derivedValues(body: Block, carried: Carried, constantOf: ConstantOf): Set<ValueId> | undefined {
  const derived = new Set([carried.param]);
  let ok = true;
  const visit = (block: Block): void => {
    for (const instr of block.instrs) {
      if (!ok) return;
      switch (instr.kind) {
        case 'load':
          if (derived.has(instr.container)) ok = false;
          break;
        case 'prim':
          if (!instr.args.some((a) => derived.has(a))) break;
          if (integerStep(instr, derived, constantOf) !== undefined) derived.add(instr.result);
          else ok = false;
          break;
        case 'if':
          if (derived.has(instr.cond)) ok = false;
          visit(instr.then);
          visit(instr.else);
          for (const phi of instr.phis) {
            const both = derived.has(phi.then) && derived.has(phi.else);
            if (both) derived.add(phi.result);
            else if (derived.has(phi.then) || derived.has(phi.else)) ok = false;
          }
          break;
        case 'loop': {
          const counters = instr.carried.filter((c) => derived.has(c.init));
          for (const c of counters) {
            if (counterStep(instr, c, constantOf) === undefined) ok = false;
            derived.add(c.param);
          }
          if (derived.has(instr.again)) ok = false;
          visit(instr.body);
          for (const c of instr.carried) {
            // an inner counter's update is its own; anything else made from the value may not go around
            if (counters.includes(c)) derived.add(c.result);
            else if (derived.has(c.next)) ok = false;
          }
          break;
        }
        default:
          if (operands(instr).some((v) => derived.has(v))) ok = false;
      }
    }
  };
  visit(body);
  return ok ? derived : undefined;
}
