import type { Expr } from '../ir/code.js';

/**
 * A primitive's entry in the rules table: how to compute it, and its partial derivatives.
 * Partials are built from the argument and result expressions of the forward sweep, so the
 * values a rule needs saved are exactly the ones its partials read.
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
}

/** Constant between jumps (floor, sign, …): the derivative is zero wherever it exists. */
export interface PiecewiseConstantRule extends RuleBase {
  kind: 'piecewise-constant';
}
