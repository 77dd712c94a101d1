/**
 * Derivative rules of the Math library. `x` is the argument, `r` the result; each partial is
 * written as math beside the code that builds it.
 *
 * Conventions at points where a function is not differentiable (documented in docs/supported.md):
 * - d|x|/dx = sign(x), so 0 at x = 0.
 * - min and max pass the adjoint to the first argument equal to the result; the others get 0.
 * - hypot has gradient 0 at the origin.
 * - floor, ceil, round, trunc and sign are piecewise constant: derivative 0.
 * - fround (rounding to the nearest float32) is treated as the identity: derivative 1.
 */
import type { Expr } from '../ir/code.js';
import { add, binary, call, cond, div, mul, neg, num, ref, sub } from '../ir/build.js';
import { powPartial } from './operators.js';
import type { DifferentiableRule, PiecewiseConstantRule, Rule } from './types.js';

const one = num(1);
const square = (e: Expr) => mul(e, e);
const sqrt = (e: Expr) => call('Math.sqrt', [e]);
const mathCall = (name: string) => (args: Expr[]) => call(`Math.${name}`, args);

function unary(name: string, partial: (x: Expr, r: Expr) => Expr): DifferentiableRule {
  return { kind: 'differentiable', arity: 1, primal: mathCall(name), partial: (_, [x], r) => partial(x!, r) };
}

function piecewiseConstant(name: string, arity: number): PiecewiseConstantRule {
  return { kind: 'piecewise-constant', arity, primal: mathCall(name) };
}

/** min/max: the partial is 1 for the first argument equal to the result, 0 for every other. */
function extremum(name: 'min' | 'max'): DifferentiableRule {
  return {
    kind: 'differentiable',
    arity: 'variadic',
    primal: mathCall(name),
    partial: (i, args, r) => {
      let selected = binary('===', args[i]!, r);
      for (let j = 0; j < i; j++) selected = binary('&&', selected, binary('!==', args[j]!, r));
      return cond(selected, one, num(0));
    },
    // ṙ = ẋᵢ for the first xᵢ equal to r: x₀ === r ? ẋ₀ : x₁ === r ? ẋ₁ : … : 0
    tangent: (args, tangents, r) => {
      let selected: Expr = num(0);
      for (let i = args.length - 1; i >= 0; i--) {
        const tangent = tangents[i];
        if (tangent === undefined && selected.kind === 'num' && selected.value === 0) continue;
        selected = cond(binary('===', args[i]!, r), tangent ?? num(0), selected);
      }
      return selected;
    },
  };
}

