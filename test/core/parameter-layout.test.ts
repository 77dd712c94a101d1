/**
 * Arrays and objects stored into slots of a parameter's storage (issue 19, item 2): row swaps to
 * pivot (`M[0] = M[1]`, destructuring `[M[0], M[1]] = [M[1], M[0]]`), new rows and fields
 * (`M[0] = [x, x]`, `p.w = [...]`), duplicated rows, nested objects, pushes, a helper that swaps,
 * loops that rotate rows and Gaussian elimination with partial pivoting. The gradient is with
 * respect to the arguments as they were passed in: grad.M[i] belongs to the row passed as M[i],
 * wherever f moved it, a row f discards keeps the adjoint of what was read from it before, and a
 * row pushed by f is not part of the gradient. Reverse mode gave the final layout (rows permuted,
 * grad.M[0] === grad.M[1]); forward mode was right. Every case is checked in both modes against
 * finite differences and against each other.
 */
import { describe, expect, it } from 'vitest';
import { compileSource, fn } from '../support/compile.js';
import type { Argument } from '../support/finite-difference.js';
import { expectModesAgree } from '../support/modes-check.js';

const source = `
/** @differentiable(forward) */
export function swapRows(M: number[][]): number {
  const t = M[0]!;
  M[0] = M[1]!;
  M[1] = t;
  return M[0]![0]! * 10 + M[1]![1]!;
}

/** @differentiable(forward) */
export function destructuringSwap(M: number[][]): number {
  [M[0], M[1]] = [M[1]!, M[0]!];
  return M[0]![0]! * 10 + M[1]![1]! * M[0]![1]!;
}

/** @differentiable(forward) */
export function newRow(M: number[][], x: number): number {
  const before = M[0]![0]! * M[0]![1]!;
  M[0] = [x, x * x];
  return before + M[0]![0]! * M[1]![0]! + M[0]![1]!;
}

/** @differentiable(forward) */
export function duplicateRow(M: number[][]): number {
  M[0] = M[1]!;
  M[0]![0] = M[0]![0]! * 3;
  return M[0]![0]! * M[1]![0]! + M[1]![1]!;
}

/** @differentiable(forward) */
export function newField(p: { w: number[]; b: number }, x: number): number {
  const old = p.w[0]! * p.b;
  p.w = [x * p.b, p.w[1]!];
  return old + p.w[0]! * p.w[1]!;
}

/** @differentiable(forward) */
export function nested(q: { inner: { rows: number[][] }; s: number }): number {
  const r = q.inner.rows;
  r[0] = [r[1]![0]! * q.s, 2];
  q.inner = { rows: [r[1]!, r[0]!] };
  return q.inner.rows[0]![1]! * q.inner.rows[1]![0]! + q.s;
}

/** @differentiable(forward) */
export function typedRows(M: Float64Array[], x: number): number {
  const t = M[0]!;
  M[0] = M[1]!;
  M[1] = t;
  return M[0]![0]! * x + M[1]![1]!;
}

/** @differentiable(forward) */
export function tupleSwap(p: [number[], number[]], x: number): number {
  const t = p[0];
  p[0] = p[1];
  p[1] = t;
  return p[0][0]! * x + p[1][1]!;
}

/** @differentiable(forward) */
export function fieldSwap(p: { a: number[]; b: number[] }): number {
  const t = p.a;
  p.a = p.b;
  p.b = t;
  return p.a[0]! * 10 + p.b[1]!;
}

function swap(M: number[][], i: number, j: number): void {
  const t = M[i]!;
  M[i] = M[j]!;
  M[j] = t;
}

/** @differentiable(forward) */
export function viaHelper(M: number[][]): number {
  swap(M, 0, 1);
  return M[0]![0]! * 10 + M[1]![1]!;
}

/** @differentiable(forward, wrt: M) */
export function rotateInLoop(M: number[][], n: number): number {
  let s = 0;
  for (let k = 0; k < n; k++) {
    const first = M[0]!;
    for (let i = 0; i + 1 < M.length; i++) M[i] = M[i + 1]!;
    M[M.length - 1] = first;
    s += M[0]![0]! * (k + 1) * M[1]![1]!;
  }
  return s;
}

/** @differentiable(forward) */
export function pushRow(M: number[][], x: number): number {
  M.push([x, M[0]![1]!]);
  return M[0]![0]! * M[M.length - 1]![1]! + M[M.length - 1]![0]!;
}

/** @differentiable(forward) */
export function pushNumber(a: number[], x: number): number {
  a.push(x * 2);
  return a[0]! * a[a.length - 1]! + a[1]!;
}

/**
 * The determinant by Gaussian elimination with partial pivoting (rows swapped in place).
 * @differentiable(forward)
 */
export function determinant(A: number[][]): number {
  const n = A.length;
  let det = 1;
  for (let k = 0; k < n; k++) {
    let pivot = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(A[i]![k]!) > Math.abs(A[pivot]![k]!)) pivot = i;
    if (pivot !== k) {
      const t = A[k]!;
      A[k] = A[pivot]!;
      A[pivot] = t;
      det = -det;
    }
    det *= A[k]![k]!;
    for (let i = k + 1; i < n; i++) {
      const factor = A[i]![k]! / A[k]![k]!;
      for (let j = k; j < n; j++) A[i]![j] = A[i]![j]! - factor * A[k]![j]!;
    }
  }
  return det;
}

/** @differentiable(forward) */
export function localSwap(x: number, y: number): number {
  const M = [[x, y], [y * y, x]];
  const t = M[0]!;
  M[0] = M[1]!;
  M[1] = t;
  return M[0]![0]! * 10 + M[1]![1]! * M[0]![1]!;
}
`;

