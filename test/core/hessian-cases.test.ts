/**
 * Hessians the second stage (the companion differentiated again) could not give (issue 19,
 * item 7): a function with a vector output marked hessian (alone in a file it gave no companion
 * and no diagnostic; beside another hessian function, hvp_f called a missing jvp_grad_f), and
 * AD9001 "could not be differentiated again" for `??`, for a `number[][]` parameter and for a
 * recursive helper writing into its array argument. Each Hessian is checked against central
 * differences of the gradient (of the Jacobian's rows, for a vector output) and hvp against
 * hessian.
 *
 * A vector output has a Hessian per number of the output: hessian_f returns them in the order
 * of jacobian_f's rows, and hvp_f takes an output adjoint u before the directions and gives
 * (Σᵣ uᵣ·Hᵣ)·v.
 */
import { compile } from '@adjoint/core';
import { describe, expect, it } from 'vitest';
import { compileSource, fn, type Compiled } from '../support/compile.js';
import { closeTo, leaves, type Argument } from '../support/finite-difference.js';
import { shifted } from '../support/directional.js';
import { mapLeaves } from '../support/jacobian-check.js';
import { expectModesAgree } from '../support/modes-check.js';

type Exported = (...args: Argument[]) => any;

/** Unit directions: one per number of the differentiated arguments, in flattening order. */
function unitDirections(args: Argument[]): Array<Array<Argument>> {
  const count = args.reduce<number>((n, a) => n + leaves(a).length, 0);
  return Array.from({ length: count }, (_, k) => {
    let i = 0;
    return args.map((a) => mapLeaves(a, () => (i++ === k ? 1 : 0)));
  });
}

/**
 * Hᵣ from hessian_f against central differences of the r-th row of jacobian_f (of grad_f for a
 * number output) along each unit direction, and hvp_f (with the output adjoint eᵣ for a vector
 * output) along eₖ against column k of Hᵣ.
 */
function expectHessiansMatch(compiled: Compiled, name: string, args: () => Argument[], vector: boolean): void {
  const exported = (prefix: string) => fn(compiled.companion, `${prefix}_${name}`) as unknown as Exported;
  const rowsAt = (a: Argument[]): number[][] => (vector ? exported('jacobian')(...a) : [leaves(exported('grad')(...a)).map(([, g]) => g)]);
  const hessians: number[][][] = vector ? exported('hessian')(...args()) : [exported('hessian')(...args())];
  const value = (fn(compiled.source, name) as unknown as Exported)(...args()) as Argument;
  expect(hessians.length, `${name}: one Hessian per number of the value`).toBe(rowsAt(args()).length);
  unitDirections(args()).forEach((unit, k) => {
    const at = (t: number) => rowsAt(shifted(args(), unit, t));
    const [p, m, ph, mh] = [at(1e-3), at(-1e-3), at(5e-4), at(-5e-4)];
    hessians.forEach((h, r) => {
      h[k]!.forEach((entry, j) => {
        const difference = (4 * ((ph[r]![j]! - mh[r]![j]!) / 1e-3) - (p[r]![j]! - m[r]![j]!) / 2e-3) / 3;
        expect(closeTo(entry, difference, 1e-5), `${name}: H${r}[${k}][${j}] = ${entry}, differences of the gradient ${difference}`).toBe(true);
      });
      let i = 0;
      const u = vector ? [mapLeaves(value, () => (i++ === r ? 1 : 0))] : [];
      const hvp = exported('hvp')(...args(), ...u, ...unit);
      const product = leaves(hvp).map(([, x]) => x);
      product.forEach((x, j) => expect(closeTo(x, h[j]![k]!, 1e-10), `${name}: (H${r}·e${k})[${j}] = ${x}, hessian ${h[j]![k]}`).toBe(true));
      // one pass: f's value, the gradient (uᵀ·J) and the same H·v
      const together = exported('valueGradAndHvp')(...args(), ...u, ...unit);
      expect(together, `${name}: valueGradAndHvp along e${k}`).toEqual({ value, grad: vector ? exported('vjp')(...args(), ...u) : exported('grad')(...args()), hvp });
    });
  });
}

