/**
 * A loop's reverse is skipped where the adjoints it starts from are all zero (zero-adjoints.ts):
 * the distances to all but the closest centroid, a ReLU's inactive units. Checked here: the
 * guard is there (and only where the loop reads no other adjoint and pops nothing), the
 * gradients still match finite differences where some adjoints are zero and others not, a
 * distance that is infinite no longer turns the gradient into NaN, and second order, where the
 * adjoint is zero at the point but its tangent is not (H·v at a minimum), is exact.
 */
import { describe, expect, it } from 'vitest';
import { compileSource, fn } from '../support/compile.js';
import { expectValueAndGradientAt, functionText } from '../support/gradient-check.js';
import type { Argument } from '../support/finite-difference.js';

const closest = `
function dist2(a: number[], b: number[]): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += (a[i]! - b[i]!) * (a[i]! - b[i]!);
  return d;
}
/** @differentiable(wrt: centroids) */
export function cost(points: number[][], centroids: number[][]): number {
  let total = 0;
  for (const p of points) {
    let best = Infinity;
    for (const c of centroids) best = Math.min(best, dist2(p, c));
    total += best;
  }
  return total;
}`;

const relu = `
/** @differentiable(wrt: w, x) */
export function layer(w: number[], x: number[], units: number): number {
  let loss = 0;
  for (let u = 0; u < units; u++) {
    let pre = 0;
    for (let j = 0; j < x.length; j++) pre += w[u * x.length + j]! * x[j]!;
    const h = Math.max(0, pre);
    loss += h * h;
  }
  return loss;
}`;

const points = [
  [0.1, 0.2],
  [0.9, 0.8],
  [0.4, 0.6],
];
const centroids = [
  [0, 0],
  [1, 1],
  [0.5, 0.5],
];

describe('a loop whose adjoints are all zero is not reversed', () => {
  it('the distance loop of a point runs its reverse only for the closest centroid', async () => {
    const compiled = await compileSource(closest, 'closest.ts');
    const backprop = functionText(compiled.text, 'backprop_cost');
    expect(backprop).toMatch(/if \(d_\w+ !== 0\) \{\n\s*for \(let iteration/);
    expectValueAndGradientAt(compiled, 'cost', () => [points.map((p) => [...p]), centroids.map((c) => [...c])]);
  });

  it("a ReLU's inactive units are skipped, the active ones reversed", async () => {
    const compiled = await compileSource(relu, 'relu.ts');
    expect(functionText(compiled.text, 'backprop_layer')).toMatch(/if \(d_\w+ !== 0\) \{/);
    // units 0 and 2 active, 1 and 3 not
    const w = [0.5, 0.2, -0.3, -0.6, 0.1, 0.4, -0.2, -0.9];
    expectValueAndGradientAt(compiled, 'layer', () => [[...w], [0.7, 0.3], 4]);
  });

  it('a centroid at infinity gets a zero gradient, not NaN (0 · ∞ is not added)', async () => {
    const compiled = await compileSource(closest, 'closest.ts');
    const grad = fn(compiled.companion, 'grad_cost') as unknown as (p: Argument, c: Argument) => { centroids: number[][] };
    const { centroids: g } = grad(points, [...centroids, [Infinity, 0]]);
    expect(g[3]).toEqual([0, 0]);
    expect(g.slice(0, 3).flat().every(Number.isFinite)).toBe(true);
  });

  it('a loop whose inner loop pops the tape is reversed even with a zero adjoint (the tape stays in step)', async () => {
    // s's adjoint is 0 (the max is inactive); the loop over i still pops what its inner product
    // pushed, so that the loop over q, before it, pops its own values
    const compiled = await compileSource(
      `
/** @differentiable */
export function f(x: number[]): number {
  let q = 1;
  for (let i = 0; i < x.length; i++) q *= Math.sin(x[i]!) + 2;
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    let p = 1;
    for (let j = 0; j < x.length; j++) p *= x[j]! + i;
    s += p;
  }
  return q + Math.max(0, s - 1e6);
}`,
      'pops.ts',
    );
    expectValueAndGradientAt(compiled, 'f', () => [[0.3, -0.8, 1.2, 0.5]]);
  });

  it('a loop that writes a container is reversed whatever its adjoints', async () => {
    const compiled = await compileSource(
      `
/** @differentiable */
export function f(x: number[]): number {
  const y = new Array<number>(x.length).fill(0);
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    y[i] = x[i]! * x[i]!;
    s += y[i]!;
  }
  return Math.max(0, s - 100) + y[0]!;
}`,
      'writes.ts',
    );
    expect(functionText(compiled.text, 'backprop_f')).not.toMatch(/!== 0\) \{/);
    expectValueAndGradientAt(compiled, 'f', () => [[0.5, -1.5, 2]]);
  });
});

describe('second order through a skipped loop', () => {
  it('H·v at a minimum, where the adjoint is zero and its tangent is not, is exact', async () => {
    // f = (Σ x − 1)²: at Σ x = 1, d_s = 2(s − 1) = 0, but H = 2·11ᵀ
    const compiled = await compileSource(
      `
/** @differentiable(hessian) */
export function f(x: number[]): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * 1;
  const r = s - 1;
  return r * r;
}`,
      'minimum.ts',
    );
    expect(functionText(compiled.text, 'backprop_f')).toMatch(/if \(d_\w+ !== 0\) \{/);
    const hessian = fn(compiled.companion, 'hessian_f') as unknown as (x: number[]) => number[][];
    expect(hessian([0.25, 0.25, 0.5])).toEqual([
      [2, 2, 2],
      [2, 2, 2],
      [2, 2, 2],
    ]);
    const hvp = fn(compiled.companion, 'hvp_f') as unknown as (x: number[], v: number[]) => { x: number[] };
    expect(hvp([0.25, 0.25, 0.5], [1, -2, 0.5]).x).toEqual([-1, -1, -1]);
  });
});