type Gradient = (...args: Argument[]) => Record<string, Argument>;

describe('arrays and objects stored into a parameter: the gradient is in the layout passed in', () => {
  it('issue 19 item 2: swapping two rows gives [[0,1],[10,0]], rows as passed in', async () => {
    const compiled = await compileSource(source, 'layout.ts');
    const grad = fn(compiled.companion, 'grad_swapRows') as unknown as Gradient;
    const { M } = grad([[1, 2], [3, 4]]) as { M: number[][] };
    expect(M).toEqual([[0, 1], [10, 0]]);
    expect(M[0]).not.toBe(M[1]);
    expectModesAgree(compiled, 'swapRows', () => [[[1, 2], [3, 4]]]);
  });

  const cases: Array<[string, () => Argument[]]> = [
    ['destructuringSwap', () => [[[1.5, 2], [3, -4]]]],
    ['newRow', () => [[[1.5, 2], [3, -4]], 0.7]],
    ['duplicateRow', () => [[[1.5, 2], [3, -4]]]],
    ['newField', () => [{ w: [1.5, 2], b: -0.3 }, 0.7]],
    ['nested', () => [{ inner: { rows: [[1.5, 2], [3, -4]] }, s: 0.7 }]],
    ['typedRows', () => [[new Float64Array([1.5, 2]), new Float64Array([3, -4])], 0.7]],
    ['tupleSwap', () => [[[1.5, 2], [3, -4]], 0.7]],
    ['fieldSwap', () => [{ a: [1.5, 2], b: [3, -4] }]],
    ['viaHelper', () => [[[1.5, 2], [3, -4]]]],
    ['rotateInLoop', () => [[[1.5, 2], [3, -4], [0.5, 0.25]], 4]],
    ['pushRow', () => [[[1.5, 2], [3, -4]], 0.7]],
    ['pushNumber', () => [[1.5, 2, -0.5], 0.7]],
    ['determinant', () => [[[1, 2, 3], [4, 5, 6.5], [7, 8.5, 1]]]],
    ['determinant', () => [[[0.5, 2, 3, 1], [4, -5, 6.5, 2], [7, 8.5, 1, -3], [1, 1, 9, 0.5]]]],
    ['localSwap', () => [0.3, 0.7]],
  ];
  it.each(cases)('%s: reverse and forward mode agree, with finite differences', async (name, args) => {
    const compiled = await compileSource(source, 'layout.ts');
    expectModesAgree(compiled, name, args, name === 'rotateInLoop' ? { wrt: ['M'] } : {});
    // shaped like the arguments as passed in, a row for each row passed, none shared
    const grad = (fn(compiled.companion, `grad_${name}`) as unknown as Gradient)(...args());
    const shape = (v: unknown): unknown => (typeof v === 'number' ? 0 : ArrayBuffer.isView(v) ? (v as Float64Array).length : Array.isArray(v) ? v.map(shape) : Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, shape(x)])));
    const params = Object.keys(grad);
    params.forEach((param) => expect(shape(grad[param]), param).toEqual(shape(args()[params.indexOf(param)])));
  });

  it('a determinant by pivoting: the gradient is the cofactor matrix, det(A)·A⁻ᵀ', async () => {
    const compiled = await compileSource(source, 'layout.ts');
    const A = () => [[2, 1, 0.5], [4, 3, 1], [1, -2, 5]];
    const { A: gradient } = (fn(compiled.companion, 'grad_determinant') as unknown as Gradient)(A()) as { A: number[][] };
    // cofactors C[i][j] = (-1)^(i+j) det(A without row i and column j)
    const a = A();
    const minor = (i: number, j: number) => {
      const rows = a.filter((_, r) => r !== i).map((row) => row.filter((_, c) => c !== j));
      return rows[0]![0]! * rows[1]![1]! - rows[0]![1]! * rows[1]![0]!;
    };
    gradient.forEach((row, i) => row.forEach((entry, j) => expect(entry).toBeCloseTo((-1) ** (i + j) * minor(i, j), 10)));
  });
});
