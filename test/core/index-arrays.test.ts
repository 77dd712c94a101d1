/**
 * Arrays that only hold indices (phases/3-analyze/varied.ts): written from integers and counters,
 * never from a varied value, they get no shadow and no adjoint code, also when a helper or a
 * recursive call writes them beside the data it differentiates (the callee's summary says what a
 * varied argument reaches, summaries.ts). Integer typed arrays never vary: a helper may take one,
 * and a function may make one. Each case checks the value and every partial against finite
 * differences, and what the companion leaves out.
 */
import { describe, expect, it } from 'vitest';
import { compileSource } from '../support/compile.js';
import { expectValueAndGradientAt, functionText } from '../support/gradient-check.js';

const source = `
/** cmpad's det_by_minor, as GradBench's det eval: r and c are linked lists of rows and columns. */
function detOfMinor(A: Float64Array, n: number, m: number, r: number[], c: number[]): number {
  const R0 = r[n]!;
  let Cj = c[n]!;
  if (m === 1) return A[R0 * n + Cj]!;
  let detM = 0;
  let sign = 1;
  r[n] = r[R0]!;
  let Cj1 = n;
  for (let j = 0; j < m; j++) {
    const M0j = A[R0 * n + Cj]!;
    c[Cj1] = c[Cj]!;
    const detS = detOfMinor(A, n, m - 1, r, c);
    c[Cj1] = Cj;
    if (sign > 0) detM = detM + M0j * detS;
    else detM = detM - M0j * detS;
    Cj1 = Cj;
    Cj = c[Cj]!;
    sign = -sign;
  }
  r[n] = R0;
  return detM;
}

/** @differentiable(wrt: A) */
export function det(A: Float64Array, ell: number): number {
  const r: number[] = new Array(ell + 1).fill(0);
  const c: number[] = new Array(ell + 1).fill(0);
  for (let i = 0; i < ell; i++) {
    r[i] = i + 1;
    c[i] = i + 1;
  }
  return detOfMinor(A, ell, ell, r, c);
}

function gather(x: Float64Array, idx: Int32Array, k: number): number {
  return x[idx[k]!]! * x[idx[k]!]!;
}

/** A helper reads an Int32Array of indices passed through by wrt. */
/** @differentiable(wrt: x) */
export function gathered(x: Float64Array, idx: Int32Array): number {
  let s = 0;
  for (let k = 0; k < idx.length; k++) s += Math.sin(x[k]!) * gather(x, idx, k);
  return s;
}

/** An Int32Array the function makes and fills from counters. */
/** @differentiable */
export function reversed(x: Float64Array): number {
  const order = new Int32Array(x.length);
  for (let k = 0; k < x.length; k++) order[k] = x.length - 1 - k;
  let s = 0;
  for (let k = 0; k < x.length; k++) s += x[order[k]!]! * x[k]! * (k + 1);
  return s;
}

/** A number stored into an Int32Array is truncated: piecewise constant, it carries no derivative. */
/** @differentiable */
export function truncated(x: Float64Array): number {
  const slot = new Int32Array(1);
  slot[0] = 3 * x[0]!;
  return slot[0]! * x[1]!;
}

/** A helper writes the index array it is given beside the data it reads (a permutation, rotated). */
function rotateAndSum(order: number[], x: number[]): number {
  const first = order[0]!;
  for (let i = 0; i + 1 < order.length; i++) order[i] = order[i + 1]!;
  order[order.length - 1] = first;
  let s = 0;
  for (let i = 0; i < order.length; i++) s += x[order[i]!]! * (i + 1);
  return s;
}

/** @differentiable */
export function rotations(x: number[]): number {
  const order: number[] = [];
  for (let i = 0; i < x.length; i++) order.push(i);
  let s = 0;
  for (let t = 0; t < 3; t++) s += Math.cos(rotateAndSum(order, x));
  return s;
}

/** A helper fills one array from the data and another with indices: only the first carries adjoints. */
function squaresInto(out: number[], order: number[], x: number[]): number {
  for (let i = 0; i < x.length; i++) {
    out[i] = x[i]! * x[i]!;
    order[i] = x.length - 1 - i;
  }
  return out[order[0]!]!;
}

/** @differentiable */
export function squares(x: number[]): number {
  const out: number[] = new Array(x.length).fill(0);
  const order: number[] = new Array(x.length).fill(0);
  let s = squaresInto(out, order, x);
  for (let i = 0; i < x.length; i++) s += out[order[i]!]! * (i + 1);
  return s;
}
`;

const matrix = (ell: number) => () => [Float64Array.from({ length: ell * ell }, (_, i) => Math.sin(1.7 * i + 0.3) + (i % (ell + 1) === 0 ? 2 : 0)), ell];

describe('arrays that hold indices', () => {
  it('det by minors: the recursive helper relinks its index lists without shadows or adjoints of them', async () => {
    const compiled = await compileSource(source, 'index-arrays.ts');
    for (const ell of [1, 2, 3, 4]) expectValueAndGradientAt(compiled, 'det', matrix(ell));
    const companion = compiled.text;
    expect(companion).not.toMatch(/\bd_r\b|\bd_c\b/);
    expect(functionText(companion, 'backprop_det')).not.toContain('new Array(sum).fill(0);\n  const d_');
  });

  it('an Int32Array of indices, passed to a helper or made by the function, has no shadow', async () => {
    const compiled = await compileSource(source, 'index-arrays.ts');
    expectValueAndGradientAt(compiled, 'gathered', () => [new Float64Array([0.3, -1.2, 0.7, 2.1]), new Int32Array([3, 0, 0, 2])]);
    expectValueAndGradientAt(compiled, 'reversed', () => [new Float64Array([0.3, -1.2, 0.7, 2.1, 0.4])]);
    expect(compiled.text).not.toMatch(/\bd_idx\b|\bd_order\b/);
    expect(functionText(compiled.text, 'backprop_reversed')).not.toContain('tape');
  });

  it('a varied number stored into an Int32Array is truncated and carries no derivative', async () => {
    const compiled = await compileSource(source, 'index-arrays.ts');
    expectValueAndGradientAt(compiled, 'truncated', () => [new Float64Array([1.27, -0.6])]);
    const grad = (compiled.companion.grad_truncated as (x: Float64Array) => { x: Float64Array })(new Float64Array([1.27, -0.6]));
    expect([...grad.x]).toEqual([0, 3]);
  });

  it('an index array a helper writes stays without adjoints; the data array beside it keeps them', async () => {
    // (not inlined: the calls are what is checked)
    const compiled = await compileSource(source, 'index-arrays.ts', { inline: false });
    expectValueAndGradientAt(compiled, 'rotations', () => [[0.3, -1.2, 0.7, 2.1]]);
    expectValueAndGradientAt(compiled, 'squares', () => [[0.3, 1.2, -0.7, 0.25]]);
    expect(functionText(compiled.text, 'backprop_rotations')).toContain('rotateAndSum(');
    expect(functionText(compiled.text, 'backprop_rotations')).not.toContain('d_order');
    expect(functionText(compiled.text, 'backprop_squares')).not.toContain('d_order');
    expect(functionText(compiled.text, 'backprop_squares')).toContain('d_out');
  });
});
