import type { Expr } from '../ir/code.js';

/**
 * A primitive's entry in the rules table: how to compute it, and its partial derivatives.
 * Partials are built from the argument and result expressions of the forward sweep, so the
 * values a rule needs saved are exactly the ones its partials read.
 *
 * Reverse mode reads the partials one at a time (d_aᵢ += d_r · ∂r/∂aᵢ); forward mode combines
 * them into the tangent ṙ = Σᵢ ∂r/∂aᵢ · ȧᵢ, derived from the partials in one place
 * (rules/tangent.ts). An entry may give that tangent itself (`tangent`) where a combined formula
 * is cheaper or more accurate than the sum of partials: (ȧ - r·ḃ)/b for a/b, one selected
 * tangent for min and max.
 */
export type Rule = DifferentiableRule | PiecewiseConstantRule;

interface RuleBase {
  /** The exact number of arguments, or 'variadic' for any number. */
  arity: number | 'variadic';
  /** The forward-sweep expression. */
  primal(args: Expr[]): Expr;
  /** The type of the result when it is not a number. */
  resultType?: 'boolean';
}

export interface DifferentiableRule extends RuleBase {
  kind: 'differentiable';
  /** ∂result/∂args[i] at the point. */
  partial(i: number, args: Expr[], result: Expr): Expr;
  /**
   * Optional: the tangent ṙ = Σᵢ ∂r/∂aᵢ · ȧᵢ at the point, written directly. `tangents[i]` is ȧᵢ,
   * or undefined where aᵢ has no tangent (it is 0: a constant, or a value that does not vary);
   * at least one is defined. Without it, the tangent is the sum of the partials times the tangents.
   */
  tangent?(args: Expr[], tangents: Array<Expr | undefined>, result: Expr): Expr;
}

/** Constant between jumps (floor, sign, …): the derivative is zero wherever it exists. */
export interface PiecewiseConstantRule extends RuleBase {
  kind: 'piecewise-constant';
}
