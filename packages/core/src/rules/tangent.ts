/**
 * The tangent of a primitive (forward mode), derived from its entry in the rules table:
 *
 *   ṙ = Σᵢ ∂r/∂aᵢ · ȧᵢ
 *
 * over the arguments that have a tangent (a zero tangent contributes nothing, so it is skipped),
 * unless the entry writes its tangent itself. A piecewise-constant rule has tangent 0.
 */
import { add, mul } from '../ir/build.js';
import type { Expr } from '../ir/code.js';
import type { Rule } from './types.js';

/**
 * The tangent of `rule` applied to `args` with result `result`, given each argument's tangent
 * (undefined for a zero tangent); undefined when the tangent is 0.
 */
export function tangentOf(rule: Rule, args: Expr[], tangents: Array<Expr | undefined>, result: Expr): Expr | undefined {
  if (rule.kind !== 'differentiable' || tangents.every((t) => t === undefined)) return undefined;
  if (rule.tangent) return rule.tangent(args, tangents, result);
  let sum: Expr | undefined;
  tangents.forEach((tangent, i) => {
    if (tangent === undefined) return;
    // ȧᵢ · ∂r/∂aᵢ (an indicator partial `t ? 1 : 0` selects the tangent: mul writes `t ? ȧᵢ : 0`)
    const term = mul(tangent, rule.partial(i, args, result));
    sum = sum === undefined ? term : add(sum, term);
  });
  return sum;
}
