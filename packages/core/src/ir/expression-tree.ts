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
  const built = new Map<ValueId, Expr>();
  // operands before the operations that read them, with an explicit stack: a chain of 20,000
  // operators is 20,000 values deep
  const pending: Array<{ value: ValueId; operandsBuilt: boolean }> = [{ value, operandsBuilt: false }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (built.has(next.value)) continue;
    const instr = definitions.get(next.value);
    if (!instr) throw new Error(`value ${next.value} has no definition in the block`);
    const operands = operandsOf(instr);
    if (!next.operandsBuilt && operands.length > 0) {
      pending.push({ value: next.value, operandsBuilt: true }, ...operands.map((operand) => ({ value: operand, operandsBuilt: false })));
      continue;
    }
    const operand = (v: ValueId) => built.get(v)!;
    switch (instr.kind) {
      case 'const':
        built.set(next.value, typeof instr.value === 'boolean' ? bool(instr.value) : num(instr.value));
        break;
      case 'global':
        built.set(next.value, ref(globalName(instr.name)));
        break;
      case 'prim':
        built.set(next.value, lookupRule(instr.op)!.primal(instr.args.map(operand)));
        break;
      case 'load':
        // an element or field of another constant (`PAIR[0] * 3`)
        built.set(
          next.value,
          typeof instr.index === 'string'
            ? member(operand(instr.container), instr.index)
            : index(operand(instr.container), operand(instr.index)),
        );
        break;
      default:
        throw new Error(`a module constant's initialiser holds a ${instr.kind}`);
    }
  }
  return built.get(value)!;
}

/** The values an instruction of a constant's initialiser reads, which are built before it. */
function operandsOf(instr: Instr): ValueId[] {
  if (instr.kind === 'prim') return instr.args;
  if (instr.kind === 'load') return typeof instr.index === 'string' ? [instr.container] : [instr.container, instr.index];
  return [];
}
