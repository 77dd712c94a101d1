/**
 * Unrolling of loops with a constant trip count, a step of the scalar-arrays pass (run by it before
 * it replaces arrays): in `for (let i = 0; i < 3; i++) w[i] = rot[i] * s`, each copy of the body
 * indexes the arrays with a constant, so `w` and `rot` can become three numbers each
 * (scalar-arrays.ts).
 *
 * A loop is unrolled by running it at compile time: its body is copied with the carried values of
 * the iteration bound to its parameters and folded (fold-constants.ts), and the copy's test must
 * fold to a constant; it is copied again while that constant is true. A loop whose test does not
 * fold, that runs more than MAX_UNROLLED_TRIPS times, whose copies would exceed
 * MAX_UNROLLED_INSTRUCTIONS, or that is checkpointed, stays a loop. Nested loops are unrolled
 * inner first; an inner loop whose bound is the outer counter (`j < i`) is tried again in each
 * copy of the outer body, where that bound is constant.
 */
import { copyBlock } from '../../ir/copy.js';
import type { Instr, LoopInstr, SsaFunction, ValueId } from '../../ir/ssa.js';
import { childBlocks, instructionCount } from '../../ir/walk.js';
import type { ConstantFolder } from './fold-constants.js';

/** The most iterations a loop may run to be unrolled. */
export const MAX_UNROLLED_TRIPS = 16;
/** The most instructions the copies of one loop's body may hold in all (nested ones included). */
export const MAX_UNROLLED_INSTRUCTIONS = 400;

/** Unrolls, in place, the loops of `fn` that `wanted` selects and that run a constant number of times. */
export function unrollLoops(fn: SsaFunction, folder: ConstantFolder, wanted: (loop: LoopInstr) => boolean): void {
  const unrollIn = (instrs: Instr[]): Instr[] => {
    const kept: Instr[] = [];
    for (const instr of instrs) {
      for (const child of childBlocks(instr)) child.instrs = unrollIn(child.instrs);
      const trial = instr.kind === 'loop' && wanted(instr) ? runAtCompileTime(fn, folder, instr) : undefined;
      const expanded = trial && unrollIn(trial.instrs);
      if (!trial || !expanded || instructionCount({ instrs: expanded }) > MAX_UNROLLED_INSTRUCTIONS) {
        kept.push(instr);
        continue;
      }
      const loop = instr as LoopInstr;
      loop.carried.forEach((c, i) => folder.replace(c.result, trial.results[i]!));
      kept.push(...expanded, folder.define(loop.trips, trial.trips));
    }
    return kept;
  };
  fn.body.instrs = unrollIn(fn.body.instrs);
}

interface Unrolled {
  /** The copies of the body, one per iteration, folded. */
  instrs: Instr[];
  /** The carried values after the last iteration, in the order of the loop's `carried`. */
  results: ValueId[];
  trips: number;
}

/** The loop's iterations as straight-line copies of its body, or undefined when it cannot be unrolled. */
function runAtCompileTime(fn: SsaFunction, folder: ConstantFolder, loop: LoopInstr): Unrolled | undefined {
  if (loop.checkpoint) return undefined;
  // An inner loop unrolled already left its results as replacements: the body must read what they
  // were replaced by (values of the body) before it is copied, so that each copy reads its own.
  folder.readReplacements({ instrs: [loop] });
  let current = loop.carried.map((c) => folder.resolve(c.init));
  const instrs: Instr[] = [];
  for (let trips = 1; trips <= MAX_UNROLLED_TRIPS; trips++) {
    const copy = copyBlock(fn, fn.values, loop.body, new Map(loop.carried.map((c, i) => [c.param, current[i]!])));
    instrs.push(...folder.fold(copy.instrs));
    if (instructionCount({ instrs }) > MAX_UNROLLED_INSTRUCTIONS) return undefined;
    const again = folder.constantOf(copy.rename(loop.again));
    if (typeof again !== 'boolean') return undefined;
    current = loop.carried.map((c) => folder.resolve(copy.rename(c.next)));
    if (!again) return { instrs, results: current, trips };
  }
  return undefined;
}
