/**
 * Comparisons and boolean operators. Their results are booleans, which carry no derivative:
 * they are piecewise constant in their arguments, and only decide which branch runs.
 */
import { binary, not, ref } from '../ir/build.js';
import type { BinaryOperator } from '../ir/code.js';
import type { PiecewiseConstantRule } from './types.js';

function comparison(op: BinaryOperator): PiecewiseConstantRule {
  return { kind: 'piecewise-constant', arity: 2, resultType: 'boolean', primal: ([a, b]) => binary(op, a!, b!) };
}

export const logicRules: Record<string, PiecewiseConstantRule> = {
  '<': comparison('<'),
  '<=': comparison('<='),
  '>': comparison('>'),
  '>=': comparison('>='),
  '===': comparison('==='),
  '!==': comparison('!=='),
  '==': comparison('=='),
  '!=': comparison('!='),
  // a || b and a && b on booleans (both already evaluated: lowering keeps short-circuits as branches)
  or: comparison('||'),
  and: comparison('&&'),
  '!': { kind: 'piecewise-constant', arity: 1, resultType: 'boolean', primal: ([a]) => not(a!) },
  // a == null: true for null and undefined (an array read past its end), the test of a ?? b
  nullish: { kind: 'piecewise-constant', arity: 1, resultType: 'boolean', primal: ([a]) => binary('==', a!, ref('null')) },
};
