/** Derivative rules of the arithmetic operators. `r` is the result of the operation. */
import type { Expr } from '../ir/code.js';
import { binary, call, cond, div, mul, neg, num, pow, sub } from '../ir/build.js';
import type { DifferentiableRule } from './types.js';

const one = num(1);

export const operatorRules: Record<string, DifferentiableRule> = {
  // d(a+b)/da = 1, d(a+b)/db = 1
  '+': { kind: 'differentiable', arity: 2, primal: ([a, b]) => binary('+', a!, b!), partial: () => one },
  // d(a-b)/da = 1, d(a-b)/db = -1
  '-': { kind: 'differentiable', arity: 2, primal: ([a, b]) => binary('-', a!, b!), partial: (i) => (i === 0 ? one : num(-1)) },
  // d(a*b)/da = b, d(a*b)/db = a
  '*': { kind: 'differentiable', arity: 2, primal: ([a, b]) => binary('*', a!, b!), partial: (i, [a, b]) => (i === 0 ? b! : a!) },
  // d(a/b)/da = 1/b, d(a/b)/db = -a/b² = -r/b
  '/': {
    kind: 'differentiable',
    arity: 2,
    primal: ([a, b]) => binary('/', a!, b!),
    partial: (i, [, b], r) => (i === 0 ? div(one, b!) : neg(div(r, b!))),
    // ṙ = ȧ/b - r·ḃ/b = (ȧ - r·ḃ)/b: one division
    tangent: ([, b], [da, db], r) => div(db === undefined ? da! : sub(da ?? num(0), mul(r, db)), b!),
  },
  // a % b = a - b·trunc(a/b): d/da = 1, d/db = -trunc(a/b)
  '%': {
    kind: 'differentiable',
    arity: 2,
    primal: ([a, b]) => binary('%', a!, b!),
    partial: (i, [a, b]) => (i === 0 ? one : neg(call('Math.trunc', [div(a!, b!)]))),
  },
  // d(a**b)/da = b·a^(b-1) (0 for b = 0), d(a**b)/db = a^b·ln a (taken as 0 where a ≤ 0: there
  // a^b is only defined for integer b, or is 0 for a = 0)
  '**': {
    kind: 'differentiable',
    arity: 2,
    primal: ([a, b]) => binary('**', a!, b!),
    partial: (i, [a, b], r) => powPartial(i, a!, b!, r),
  },
  // d(-a)/da = -1
  neg: { kind: 'differentiable', arity: 1, primal: ([a]) => neg(a!), partial: () => num(-1) },
};

/** Shared by `a ** b` and `Math.pow(a, b)`. */
export function powPartial(i: number, a: Expr, b: Expr, r: Expr): Expr {
  if (i === 0) {
    // b·a^(b-1), taken as 0 for b = 0 (a⁰ = 1 is constant), where 0·a⁻¹ would be NaN at a = 0
    if (b.kind === 'num') return b.value === 0 ? num(0) : mul(b, pow(a, sub(b, one)));
    return cond(binary('===', b, num(0)), num(0), mul(b, pow(a, sub(b, one))));
  }
  return cond(binary('>', a, num(0)), mul(r, call('Math.log', [a])), num(0));
}
