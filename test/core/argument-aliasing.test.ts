/**
 * Arguments that share storage (issue 19, item 3). A function that writes into its arguments
 * computes something else when two of them are the same array (`f(w, w)`) or a matrix holds one
 * row twice (`M = [r, r]`), and its gradient, which gives each parameter a shadow of its own,
 * cannot follow: every export of such a function (grad, valueAndGrad, jvp, vjp, valueAndVjp,
 * jacobian, hvp, hessian) throws an Error naming the two places instead of returning a wrong
 * number. A function that only reads its arguments is not checked: each slot gets its own partial
 * derivative, and with shared storage those add up to the derivative with respect to it.
 */
import { describe, expect, it } from 'vitest';
import { compileSource, fn } from '../support/compile.js';
import { closeTo, partialAt, type Argument } from '../support/finite-difference.js';
import { expectModesAgree } from '../support/modes-check.js';

const source = `
/** @differentiable(forward, hessian) */
export function f(a: number[], b: number[]): number {
  a[0] = b[0]! * 2;
  return a[0]! * b[0]!;
}

/** @differentiable(forward) */
export function readsOnly(a: number[], b: number[]): number {
  return a[0]! * b[0]! + Math.sin(a[1]!) * b[1]!;
}

/** @differentiable(forward) */
export function writesRow(M: number[][], x: number): number {
  M[0]![0] = x * M[0]![1]!;
  return M[1]![0]! * x + M[0]![0]!;
}

/** @differentiable(forward) */
export function writesFirst(a: number[], rows: number[][]): number {
  a[0] = a[0]! * rows[0]![0]!;
  return a[0]! + rows[1]![1]! * rows[0]![1]!;
}

/** @differentiable(forward) */
export function scaled(a: number[], s: number): number[] {
  for (let i = 0; i < a.length; i++) a[i] = a[i]! * s;
  return [a[0]! * a[1]!, a[1]!];
}

/** @differentiable(forward) */
export function typed(a: Float64Array, b: Float64Array): number {
  a[0] = b[1]! * 3;
  return a[0]! * b[0]! + a[1]!;
}
`;

type Exported = (...args: Argument[]) => unknown;

