/**
 * Every entry of the derivative rules table (packages/core/src/rules/), checked through the whole
 * compiler: a marked function that uses the rule is compiled, and its generated gradient is
 * compared with Richardson central differences at many points across the rule's domain
 * (docs/design.md, the contract, 4), and with hand-derived values at the points where the rules
 * table documents a convention. Every function is also marked `forward`: each rule's tangent
 * (rules/tangent.ts) is checked the same way, against finite differences along each axis and a
 * random direction, and against the reverse-mode gradient wherever a gradient is taken (forward and
 * reverse must agree).
 *
 * All the functions live in ONE source module, compiled once.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { mathConstants, mathRules } from '../../packages/core/src/rules/math.js';
import { operatorRules } from '../../packages/core/src/rules/operators.js';
import { compileSource, fn, type Compiled } from '../support/compile.js';
import { closeTo, numericGradient, partialDerivative } from '../support/finite-difference.js';
import { expectGradientMatches } from '../support/gradient-check.js';

// ---------------------------------------------------------------------------------------------
// Points
// ---------------------------------------------------------------------------------------------

/** n evenly spaced points from lo to hi, both included. */
function linspace(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

/** A small seeded generator (mulberry32), so the points are the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` points in the box [lo, hi]^dims that satisfy `keep`, rounded to 3 decimals for readable names. */
function scatter(count: number, dims: number, lo: number, hi: number, seed: number, keep: (p: number[]) => boolean = () => true) {
  const next = random(seed);
  const points: number[][] = [];
  while (points.length < count) {
    const p = Array.from({ length: dims }, () => Math.round((lo + (hi - lo) * next()) * 1000) / 1000);
    if (keep(p)) points.push(p);
  }
  return points;
}

const grid = (as: number[], bs: number[]) => as.flatMap((a) => bs.map((b) => [a, b]));
const column = (xs: number[]) => xs.map((x) => [x]);
/** Pairwise distinct by more than the finite-difference step: away from the kinks of min and max. */
const distinct = (p: number[]) => p.every((a, i) => p.every((b, j) => i === j || Math.abs(a - b) > 0.05));
const norm = (p: number[]) => Math.hypot(...p);

/** Finite differences step at most 1e-3 (finite-difference.ts): stay clear of jumps by more than that. */
const FD_REACH = 2e-3;

/** a % b has jumps where a/b crosses an integer; keep points where trunc(a/b) is constant nearby. */
function smoothRemainder([a, b]: number[]): boolean {
  if (Math.abs(b!) < 0.3) return false;
  const q = Math.trunc(a! / b!);
  for (const da of [-FD_REACH, 0, FD_REACH]) {
    for (const db of [-FD_REACH, 0, FD_REACH]) if (Math.trunc((a! + da) / (b! + db)) !== q) return false;
  }
  return true;
}

/** Points of a piecewise-constant function: a quarter away from every integer and half-integer. */
const offJumps = linspace(-4.25, 4.75, 19);

// ---------------------------------------------------------------------------------------------
// The cases: one marked function per rule (and per arity of the variadic ones)
// ---------------------------------------------------------------------------------------------

interface Case {
  /** The rules-table key this case exercises. */
  key: string;
  /** What a failure message calls it. */
  label: string;
  /** The marked function's name in the source. */
  name: string;
  params: string[];
  expr: string;
  points: number[][];
  /** Relative tolerance for the finite-difference comparison (1e-6 unless a reason is given). */
  tolerance?: number;
}

const unary = (key: string, expr: (x: string) => string, points: number[], name = key.replace('Math.', 'math_')): Case => ({
  key,
  label: key,
  name,
  params: ['x'],
  expr: expr('x'),
  points: column(points),
});

const mathUnary = (fn: string, points: number[]) => unary(`Math.${fn}`, (x) => `Math.${fn}(${x})`, points);

const variadic = (fn: 'hypot' | 'min' | 'max', points: number[][]): Case => {
  const n = points[0]!.length;
  const params = ['x', 'y', 'z', 'u', 'v'].slice(0, n);
  return {
    key: `Math.${fn}`,
    label: `Math.${fn} (${n} argument${n === 1 ? '' : 's'})`,
    name: `math_${fn}${n}`,
    params,
    expr: `Math.${fn}(${params.join(', ')})`,
    points,
  };
};

const binaryOp = (key: string, name: string, points: number[][]): Case => ({
  key,
  label: `a ${key} b`,
  name,
  params: ['a', 'b'],
  expr: `a ${key} b`,
  points,
});

/** pow with a positive base and non-integer (and integer) exponents: both partials by finite differences. */
const positivePowPoints = grid([0.2, 0.65, 1, 1.7, 3.1, 5], [-2.5, -1.3, -0.4, 0, 0.7, 1, 1.5, 2, 2.5]);

const ruleCases: Case[] = [
  // Operators.
  binaryOp('+', 'op_add', scatter(16, 2, -5, 5, 1)),
  binaryOp('-', 'op_sub', scatter(16, 2, -5, 5, 2)),
  binaryOp('*', 'op_mul', scatter(16, 2, -5, 5, 3)),
  binaryOp('/', 'op_div', scatter(16, 2, -5, 5, 4, ([, b]) => Math.abs(b!) > 0.3)),
  binaryOp('%', 'op_rem', scatter(20, 2, -10, 10, 5, smoothRemainder)),
  { ...binaryOp('**', 'op_pow', positivePowPoints), label: 'a ** b (positive base)' },
  unary('neg', (x) => `-${x}`, linspace(-5, 5, 17), 'op_neg'),

  // Trigonometric.
  mathUnary('sin', linspace(-2 * Math.PI, 2 * Math.PI, 17)),
  mathUnary('cos', linspace(-2 * Math.PI, 2 * Math.PI, 17)),
  mathUnary('tan', linspace(-1.4, 1.4, 17)),
  mathUnary('asin', linspace(-0.9, 0.9, 17)),
  mathUnary('acos', linspace(-0.9, 0.9, 17)),
  mathUnary('atan', linspace(-10, 10, 17)),
  {
    key: 'Math.atan2',
    label: 'Math.atan2',
    name: 'math_atan2',
    params: ['y', 'x'],
    expr: 'Math.atan2(y, x)',
    // Away from the origin and from the branch cut on the negative x axis.
    points: scatter(20, 2, -3, 3, 6, ([y, x]) => norm([y!, x!]) > 0.3 && !(x! < 0 && Math.abs(y!) < 0.05)),
  },

  // Hyperbolic.
  mathUnary('sinh', linspace(-5, 5, 17)),
  mathUnary('cosh', linspace(-5, 5, 17)),
  mathUnary('tanh', linspace(-4, 4, 17)),
  mathUnary('asinh', linspace(-10, 10, 17)),
  mathUnary('acosh', linspace(1.1, 10, 17)),
  mathUnary('atanh', linspace(-0.9, 0.9, 17)),

  // Exponential and logarithm.
  mathUnary('exp', linspace(-5, 5, 17)),
  mathUnary('expm1', [...linspace(-5, 5, 17), 1e-10, -1e-10]),
  mathUnary('log', linspace(0.1, 20, 17)),
  mathUnary('log1p', linspace(-0.9, 20, 17)),
  mathUnary('log2', linspace(0.1, 20, 17)),
  mathUnary('log10', linspace(0.1, 20, 17)),

  // Roots and powers.
  mathUnary('sqrt', linspace(0.1, 25, 17)),
  mathUnary('cbrt', linspace(-8, 8, 18).filter((x) => Math.abs(x) > 0.2)),
  {
    key: 'Math.pow',
    label: 'Math.pow (positive base)',
    name: 'math_pow',
    params: ['a', 'b'],
    expr: 'Math.pow(a, b)',
    points: positivePowPoints,
  },
  variadic('hypot', column(linspace(-5, 5, 18))),
  variadic('hypot', scatter(16, 2, -3, 3, 7, (p) => norm(p) > 0.3)),
  variadic('hypot', scatter(16, 3, -3, 3, 8, (p) => norm(p) > 0.3)),
  variadic('hypot', scatter(16, 5, -3, 3, 9, (p) => norm(p) > 0.3)),

  // Kinks and steps.
  mathUnary('abs', linspace(-5, 5, 18)),
  variadic('min', scatter(16, 2, -3, 3, 10, distinct)),
  variadic('min', scatter(16, 3, -3, 3, 11, distinct)),
  variadic('min', scatter(16, 4, -3, 3, 12, distinct)),
  variadic('max', scatter(16, 2, -3, 3, 13, distinct)),
  variadic('max', scatter(16, 3, -3, 3, 14, distinct)),
  variadic('max', scatter(16, 4, -3, 3, 15, distinct)),
  mathUnary('sign', offJumps),
  mathUnary('floor', offJumps),
  mathUnary('ceil', offJumps),
  mathUnary('round', offJumps),
  mathUnary('trunc', offJumps),
  {
    ...mathUnary('fround', linspace(-10, 10, 17)),
    // fround(x ± h) is off from x ± h by up to 2⁻²⁴·|x| ≈ 6e-7 at |x| = 10; divided by the step 2h = 1e-3
    // that is ~1e-3 of noise in the difference quotient. The exact value 1 is checked separately.
    tolerance: 1e-2,
  },
];

// ---------------------------------------------------------------------------------------------
// Each rule used with a constant argument beside an active one
// ---------------------------------------------------------------------------------------------

interface MixedCase extends Case {
  /** The hand-derived derivative d f/dx. */
  derivative: (x: number) => number;
}

const mixed = (key: string, expr: string, points: number[], derivative: (x: number) => number): MixedCase => ({
  key,
  label: expr,
  name: '',
  params: ['x'],
  expr,
  points: column(points),
  derivative,
});

/** A unary rule applied to a constant, combined with the active x: f(x) = g(c)·x, so f'(x) = g(c). */
const constantUnary = (key: string, c: number, g: (c: number) => number): MixedCase =>
  key === 'neg'
    ? mixed(key, `-(${c}) * x`, linspace(-3, 3, 5), () => -c)
    : mixed(key, `${key}(${c}) * x`, linspace(-3, 3, 5), () => g(c));

const mixedCases: MixedCase[] = [
  // Operators with one constant operand.
  mixed('+', '2 + x', linspace(-3, 3, 7), () => 1),
  mixed('+', 'x + 2', linspace(-3, 3, 7), () => 1),
  mixed('-', '3 - x', linspace(-3, 3, 7), () => -1),
  mixed('-', 'x - 3', linspace(-3, 3, 7), () => 1),
  mixed('*', '2.5 * x', linspace(-3, 3, 7), () => 2.5),
  mixed('*', 'x * 2.5', linspace(-3, 3, 7), () => 2.5),
  mixed('/', '3 / x', [-3, -2, -1, -0.5, 0.5, 1, 2, 3], (x) => -3 / (x * x)),
  mixed('/', 'x / 3', linspace(-3, 3, 7), () => 1 / 3),
  mixed('%', 'x % 2.5', [-6.1, -3.3, -1.2, 0.4, 1.9, 3.7, 5.6], () => 1),
  mixed('%', '7 % x', [-5, -3.2, -2.2, -1.3, 1.3, 2.2, 3.2, 5], (x) => -Math.trunc(7 / x)),
  mixed('**', '2 ** x', linspace(-3, 3, 7), (x) => 2 ** x * Math.LN2),
  mixed('**', '0.5 ** x', linspace(-3, 3, 7), (x) => 0.5 ** x * Math.log(0.5)),
  mixed('**', 'x ** 2.5', [0.2, 0.7, 1.3, 2, 3.5], (x) => 2.5 * x ** 1.5),
  mixed('**', 'x ** 3', linspace(-3, 3, 7), (x) => 3 * x * x),
  mixed('**', 'x ** -2', [-3, -2, -0.7, 0.7, 2, 3], (x) => -2 * x ** -3),
  mixed('**', 'x ** 0', [-2, -0.5, 0, 0.5, 2], () => 0),
  mixed('Math.pow', 'Math.pow(x, 0)', [-2, -0.5, 0, 0.5, 2], () => 0),
  mixed('**', 'x ** 1', [-2, -0.5, 0, 0.5, 2], () => 1),
  mixed('neg', '-(x * 2)', linspace(-3, 3, 7), () => -2),
  mixed('**', '(-x) ** 3', linspace(-3, 3, 7), (x) => -3 * x * x),
  // Math functions with one constant argument.
  mixed('Math.pow', 'Math.pow(2, x)', linspace(-3, 3, 7), (x) => 2 ** x * Math.LN2),
  mixed('Math.pow', 'Math.pow(x, 2.5)', [0.2, 0.7, 1.3, 2, 3.5], (x) => 2.5 * x ** 1.5),
  mixed('Math.pow', 'Math.pow(x, 3)', linspace(-3, 3, 7), (x) => 3 * x * x),
  mixed('Math.pow', 'Math.pow(-x, 3)', linspace(-3, 3, 7), (x) => -3 * x * x),
  mixed('Math.atan2', 'Math.atan2(1, x)', linspace(-3, 3, 7), (x) => -1 / (1 + x * x)),
  mixed('Math.atan2', 'Math.atan2(x, 1)', linspace(-3, 3, 7), (x) => 1 / (1 + x * x)),
  mixed('Math.atan2', 'Math.atan2(x, -2)', [-3, -1, -0.5, 0.5, 1, 3], (x) => -2 / (4 + x * x)),
  mixed('Math.hypot', 'Math.hypot(x, 3)', linspace(-3, 3, 7), (x) => x / Math.hypot(x, 3)),
  mixed('Math.hypot', 'Math.hypot(3, x, 4)', linspace(-3, 3, 7), (x) => x / Math.hypot(3, x, 4)),
  mixed('Math.hypot', 'Math.hypot(1, 2, x, 3, 4)', linspace(-3, 3, 7), (x) => x / Math.hypot(1, 2, x, 3, 4)),
  mixed('Math.max', 'Math.max(x, 0.5)', [-2, -0.5, 0.25, 0.5, 0.75, 2], (x) => (x >= 0.5 ? 1 : 0)),
  mixed('Math.max', 'Math.max(0.5, x)', [-2, -0.5, 0.25, 0.5, 0.75, 2], (x) => (x > 0.5 ? 1 : 0)),
  mixed('Math.max', 'Math.max(x, 0.5, 2)', [-2, 0.5, 1, 2, 2.5, 4], (x) => (x >= 2 ? 1 : 0)),
  mixed('Math.min', 'Math.min(x, 0.5)', [-2, -0.5, 0.25, 0.5, 0.75, 2], (x) => (x <= 0.5 ? 1 : 0)),
  mixed('Math.min', 'Math.min(0.5, x)', [-2, -0.5, 0.25, 0.5, 0.75, 2], (x) => (x < 0.5 ? 1 : 0)),
  mixed('Math.min', 'Math.min(1, x, -1, 3)', [-3, -1, -0.5, 0, 2], (x) => (x <= -1 ? 1 : 0)),
  // Unary rules applied to a constant and combined with x: the rule's result is inactive.
  constantUnary('neg', 0.7, (c) => -c),
  ...(
    [
      ['sin', 0.7],
      ['cos', 0.7],
      ['tan', 0.7],
      ['asin', 0.3],
      ['acos', 0.3],
      ['atan', 2],
      ['sinh', 1.5],
      ['cosh', 1.5],
      ['tanh', 0.5],
      ['asinh', 2],
      ['acosh', 2],
      ['atanh', 0.5],
      ['exp', 1.5],
      ['expm1', 1.5],
      ['log', 3],
      ['log1p', 3],
      ['log2', 3],
      ['log10', 3],
      ['sqrt', 3],
      ['cbrt', -5],
      ['abs', -1.5],
      ['sign', -1.5],
      ['floor', 2.7],
      ['ceil', 2.7],
      ['round', 2.7],
      ['trunc', -2.7],
      ['fround', 0.1],
    ] as const
  ).map(([f, c]) => constantUnary(`Math.${f}`, c, (Math as unknown as Record<string, (v: number) => number>)[f]!)),
  mixed('Math.min', 'Math.min(1.5, 2) * x', linspace(-3, 3, 5), () => 1.5),
  mixed('Math.max', 'Math.max(1.5, 2, -1) * x', linspace(-3, 3, 5), () => 2),
  mixed('Math.hypot', 'Math.hypot(3, 4) * x', linspace(-3, 3, 5), () => 5),
  mixed('Math.atan2', 'Math.atan2(1, 1) * x', linspace(-3, 3, 5), () => Math.PI / 4),
  mixed('Math.pow', 'Math.pow(2, 0.5) * x', linspace(-3, 3, 5), () => Math.SQRT2),
].map((c, i) => ({ ...c, name: `mixed_${i}` }));

// ---------------------------------------------------------------------------------------------
// The same variable in several arguments: adjoints from every argument accumulate
// ---------------------------------------------------------------------------------------------

const sameVariableCases: MixedCase[] = [
  mixed('*', 'x * x', linspace(-3, 3, 7), (x) => 2 * x),
  mixed('/', 'x / x', [-3, -1, 0.5, 2], () => 0),
  mixed('-', 'x - x', [-3, 0, 2], () => 0),
  mixed('%', 'x % x', [-3, -1, 0.5, 2], () => 0),
  mixed('**', 'x ** x', [0.3, 1, 2.5], (x) => x ** x * (Math.log(x) + 1)),
  mixed('Math.pow', 'Math.pow(x, x)', [0.3, 1, 2.5], (x) => x ** x * (Math.log(x) + 1)),
  mixed('Math.atan2', 'Math.atan2(x, x)', [-2, 0.5, 3], () => 0),
  mixed('Math.hypot', 'Math.hypot(x, x)', [-2, 0.5, 3], (x) => Math.SQRT2 * Math.sign(x)),
  mixed('Math.hypot', 'Math.hypot(x, x, x)', [-2, 0.5, 3], (x) => Math.sqrt(3) * Math.sign(x)),
  mixed('Math.max', 'Math.max(x, x)', [-2, 0, 3], () => 1),
  mixed('Math.min', 'Math.min(x, x, x)', [-2, 0, 3], () => 1),
].map((c, i) => ({ ...c, name: `same_${i}` }));

// ---------------------------------------------------------------------------------------------
// The Math constants
// ---------------------------------------------------------------------------------------------

const constantNames = ['PI', 'E', 'LN2', 'LN10', 'LOG2E', 'LOG10E', 'SQRT1_2', 'SQRT2'] as const;
const constantValue = (c: string) => (Math as unknown as Record<string, number>)[c]!;

// ---------------------------------------------------------------------------------------------
// The one source module
// ---------------------------------------------------------------------------------------------

const marked = (name: string, params: string[], body: string) =>
  `/** @differentiable(forward) */\nexport function ${name}(${params.map((p) => `${p}: number`).join(', ')}): number {\n  ${body}\n}\n`;

/** The rule inside an expression, so its partial is multiplied by an adjoint other than 1. */
const chainedName = (c: Case) => `chained_${c.name}`;
const chainedBody = (c: Case) => `const r = ${c.expr};\n  return r * r + 2.5 * r;`;

const SOURCE = [
  ...ruleCases.map((c) => marked(c.name, c.params, `return ${c.expr};`)),
  ...ruleCases.map((c) => marked(chainedName(c), c.params, chainedBody(c))),
  ...mixedCases.map((c) => marked(c.name, c.params, `return ${c.expr};`)),
  ...sameVariableCases.map((c) => marked(c.name, c.params, `return ${c.expr};`)),
  ...constantNames.map((c) => marked(`const_${c}`, ['x'], `return Math.${c} * x;`)),
  ...constantNames.map((c) => marked(`const_div_${c}`, ['x'], `return x / Math.${c} + Math.${c};`)),
].join('\n');

let compiled: Compiled;

beforeAll(async () => {
  compiled = await compileSource(SOURCE, 'rules.ts');
});

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const show = (x: number) => (Object.is(x, -0) ? '-0' : String(Number(x.toPrecision(6))));
const at = (params: string[], point: number[]) => params.map((p, i) => `${p}=${show(point[i]!)}`).join(', ');

/**
 * grad_name and valueAndGrad_name at the point: the gradient as an array in parameter order.
 * Forward mode must agree: jvp_name along the i-th axis gives the same value and ∂/∂argᵢ.
 */
function gradient(name: string, args: number[]): { grad: number[]; value: number } {
  const grad = fn(compiled.companion, `grad_${name}`)(...args) as unknown as Record<string, number>;
  const both = fn(compiled.companion, `valueAndGrad_${name}`)(...args) as unknown as { value: number; grad: Record<string, number> };
  expect(both.grad, `valueAndGrad_${name} and grad_${name} agree`).toEqual(grad);
  Object.values(grad).forEach((g, i) => {
    const { value, tangent } = jvp(name, args, axis(args.length, i));
    expect(Object.is(value, both.value), `jvp_${name} value ${value}, valueAndGrad ${both.value}`).toBe(true);
    expectClose(tangent, g, `jvp_${name}(${args.map(show).join(', ')}) along axis ${i} against grad_${name}`);
  });
  return { grad: Object.values(grad), value: both.value };
}

/** jvp_name at the point along a direction: f's value and its directional derivative. */
function jvp(name: string, args: number[], direction: number[]): { value: number; tangent: number } {
  return fn(compiled.companion, `jvp_${name}`)(...args, ...direction) as unknown as { value: number; tangent: number };
}

const axis = (n: number, i: number) => Array.from({ length: n }, (_, j) => (j === i ? 1 : 0));
/** A fixed direction with no zero component, different for each argument. */
const direction = (n: number) => [0.8, -1.3, 0.45, 1.7, -0.6].slice(0, n);

/** Richardson central differences of t ↦ f(point + t·direction) at t = 0. */
function directionalDerivative(name: string, point: number[], v: number[]): number {
  const f = fn(compiled.source, name);
  return partialDerivative((t) => f(...point.map((x, i) => x + t * v[i]!)), [0], 0);
}

/**
 * The tangent of jvp_name matches finite differences along each axis and along a direction
 * mixing every argument (Σᵢ ∂f/∂xᵢ·vᵢ, every term of the derived tangent at once).
 */
function expectTangentMatchesFiniteDifferences(name: string, point: number[], tolerance = 1e-6): void {
  const directions = [...point.map((_, i) => axis(point.length, i)), direction(point.length)];
  for (const v of directions) {
    const { value, tangent } = jvp(name, point, v);
    expect(value, `jvp_${name} value`).toBe(fn(compiled.source, name)(...point));
    const numeric = directionalDerivative(name, point, v);
    expect(closeTo(tangent, numeric, tolerance), `jvp_${name}(${point.map(show).join(', ')}) along ${v.join(', ')}: ${tangent}, finite differences ${numeric}`).toBe(true);
  }
}

/** it.each rows as [title, row], so that '%s' prints the whole title (vitest shortens '$title'). */
const titled = <T extends { title: string }>(rows: T[]) => rows.map((row) => [row.title, row] as [string, T]);

/** Exact equality, with +0 and -0 the same (a gradient of -0 is a gradient of 0). */
const zeroSigned = (values: number[]) => values.map((v) => (v === 0 ? 0 : v));

function expectExactGradient(name: string, args: number[], expected: number[]): void {
  const { grad, value } = gradient(name, args);
  expect(zeroSigned(grad), `grad_${name}(${args.map(show).join(', ')})`).toEqual(zeroSigned(expected));
  expect(value, `value of ${name}`).toBe(fn(compiled.source, name)(...args));
}

/**
 * closeTo, but an infinite value only matches the same infinity: closeTo itself accepts
 * closeTo(Infinity, 5e199) and even closeTo(Infinity, -Infinity), since ∞ ≤ tolerance·∞.
 */
function strictClose(actual: number, expected: number, tolerance: number): boolean {
  if (!Number.isFinite(actual) || !Number.isFinite(expected)) return Object.is(actual, expected) || (Number.isNaN(actual) && Number.isNaN(expected));
  return closeTo(actual, expected, tolerance);
}

function expectClose(actual: number, expected: number, what: string, tolerance = 1e-12): void {
  expect(strictClose(actual, expected, tolerance), `${what}: got ${actual}, expected ${expected}`).toBe(true);
}

/** expectGradientMatches (finite differences), plus: the gradient is finite wherever finite differences are. */
function expectMatchesFiniteDifferences(name: string, args: number[], tolerance?: number): void {
  expectGradientMatches(compiled, name, args, tolerance);
  const expected = numericGradient(fn(compiled.source, name), args);
  gradient(name, args).grad.forEach((g, i) =>
    expect(Number.isFinite(g), `grad_${name}(${args.join(', ')})[${i}] = ${g}, finite differences ${expected[i]}`).toBe(Number.isFinite(expected[i]!)),
  );
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe('rules table: gradient matches finite differences across the domain', () => {
  const rows = ruleCases.flatMap((c) => c.points.map((point) => ({ title: `${c.label} at ${at(c.params, point)}`, c, point })));
  it.each(titled(rows))('%s', (_, { c, point }) => {
    expectMatchesFiniteDifferences(c.name, point, c.tolerance);
  });
});

describe('rules table: tangent (forward mode) matches finite differences across the domain', () => {
  const rows = ruleCases.flatMap((c) => c.points.map((point) => ({ title: `${c.label} at ${at(c.params, point)}`, c, point })));
  it.each(titled(rows))('%s', (_, { c, point }) => {
    expectTangentMatchesFiniteDifferences(c.name, point, c.tolerance);
  });
});

describe('rules table: tangent of the rule inside an expression (r*r + 2.5r), so the tangent reaching it is not the argument\'s', () => {
  const rows = ruleCases.flatMap((c) =>
    c.points.filter((_, i) => i % 4 === 1).map((point) => ({ title: `${c.label} at ${at(c.params, point)}`, c, point })),
  );
  it.each(titled(rows))('%s', (_, { c, point }) => {
    expectTangentMatchesFiniteDifferences(chainedName(c), point, c.tolerance);
  });
});

describe('rules table: piecewise-constant rules have tangent 0', () => {
  it.each(['sign', 'floor', 'ceil', 'round', 'trunc'])('Math.%s', (f) => {
    for (const x of offJumps) expect(jvp(`math_${f}`, [x], [1]).tangent).toBe(0);
  });
});

describe('rules table: the rule inside an expression (r*r + 2.5r), so the adjoint reaching it is not 1', () => {
  const rows = ruleCases.flatMap((c) =>
    c.points.filter((_, i) => i % 4 === 1).map((point) => ({ title: `${c.label} at ${at(c.params, point)}`, c, point })),
  );
  it.each(titled(rows))('%s', (_, { c, point }) => {
    expectMatchesFiniteDifferences(chainedName(c), point, c.tolerance);
  });
});

describe('pow and ** at a negative base with an integer exponent: ∂/∂exponent is 0 by convention', () => {
  const points = grid([-3, -1.7, -1, -0.6], [-3, -2, -1, 0, 1, 2, 3]);
  const rows = [
    { label: 'a ** b', name: 'op_pow' },
    { label: 'Math.pow', name: 'math_pow' },
  ].flatMap((op) => points.map((point) => ({ title: `${op.label} at ${at(['a', 'b'], point)}`, ...op, point })));
  it.each(titled(rows))('%s', (_, { name, point }) => {
    const [a, b] = point as [number, number];
    const { grad, value } = gradient(name, point);
    expect(value).toBe(a ** b);
    // d(aᵇ)/da = b·aᵇ⁻¹ holds for every a when b is an integer, so finite differences in a work too.
    expectClose(grad[0]!, b * a ** (b - 1), `∂/∂a, hand-derived`);
    expectClose(grad[0]!, partialDerivative(fn(compiled.source, name), point, 0), `∂/∂a, finite differences`, 1e-6);
    // aᵇ is not real for non-integer b near b when a < 0: the convention gives ∂/∂b = 0.
    expect(zeroSigned([grad[1]!]), '∂/∂b').toEqual([0]);
  });
});

describe('pow and ** at base 0: hand-derived gradients', () => {
  // 0ᵇ = 0 for every b > 0, so ∂/∂b = 0 there (and 0 by the a ≤ 0 convention at b = 0).
  // ∂/∂a = b·0ᵇ⁻¹: 1 for b = 1, 0 for b > 1, and 0 for b = 0 (a⁰ = 1 for every a).
  const cases: [number, number][] = [
    [1, 1],
    [2, 0],
    [3, 0],
    [2.5, 0],
    [4, 0],
    [0, 0],
  ];
  const rows = [
    { label: 'a ** b', name: 'op_pow' },
    { label: 'Math.pow', name: 'math_pow' },
  ].flatMap((op) => cases.map(([b, da]) => ({ title: `${op.label} at a=0, b=${b}: gradient {a: ${da}, b: 0}`, ...op, b, da })));
  it.each(titled(rows))('%s', (_, { name, b, da }) => {
    expectExactGradient(name, [0, b], [da, 0]);
  });

  it.each([
    ['a ** b', 'op_pow'],
    ['Math.pow(a, b)', 'math_pow'],
  ])('%s with b = 0 has ∂/∂a = 0 at every a, including a = 0', (_, name) => {
    for (const x of [-2, -0.5, 0, 0.5, 2]) expectExactGradient(name, [x, 0], [0, x > 0 ? Math.log(x) : 0]);
  });
});

describe('conventions at non-differentiable points (rules/math.ts header)', () => {
  it.each([0, -0])('d|x|/dx = 0 at x = %s', (x) => {
    expectExactGradient('math_abs', [x], [0]);
  });

  it.each([
    // [name, point, expected gradient]
    ['math_max2', [1, 1], [1, 0]],
    ['math_min2', [1, 1], [1, 0]],
    ['math_max2', [-0.5, -0.5], [1, 0]],
    ['math_max3', [0, 2, 2], [0, 1, 0]],
    ['math_max3', [2, 2, 2], [1, 0, 0]],
    ['math_max3', [2, 0, 2], [1, 0, 0]],
    ['math_max3', [-1, -3, -1], [1, 0, 0]],
    ['math_min3', [3, -1, -1], [0, 1, 0]],
    ['math_min3', [-1, 3, -1], [1, 0, 0]],
    ['math_min3', [0, 0, 0], [1, 0, 0]],
    ['math_max4', [1, 5, 5, 5], [0, 1, 0, 0]],
    ['math_max4', [1, 2, 3, 3], [0, 0, 1, 0]],
    ['math_max4', [4, 4, 4, 4], [1, 0, 0, 0]],
    ['math_min4', [1, -5, 0, -5], [0, 1, 0, 0]],
    ['math_min4', [2, 2, 1, 1], [0, 0, 1, 0]],
  ] as [string, number[], number[]][])('%s%j: the adjoint goes to the first argument equal to the result: %j', (name, point, expected) => {
    expectExactGradient(name, point, expected);
  });

  it.each([
    ['math_hypot1', [0]],
    ['math_hypot2', [0, 0]],
    ['math_hypot3', [0, 0, 0]],
    ['math_hypot5', [0, 0, 0, 0, 0]],
  ] as [string, number[]][])('%s: gradient 0 at the origin', (name, origin) => {
    expectExactGradient(name, origin, origin);
  });

  it('hypot with some arguments 0 (not the origin): those partials are 0, the others xᵢ/r', () => {
    expectExactGradient('math_hypot2', [0, -3], [0, -1]);
    expectExactGradient('math_hypot3', [0, 3, 4], [0, 3 / 5, 4 / 5]);
    expectExactGradient('math_hypot5', [0, 0, 0, 0, 2], [0, 0, 0, 0, 1]);
  });

  const piecewise = ['sign', 'floor', 'ceil', 'round', 'trunc'];
  // Including the jumps themselves (integers, half-integers, 0) and extreme values.
  const stepPoints = [-3, -2.5, -1, -0.5, -0, 0, 0.5, 1, 2.5, 3, 0.3, -0.7, 1e-300, -1e300, 7.5];
  it.each(titled(piecewise.flatMap((f) => stepPoints.map((x) => ({ f, x, title: `Math.${f} at x=${show(x)}: derivative 0` })))))(
    '%s',
    (_, { f, x }) => {
      expectExactGradient(`math_${f}`, [x], [0]);
    },
  );

  const froundPoints = [-1e10, -3.7, -1, -0, 0, 0.1, 1 / 3, 1, 2.5, 16777217, 1e30];
  it.each(froundPoints)('Math.fround at x=%s: derivative exactly 1 (treated as the identity)', (x) => {
    expectExactGradient('math_fround', [x], [1]);
  });
});

describe('extreme but valid magnitudes: hand-derived gradients, finite and representable', () => {
  it.each([
    // [name, point, expected gradient]
    ['math_sin', [1e-300], [1]],
    ['math_tan', [1e-300], [1]],
    ['math_asin', [1e-300], [1]],
    ['math_atan', [1e-300], [1]],
    ['math_tanh', [1e-300], [1]],
    ['math_asinh', [1e-300], [1]],
    ['math_atanh', [1e-300], [1]],
    ['math_expm1', [1e-300], [1]],
    ['math_log1p', [1e-300], [1]],
    ['math_exp', [700], [Math.exp(700)]],
    ['math_log', [1e-300], [1e300]],
    ['math_log2', [1e-300], [1e300 / Math.LN2]],
    ['math_sqrt', [1e-300], [5e149]],
    ['math_cbrt', [1e-300], [1e200 / 3]],
    ['math_cbrt', [-1e300], [1e-200 / 3]],
    ['math_abs', [-5e-324], [-1]],
    ['math_hypot2', [1e-200, 1e-200], [Math.SQRT1_2, Math.SQRT1_2]],
    ['math_hypot2', [1e200, -1e200], [Math.SQRT1_2, -Math.SQRT1_2]],
    ['math_hypot3', [3e-200, 0, 4e-200], [0.6, 0, 0.8]],
    ['math_max2', [1e-300, 2e-300], [0, 1]],
    ['op_mul', [1e200, 1e-200], [1e-200, 1e200]],
    ['op_div', [1e-200, 1e-200], [1e200, -1e200]],
    // atan2(y, x): ∂/∂y = x/(x² + y²), ∂/∂x = -y/(x² + y²); at (s·u, s·v) that is (1/s)·v/(u² + v²).
    ['math_atan2', [1e-200, 1e-200], [5e199, -5e199]],
    ['math_atan2', [3e-170, 4e-170], [1.6e169, -1.2e169]],
    ['math_atan2', [-1e-160, 1e-160], [5e159, 5e159]],
  ] as [string, number[], number[]][])('%s at %j: gradient %j', (name, point, expected) => {
    const { grad } = gradient(name, point);
    expect(grad).toHaveLength(expected.length);
    grad.forEach((g, i) => expectClose(g, expected[i]!, `∂/∂arg${i}`, 1e-6));
  });
});

describe('each rule with a constant argument beside an active one', () => {
  const rows = mixedCases.flatMap((c) => c.points.map((point) => ({ title: `${c.label} at x=${show(point[0]!)}`, c, point })));
  it.each(titled(rows))('%s', (_, { c, point }) => {
    const [x] = point as [number];
    const { grad, value } = gradient(c.name, point);
    expect(grad).toHaveLength(1);
    expect(value).toBe(fn(compiled.source, c.name)(x));
    expectClose(grad[0]!, c.derivative(x), 'hand-derived');
    // Finite differences wherever f is smooth around x (not at the tie of max/min with the constant).
    const kink = /Math\.(max|min)/.test(c.expr) && [0.5, -1, 2].includes(x);
    if (!kink) expectMatchesFiniteDifferences(c.name, point);
  });
});

describe('the same variable in several arguments', () => {
  const rows = sameVariableCases.flatMap((c) => c.points.map((point) => ({ title: `${c.label} at x=${show(point[0]!)}`, c, point })));
  it.each(titled(rows))('%s', (_, { c, point }) => {
    const { grad } = gradient(c.name, point);
    expectClose(grad[0]!, c.derivative(point[0]!), 'hand-derived');
    expectMatchesFiniteDifferences(c.name, point);
  });
});

describe('Math constants in a marked function', () => {
  const rows = constantNames.flatMap((c) => [-2, 0, 0.5, 3].map((x) => ({ c, x, title: `Math.${c} * x at x=${x}: value ${show(constantValue(c) * x)}, gradient Math.${c}` })));
  it.each(titled(rows))('%s', (_, { c, x }) => {
    const C = constantValue(c);
    const { grad, value } = gradient(`const_${c}`, [x]);
    expect(value).toBe(C * x);
    expect(grad).toEqual([C]);
    expectMatchesFiniteDifferences(`const_${c}`, [x]);
  });

  it.each(titled(constantNames.map((c) => ({ c, title: `x / Math.${c} + Math.${c}: value and gradient 1/Math.${c}` }))))('%s', (_, { c }) => {
    const C = constantValue(c);
    for (const x of [-1.5, 0, 2]) {
      const { grad, value } = gradient(`const_div_${c}`, [x]);
      expect(value).toBe(x / C + C);
      expectClose(grad[0]!, 1 / C, `d/dx at ${x}`);
      expectMatchesFiniteDifferences(`const_div_${c}`, [x]);
    }
  });

  it('the tested constants are exactly the ones the rules table declares', () => {
    expect(constantNames.map((c) => `Math.${c}`).sort()).toEqual(Object.keys(mathConstants).sort());
    for (const c of constantNames) expect(mathConstants[`Math.${c}`]).toBe(constantValue(c));
  });
});

describe('rules table meta', () => {
  const rulesDir = fileURLToPath(new URL('../../packages/core/src/rules/', import.meta.url));

  /** The top-level keys of the object literal `export const <table>` in the file, each with the line before it. */
  function keysWithPrecedingLine(file: string, table: string, keyPattern: RegExp): { key: string; previous: string }[] {
    const text = readFileSync(rulesDir + file, 'utf8');
    const start = text.indexOf(`export const ${table}`);
    const end = text.indexOf('\n};', start);
    expect(start, `${file} declares ${table}`).toBeGreaterThanOrEqual(0);
    const lines = text.slice(start, end).split('\n');
    return lines.flatMap((line, i) => {
      const match = keyPattern.exec(line);
      return match ? [{ key: match[1]!, previous: (lines[i - 1] ?? '').trim() }] : [];
    });
  }

  const mathKeys = keysWithPrecedingLine('math.ts', 'mathRules', /^ {2}'(Math\.\w+)':/);
  it.each(mathKeys.map((k) => [k.key, k.previous]))('math.ts: %s is preceded by a // comment stating its partial', (_, previous) => {
    expect(previous).toMatch(/^\/\/ \S/);
  });

  const operatorKeys = keysWithPrecedingLine('operators.ts', 'operatorRules', /^ {2}'?([^'\s:]+)'?: \{/);
  it.each(operatorKeys.map((k) => [k.key, k.previous]))('operators.ts: %s is preceded by a // comment stating its partial', (_, previous) => {
    expect(previous).toMatch(/^\/\/ \S/);
  });

  it('the parsed keys are all the keys of the rules table', () => {
    expect(mathKeys.map((k) => k.key).sort()).toEqual(Object.keys(mathRules).sort());
    expect(operatorKeys.map((k) => k.key).sort()).toEqual(Object.keys(operatorRules).sort());
  });

  it('every rule in the table is covered by a case in this file', () => {
    const covered = new Set(ruleCases.map((c) => c.key));
    expect([...Object.keys(operatorRules), ...Object.keys(mathRules)].filter((k) => !covered.has(k))).toEqual([]);
    const mixedCovered = new Set(mixedCases.map((c) => c.key));
    expect([...Object.keys(operatorRules), ...Object.keys(mathRules)].filter((k) => !mixedCovered.has(k))).toEqual([]);
  });

  it('the variadic rules are tested at the arities the brief lists', () => {
    const arities = (key: string) => ruleCases.filter((c) => c.key === key).map((c) => c.params.length);
    expect(arities('Math.hypot')).toEqual([1, 2, 3, 5]);
    expect(arities('Math.min')).toEqual([2, 3, 4]);
    expect(arities('Math.max')).toEqual([2, 3, 4]);
  });

  it('every rule case has at least 15 points', () => {
    expect(ruleCases.filter((c) => c.points.length < 15).map((c) => c.label)).toEqual([]);
  });
});
