/**
 * Rebuilds one expression from the SSA instructions that compute a value, for code where every
 * intermediate is used once (module-level constant initialisers: arithmetic on numbers, and reads
 * of other constants' elements).
 */
import { bool, index, member, num, ref } from './build.js';
import type { Expr } from './code.js';
import type { Block, Instr, ValueId } from './ssa.js';
import { lookupRule } from '../rules/index.js';
import { results } from './walk.js';

export function expressionOf(block: Block, value: ValueId, globalName: (name: string) => string): Expr {
  const definitions = new Map<ValueId, Instr>(block.instrs.flatMap((i) => results(i).map((r) => [r, i] as const)));
  const build = (v: ValueId): Expr => {
    const instr = definitions.get(v);
    if (!instr) throw new Error(`value ${v} has no definition in the block`);
    switch (instr.kind) {
      case 'const':
        return typeof instr.value === 'boolean' ? bool(instr.value) : num(instr.value);
      case 'global':
        return ref(globalName(instr.name));
      case 'prim':
        return lookupRule(instr.op)!.primal(instr.args.map(build));
      case 'load':
        // an element or field of another constant (`PAIR[0] * 3`)
        return typeof instr.index === 'string' ? member(build(instr.container), instr.index) : index(build(instr.container), build(instr.index));
      default:
        throw new Error(`a module constant's initialiser holds a ${instr.kind}`);
    }
  };
  return build(value);
}
