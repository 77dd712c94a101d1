/** Traversals of the SSA IR shared by the analyses and transforms. */
import type { Block, Instr, ValueId } from './ssa.js';

/** The values an instruction reads. */
export function operands(instr: Instr): ValueId[] {
  return instr.kind === 'prim' ? instr.args : [];
}

/** Every instruction of a block, in program order. */
export function instructions(block: Block): Instr[] {
  return block.instrs;
}
