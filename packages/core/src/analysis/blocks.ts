/**
 * Where each value is defined: the block whose forward code computes it. Parameters belong to the
 * function's root block; a loop's carried parameter to the loop body (it changes every iteration),
 * its result and trip count to the block around the loop; a φ result to the block around the
 * branch. The reverse sweep makes a value available again in the same block of the reverse code.
 */
import type { Block, SsaFunction, ValueId } from '../ir/ssa.js';
import { forEachInstr, results } from '../ir/walk.js';

export function definingBlocks(fn: SsaFunction): Map<ValueId, Block> {
  const blocks = new Map<ValueId, Block>();
  for (const param of fn.params) blocks.set(param.value, fn.body);
  forEachInstr(fn.body, (instr, block) => {
    for (const result of results(instr)) blocks.set(result, block);
    if (instr.kind === 'loop') for (const c of instr.carried) blocks.set(c.param, instr.body);
  });
  return blocks;
}