describe('@differentiable(hessian) on a function returning an array, a tuple or an object', () => {
  it('issue 19 item 7: alone in a file (beside a function not marked hessian) it gets its companion and a Hessian per output', async () => {
    const text = `/** @differentiable(hessian) */
export function v(x: number, y: number): number[] {
  return [x * y, x * x * y];
}

/** @differentiable */
export function other(x: number): number {
  return x * x;
}
`;
    const result = await compile([{ path: 'alone.ts', text }]);
    expect(result.diagnostics).toEqual([]);
    expect(result.outputs).toHaveLength(1);
    const compiled = await compileSource(text, 'alone.ts');
    // H₀ of x·y and H₁ of x²·y at (0.5, 2)
    expect((fn(compiled.companion, 'hessian_v') as unknown as Exported)(0.5, 2)).toEqual([[[0, 1], [1, 0]], [[4, 1], [1, 0]]]);
    expectHessiansMatch(compiled, 'v', () => [0.5, 2], true);
  });

  it('issue 19 item 7: beside another hessian-marked function, hvp of the vector output calls what exists', async () => {
    const text = `/** @differentiable(hessian, forward) */
export function v(x: number, y: number): [number, number] {
  return [x * y, x * x * y];
}

/** @differentiable(hessian) */
export function s(x: number, y: number): number {
  return x * x * y;
}
`;
    const compiled = await compileSource(text, 'beside.ts');
    expect(compiled.result.diagnostics).toEqual([]);
    // (Σᵣ uᵣ·Hᵣ)·v with u = (1, 2), v = (1, 0): H₀ e_x + 2 H₁ e_x = (0, 1) + 2·(2y, 2x)
    expect((fn(compiled.companion, 'hvp_v') as unknown as Exported)(0.5, 2, [1, 2], 1, 0)).toEqual({ x: 8, y: 3 });
    expectHessiansMatch(compiled, 'v', () => [0.5, 2], true);
    expectHessiansMatch(compiled, 's', () => [0.5, 2], false);
  });

  it('an object with an array field, from an array parameter that f writes into', async () => {
    const text = `/** @differentiable(hessian, forward) */
export function step(p: number[], dt: number): { x: number; v: number[] } {
  for (let i = 0; i < p.length; i++) p[i] = p[i]! * Math.exp(dt * p[i]!);
  return { x: p[0]! * p[1]!, v: [Math.sin(p[0]! * dt), p[1]! * p[1]!, dt * dt] };
}
`;
    const compiled = await compileSource(text, 'object.ts');
    expectHessiansMatch(compiled, 'step', () => [[0.3, -0.6], 0.7], true);
  });
});

describe('Hessians that ended in AD9001 "could not be differentiated again"', () => {
  const cases: Array<[string, string, string, () => Argument[]]> = [
    ['??', 'f', `/** @differentiable(hessian, forward) */
export function f(a: number[], x: number): number {
  return (a[3] ?? x) * x + a[0]! * a[0]! * x + (a[1] ?? 2) * Math.sin(x);
}
`, () => [[1.5, 2], 0.7]],
    ['?? (the element exists)', 'f', `/** @differentiable(hessian, forward) */
export function f(a: number[], x: number): number {
  return (a[3] ?? x) * x + a[0]! * a[0]! * x + (a[1] ?? 2) * Math.sin(x);
}
`, () => [[1.5, 2, -1, 0.25], 0.7]],
    ['a number[][] parameter', 'f', `/** @differentiable(hessian, forward) */
export function f(M: number[][], x: number): number {
  let s = 0;
  for (const row of M) s += row[0]! * row[1]! * x;
  return s + M[0]![1]! * x * x;
}
`, () => [[[1.5, 2], [0.5, -1], [0.25, 3]], 0.7]],
    ['a number[][] parameter whose rows f swaps', 'f', `/** @differentiable(hessian, forward) */
export function f(M: number[][], x: number): number {
  const t = M[0]!;
  M[0] = M[1]!;
  M[1] = t;
  return M[0]![0]! * M[1]![1]! * x + M[0]![1]! * x * x;
}
`, () => [[[1.5, 2], [0.5, -1]], 0.7]],
    ['a recursive helper writing into its array argument', 'f', `function scale(a: number[], i: number, x: number): void {
  if (i >= a.length) return;
  a[i] = a[i]! * x;
  scale(a, i + 1, x);
}
/** @differentiable(hessian, forward) */
export function f(a: number[], x: number): number {
  scale(a, 0, x);
  return a[0]! * a[1]! + Math.sin(a[2]!);
}
`, () => [[1.5, 2, 0.3], 0.7]],
  ];
  it.each(cases)('%s', async (_, name, text, args) => {
    const result = await compile([{ path: 'again.ts', text }]);
    expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    const compiled = await compileSource(text, 'again.ts');
    expectHessiansMatch(compiled, name, args, false);
    expectModesAgree(compiled, name, args);
  });
});
