/**
 * Loop-invariant reads, an optimisation pass (its place: PASSES in index.ts): a read `a[i]` at the
 * top level of a loop's body, whose array and index are defined before the loop and whose array the
 * loop never writes, is moved to just before the loop. The body runs at least once, so the read
 * happens anyway; it is now made once per entry into the loop instead of once per iteration, and
 * when the array is written later (a scratch array reused per data point) the tape keeps one number
 * per entry instead of one per iteration (`x[i]` in the inner loop of a triangular product).
 *
 * Only arrays that nothing else can write are considered: one created in this function (`alloc`)
 * that never escapes (it is not stored into another container, passed to a call, merged by a
 * branch or carried by a loop), so that a write to it names it directly.
 *
 * A length read at the top level of the body moves too, when its array is defined before the loop
 * and its length cannot change inside: a typed array's never does, and a plain array's does not
 * in a loop that pushes onto nothing and calls nothing. `i < x.length` then tests a bound fixed
 * before the loop, and the loop is a counted one (4-differentiate/trip-count.ts).
 */
import { isTypedArray, type Block, type Instr, type LoopInstr, type SsaFunction, type ValueId } from '../../ir/ssa.js';
import { childBlocks, definitionsIn, forEachInstr } from '../../ir/walk.js';
import { nonEscapingArrays } from '../../analysis/own-arrays.js';

/** `fn` with loop-invariant reads of its own arrays, and lengths that cannot change, moved out of the loops (a new function). */
export function hoistInvariantReads(fn: SsaFunction): SsaFunction {
  const hoisted = structuredClone(fn);
  const ownArrays = nonEscapingArrays(hoisted);
  const fixedLength = (array: ValueId) => isTypedArray(hoisted.values[array]!.type);
  const hoistIn = (block: Block): void => {
    const instrs: Instr[] = [];
    for (const instr of block.instrs) {
      for (const child of childBlocks(instr)) hoistIn(child);
      if (instr.kind === 'loop') instrs.push(...invariantReads(instr, ownArrays, fixedLength));
      instrs.push(instr);
    }
    block.instrs = instrs;
  };
  hoistIn(hoisted.body);
  return hoisted;
}

/** Removes from the loop's body the reads that can run before it, and returns them. */
function invariantReads(loop: LoopInstr, ownArrays: ReadonlySet<ValueId>, fixedLength: (array: ValueId) => boolean): Instr[] {
  const definedInside = definitionsIn(loop.body);
  for (const c of loop.carried) definedInside.add(c.param);
  const written = new Set<ValueId>();
  let mayGrow = false;
  forEachInstr(loop.body, (instr) => {
    if (instr.kind === 'store' || instr.kind === 'push') written.add(instr.container);
    if (instr.kind === 'push' || instr.kind === 'call') mayGrow = true;
  });
  const outside = (v: ValueId | string) => typeof v === 'string' || !definedInside.has(v);
  const moved: Instr[] = [];
  loop.body.instrs = loop.body.instrs.filter((instr) => {
    const invariant =
      (instr.kind === 'load' &&
        ownArrays.has(instr.container) &&
        !written.has(instr.container) &&
        outside(instr.container) &&
        outside(instr.index)) ||
      (instr.kind === 'length' && outside(instr.container) && (fixedLength(instr.container) || !mayGrow));
    if (invariant) moved.push(instr);
    return !invariant;
  });
  return moved;
}
