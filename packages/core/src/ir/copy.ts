/** Copying a block of instructions into a function, each value it defines renamed to a new value. */
import { addValue, type Block, type Instr, type SsaFunction, type ValueId, type ValueInfo } from './ssa.js';
import { childBlocks, definitionsIn, mapDefinitions, mapOperands } from './walk.js';

export interface CopiedBlock {
  instrs: Instr[];
  /** The copy's name for a value: a new value for one the block defines, else the bound or same value. */
  rename: (v: ValueId) => ValueId;
}

/**
 * A copy of `block` for the function `target`: every value the block defines (results, φs, loop
 * parameters and trip counts, nested ones included) becomes a new value of `target` with the
 * hint and type `sourceValues` gives it; a read of a value in `bound` reads its replacement; any
 * other read (a value defined before the block) is kept.
 */
export function copyBlock(
  target: SsaFunction,
  sourceValues: readonly ValueInfo[],
  block: Block,
  bound: ReadonlyMap<ValueId, ValueId>,
): CopiedBlock {
  const renamed = new Map(bound);
  for (const v of definitionsIn(block)) renamed.set(v, addValue(target, sourceValues[v]!.hint, sourceValues[v]!.type));
  const rename = (v: ValueId): ValueId => renamed.get(v) ?? v;
  const renameAll = (instr: Instr): void => {
    mapDefinitions(instr, rename);
    mapOperands(instr, rename);
    for (const child of childBlocks(instr)) child.instrs.forEach(renameAll);
  };
  const instrs = structuredClone(block.instrs);
  instrs.forEach(renameAll);
  return { instrs, rename };
}