describe('arguments that share storage with an argument f writes into', () => {
  it('issue 19 item 3: a[0] = b[0]! * 2; return a[0]! * b[0]! at grad(w, w) throws, naming a and b', async () => {
    const compiled = await compileSource(source, 'aliasing.ts');
    const w = [1.5, 2];
    for (const name of ['grad_f', 'valueAndGrad_f']) expect(() => (fn(compiled.companion, name) as unknown as Exported)(w, w), name).toThrow(/f writes into its arguments, and a and b are the same array/);
    expect(() => (fn(compiled.companion, 'jvp_f') as unknown as Exported)(w, w, [1, 0], [0, 0])).toThrow(/a and b are the same array/);
    expect(() => (fn(compiled.companion, 'hvp_f') as unknown as Exported)(w, w, [1, 0], [0, 0])).toThrow(/a and b are the same array/);
    expect(() => (fn(compiled.companion, 'hessian_f') as unknown as Exported)(w, w)).toThrow(/a and b are the same array/);
    // w is left as it was: the check comes before f runs
    expect(w).toEqual([1.5, 2]);
  });

  it('with separate arrays, every mode is checked as usual (Hessian included)', async () => {
    const compiled = await compileSource(source, 'aliasing.ts');
    expectModesAgree(compiled, 'f', () => [[1.5, 2], [0.7, -1]]);
    // f = a₀' b₀ with a₀' = 2b₀: 2b₀², H = 4 in (b₀, b₀)
    const hessian = (fn(compiled.companion, 'hessian_f') as unknown as Exported)([1.5, 2], [0.7, -1]) as number[][];
    expect(hessian[2]![2]).toBe(4);
  });

  it('two rows of one matrix that are the same array, when f writes into the matrix: throws naming M[0] and M[1]', async () => {
    const compiled = await compileSource(source, 'aliasing.ts');
    const r = [1, 2];
    expect(() => (fn(compiled.companion, 'grad_writesRow') as unknown as Exported)([r, r], 0.5)).toThrow(/M\[0\] and M\[1\] are the same array/);
    expect(() => (fn(compiled.companion, 'jvp_writesRow') as unknown as Exported)([r, r], 0.5, [[0, 0], [0, 0]], 1)).toThrow(/M\[0\] and M\[1\]/);
    expectModesAgree(compiled, 'writesRow', () => [[[1, 2], [1, 2]], 0.5]);
  });

  it('a row of a parameter f only reads, shared with a parameter f writes into: throws', async () => {
    const compiled = await compileSource(source, 'aliasing.ts');
    const a = [0.5, 1];
    expect(() => (fn(compiled.companion, 'grad_writesFirst') as unknown as Exported)(a, [a, [2, 3]])).toThrow(/a and rows\[0\] are the same array/);
    // rows that share storage among themselves only, f reading them: allowed
    const r = [0.25, -2];
    expectModesAgree(compiled, 'writesFirst', () => [[0.5, 1], [r, [2, 3]]]);
    expect((fn(compiled.companion, 'grad_writesFirst') as unknown as Exported)([0.5, 1], [r, r])).toBeDefined();
  });

  it('vector outputs: vjp, valueAndVjp and jacobian throw for the same array passed twice', async () => {
    const text = source.replace('export function scaled(a: number[], s: number)', 'export function scaled(a: number[], b: number[])').replace('a[i]! * s', 'a[i]! * b[i]!');
    const compiled = await compileSource(text, 'aliasing-vector.ts');
    const w = [1.5, 2];
    expect(() => (fn(compiled.companion, 'vjp_scaled') as unknown as Exported)(w, w, [1, 0])).toThrow(/a and b are the same array/);
    expect(() => (fn(compiled.companion, 'valueAndVjp_scaled') as unknown as Exported)(w, w, [1, 0])).toThrow(/a and b/);
    expect(() => (fn(compiled.companion, 'jacobian_scaled') as unknown as Exported)(w, w)).toThrow(/a and b/);
    expect(() => (fn(compiled.companion, 'jvp_scaled') as unknown as Exported)(w, w, [1, 0], [0, 1])).toThrow(/a and b/);
  });

  it('typed arrays that are views of one buffer and overlap share storage; views that do not overlap do not', async () => {
    const compiled = await compileSource(source, 'aliasing.ts');
    const buffer = new Float64Array([0.5, 1.5, -2, 3]);
    const grad = fn(compiled.companion, 'grad_typed') as unknown as Exported;
    expect(() => grad(buffer.subarray(0, 2), buffer.subarray(1, 3))).toThrow(/a and b are the same array/);
    expectModesAgree(compiled, 'typed', () => {
      const shared = new Float64Array([0.5, 1.5, -2, 3]);
      return [shared.subarray(0, 2), shared.subarray(2, 4)];
    });
  });
});

describe('arguments that share storage with arguments f only reads', () => {
  it('grad(w, w): each parameter gets its own partial derivative, which add up to the derivative in w', async () => {
    const compiled = await compileSource(source, 'aliasing.ts');
    const w = [0.8, -0.4];
    const { a, b } = (fn(compiled.companion, 'grad_readsOnly') as unknown as Exported)(w, w) as { a: number[]; b: number[] };
    expect(a).not.toBe(b);
    // partials at separate copies equal those at the shared array
    expect({ a, b }).toEqual((fn(compiled.companion, 'grad_readsOnly') as unknown as Exported)([...w], [...w]));
    const f = fn(compiled.source, 'readsOnly') as unknown as (...args: Argument[]) => number;
    const shared = (x: number[]) => f(x, x);
    [0, 1].forEach((k) => {
      const total = partialAt(shared as (...args: Argument[]) => number, [w], [0, k]);
      expect(closeTo(a[k]! + b[k]!, total, 1e-6), `∂/∂w[${k}]: ${a[k]! + b[k]!} vs ${total}`).toBe(true);
    });
  });
});
