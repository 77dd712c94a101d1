/**
 * `slice` with starts and ends that are not whole numbers in range: JavaScript truncates them
 * (ToIntegerOrInfinity: NaN is 0), counts negative ones from the end and clamps them to the
 * array, so the reverse sweep must add each copied element's adjoint at the index it was copied
 * from, not at `start + k` (issue 19, item 1: `a.slice(a.length / 2)` added into d_a[2.5 + k]).
 * Element reads tested with `??` at an index that holds nothing (fractional, negative, past the
 * end) must leave the gradient shaped like the parameter. Every case is checked in reverse and
 * forward mode against finite differences and against each other.
 */
import { describe, expect, it } from 'vitest';
import { compileSource, fn } from '../support/compile.js';
import type { Argument } from '../support/finite-difference.js';
import { expectModesAgree } from '../support/modes-check.js';

const source = `
/** @differentiable(forward) */
export function upperHalf(a: number[]): number {
  const hi = a.slice(a.length / 2);
  return hi[0]! * hi[1]!;
}

/** @differentiable(forward) */
export function between(a: number[], s: number, e: number): number {
  const part = a.slice(s, e);
  let total = 0;
  for (let i = 0; i < part.length; i++) total += (i + 1) * part[i]! * part[i]!;
  return total;
}

/** @differentiable(forward) */
export function typedTail(a: Float64Array): number {
  const tail = a.slice(-a.length / 3);
  return tail[0]! * 3 + tail[tail.length - 1]! * tail[0]!;
}

/** @differentiable(forward) */
export function rowsFrom(m: number[][], x: number): number {
  const rows = m.slice(m.length / 2);
  return rows[0]![0]! * x + rows[rows.length - 1]![1]! * x * x;
}

/** @differentiable(forward, wrt: a, x) */
export function computedStart(a: number[], x: number, n: number): number {
  const part = a.slice(n / 2 - 1.25, n * 0.75);
  let total = x;
  for (const v of part) total = total * v + x;
  return total;
}

/** @differentiable(forward) */
export function literalBounds(a: number[], m: number[][]): number {
  const tail = a.slice(1.5);
  const last = a.slice(-1.5);
  const head = a.slice(-0.5, 2.5);
  const row = m[0]!.slice(0.9);
  return tail[0]! * last[0]! + head[1]! * tail[1]! + row[1]! * row[0]!;
}

/** @differentiable(forward) */
export function missingReads(a: number[], x: number): number {
  const i = a.length / 2;
  return (a[i] ?? 1) * x + (a[-1] ?? 2) * x + (a[a.length] ?? 3) * x + a[1]! * x;
}
`;

const array = () => [0.7, -1.3, 2.1, 0.4, -0.9];

describe('slice truncates its start as JavaScript does, in the value and in the reverse sweep', () => {
  it('issue 19 item 1: hi[0]! * hi[1]! of a.slice(a.length / 2) at [1,2,3,4,5] has gradient [0,0,4,3,0]', async () => {
    const compiled = await compileSource(source, 'slices.ts');
    const grad = fn(compiled.companion, 'grad_upperHalf') as unknown as (a: number[]) => { a: number[] };
    expect(grad([1, 2, 3, 4, 5])).toEqual({ a: [0, 0, 4, 3, 0] });
    expectModesAgree(compiled, 'upperHalf', () => [[1, 2, 3, 4, 5]]);
  });

  const bounds: Array<[string, number, number]> = [
    // (away from whole numbers, where the copy and so f jump, and finite differences mean nothing)
    ['fractional start and end', 1.5, 3.7],
    ['a negative fractional start', -2.5, 5.5],
    ['a negative fractional end', 0.9, -1.2],
    ['a NaN start (read as 0)', Number.NaN, 4.3],
    ['an infinite start', Number.POSITIVE_INFINITY, 4.3],
    ['a start of -Infinity (read as 0)', Number.NEGATIVE_INFINITY, 3.5],
    ['a start past the end', 7.5, 9.5],
    ['a start before the beginning', -8.5, 2.5],
    ['an end of NaN (an empty copy)', 1.5, Number.NaN],
    ['-0.5 (truncated to -0, the beginning)', -0.5, 4.9],
  ];
  it.each(bounds)('a.slice(s, e) with %s', async (_, s, e) => {
    const compiled = await compileSource(source, 'slices.ts');
    expectModesAgree(compiled, 'between', () => [array(), s, e], { wrt: ['a', 's', 'e'] });
  });

  it('a Float64Array sliced from a fractional negative start', async () => {
    const compiled = await compileSource(source, 'slices.ts');
    expectModesAgree(compiled, 'typedTail', () => [new Float64Array(array())]);
    expectModesAgree(compiled, 'typedTail', () => [new Float64Array([0.5, 1.5, -2, 3])]);
  });

  it('rows of a matrix sliced from a fractional start share their shadows with the matrix', async () => {
    const compiled = await compileSource(source, 'slices.ts');
    expectModesAgree(compiled, 'rowsFrom', () => [[[0.3, 1.2], [-0.7, 0.5], [1.1, -0.4]], 1.7]);
  });

  it.each([[2], [3], [5], [8]])('a start and end computed from a count (n = %d)', async (n) => {
    const compiled = await compileSource(source, 'slices.ts');
    expectModesAgree(compiled, 'computedStart', () => [array(), 0.6, n], { wrt: ['a', 'x'] });
  });
});

describe('slice with literal bounds that are not whole numbers', () => {
  it('a.slice(1.5), a.slice(-1.5), a.slice(-0.5, 2.5), m[0].slice(0.9): truncated at compile time', async () => {
    const compiled = await compileSource(source, 'slices.ts');
    expectModesAgree(compiled, 'literalBounds', () => [array(), [[0.5, -1.5], [2, 3]]]);
  });
});

describe('element reads tested with ?? where there is no element', () => {
  it('give the gradient no property the parameter lacks (a fractional, a negative, a past-the-end index)', async () => {
    const compiled = await compileSource(source, 'slices.ts');
    for (const a of [array(), [0.5, 1.5, 2.5, 3.5]]) {
      const args = (): Argument[] => [[...a], 1.3];
      expectModesAgree(compiled, 'missingReads', args);
      const grad = (fn(compiled.companion, 'grad_missingReads') as unknown as (...x: Argument[]) => { a: number[] })(...args());
      expect(Object.keys(grad.a)).toEqual(Object.keys(a));
    }
  });
});