export const mathRules: Record<string, Rule> = {
  // d sin(x)/dx = cos(x)
  'Math.sin': unary('sin', (x) => call('Math.cos', [x])),
  // d cos(x)/dx = -sin(x)
  'Math.cos': unary('cos', (x) => neg(call('Math.sin', [x]))),
  // d tan(x)/dx = 1 + tan²(x) = 1 + r²
  'Math.tan': unary('tan', (_, r) => add(one, square(r))),
  // d asin(x)/dx = 1/√(1 - x²)
  'Math.asin': unary('asin', (x) => div(one, sqrt(sub(one, square(x))))),
  // d acos(x)/dx = -1/√(1 - x²)
  'Math.acos': unary('acos', (x) => neg(div(one, sqrt(sub(one, square(x)))))),
  // d atan(x)/dx = 1/(1 + x²)
  'Math.atan': unary('atan', (x) => div(one, add(one, square(x)))),
  // atan2(y, x): ∂/∂y = x/(x² + y²), ∂/∂x = -y/(x² + y²)
  'Math.atan2': {
    kind: 'differentiable',
    arity: 2,
    primal: mathCall('atan2'),
    // computed as (x/h)/h with h = hypot(x, y), so x² + y² cannot underflow or overflow
    partial: (i, [y, x]) => {
      const h = call('Math.hypot', [x!, y!]);
      return i === 0 ? div(div(x!, h), h) : neg(div(div(y!, h), h));
    },
  },
  // d sinh(x)/dx = cosh(x)
  'Math.sinh': unary('sinh', (x) => call('Math.cosh', [x])),
  // d cosh(x)/dx = sinh(x)
  'Math.cosh': unary('cosh', (x) => call('Math.sinh', [x])),
  // d tanh(x)/dx = 1 - tanh²(x) = 1 - r²
  'Math.tanh': unary('tanh', (_, r) => sub(one, square(r))),
  // d asinh(x)/dx = 1/√(x² + 1)
  'Math.asinh': unary('asinh', (x) => div(one, sqrt(add(square(x), one)))),
  // d acosh(x)/dx = 1/√(x² - 1)
  'Math.acosh': unary('acosh', (x) => div(one, sqrt(sub(square(x), one)))),
  // d atanh(x)/dx = 1/(1 - x²)
  'Math.atanh': unary('atanh', (x) => div(one, sub(one, square(x)))),
  // d eˣ/dx = eˣ = r
  'Math.exp': unary('exp', (_, r) => r),
  // d(eˣ - 1)/dx = eˣ = r + 1
  'Math.expm1': unary('expm1', (_, r) => add(r, one)),
  // d ln(x)/dx = 1/x
  'Math.log': unary('log', (x) => div(one, x)),
  // d ln(1 + x)/dx = 1/(1 + x)
  'Math.log1p': unary('log1p', (x) => div(one, add(one, x))),
  // d log₂(x)/dx = 1/(x·ln 2)
  'Math.log2': unary('log2', (x) => div(one, mul(x, ref('Math.LN2')))),
  // d log₁₀(x)/dx = 1/(x·ln 10)
  'Math.log10': unary('log10', (x) => div(one, mul(x, ref('Math.LN10')))),
  // d √x/dx = 1/(2√x) = 1/(2r)
  'Math.sqrt': unary('sqrt', (_, r) => div(one, mul(num(2), r))),
  // d ∛x/dx = 1/(3∛x²) = 1/(3r²)
  'Math.cbrt': unary('cbrt', (_, r) => div(one, mul(num(3), square(r)))),
  // pow(a, b): as a ** b
  'Math.pow': { kind: 'differentiable', arity: 2, primal: mathCall('pow'), partial: (i, [a, b], r) => powPartial(i, a!, b!, r) },
  // hypot(x₁, …, xₙ) = √(Σ xᵢ²): ∂/∂xᵢ = xᵢ/r, taken as 0 at the origin
  'Math.hypot': {
    kind: 'differentiable',
    arity: 'variadic',
    primal: mathCall('hypot'),
    partial: (i, args, r) => cond(binary('===', r, num(0)), num(0), div(args[i]!, r)),
    // ṙ = (Σ xᵢ·ẋᵢ)/r, 0 at the origin: one division
    tangent: (args, tangents, r) => {
      const terms = args.flatMap((x, i) => (tangents[i] === undefined ? [] : [mul(x, tangents[i]!)]));
      return cond(
        binary('===', r, num(0)),
        num(0),
        div(
          terms.reduce((sum, term) => add(sum, term)),
          r,
        ),
      );
    },
  },
  // d|x|/dx = sign(x), 0 at x = 0
  'Math.abs': unary('abs', (x) => call('Math.sign', [x])),
  // min: ∂r/∂xᵢ = 1 for the first xᵢ equal to r, else 0
  'Math.min': extremum('min'),
  // max: ∂r/∂xᵢ = 1 for the first xᵢ equal to r, else 0
  'Math.max': extremum('max'),
  // fround(x) ≈ x: treated as the identity, d/dx = 1
  'Math.fround': unary('fround', () => one),
  // d sign(x)/dx = 0 (piecewise constant)
  'Math.sign': piecewiseConstant('sign', 1),
  // d⌊x⌋/dx = 0 (piecewise constant)
  'Math.floor': piecewiseConstant('floor', 1),
  // d⌈x⌉/dx = 0 (piecewise constant)
  'Math.ceil': piecewiseConstant('ceil', 1),
  // d round(x)/dx = 0 (piecewise constant)
  'Math.round': piecewiseConstant('round', 1),
  // d trunc(x)/dx = 0 (piecewise constant)
  'Math.trunc': piecewiseConstant('trunc', 1),
};

/** The Math constants a differentiable function may read. */
export const mathConstants: Record<string, number> = {
  'Math.E': Math.E,
  'Math.LN2': Math.LN2,
  'Math.LN10': Math.LN10,
  'Math.LOG2E': Math.LOG2E,
  'Math.LOG10E': Math.LOG10E,
  'Math.PI': Math.PI,
  'Math.SQRT1_2': Math.SQRT1_2,
  'Math.SQRT2': Math.SQRT2,
};
