/**
 * Counted loops come out as the `for` they were written as (phases/4-differentiate/natural-loop.ts)
 * in the forward sweep of reverse mode and in the tangent sweep of forward mode, where the first
 * test is known to hold, and as the rotated `for (;;)` elsewhere: a do-while runs its body once
 * whatever the bound, and a counter read after the loop must outlive it. Each function is checked in
 * every mode (reverse, forward, Hessian) against finite differences, at bounds where the body runs
 * zero, one and several times, fractional bounds included.
 */
import { describe, expect, it } from 'vitest';
import { compileSource } from '../support/compile.js';
import { functionText } from '../support/gradient-check.js';
import { expectModesAgree } from '../support/modes-check.js';
import type { Argument } from '../support/finite-difference.js';

const source = `
const WEIGHTS = [0.5, -1.5, 2, 0.25];

/** @differentiable(forward, hessian, wrt: x) */
export function sumOfSquares(x: number[], n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]! * x[i]!;
  return s;
}

/** @differentiable(forward, hessian, wrt: x) */
export function fromOffset(x: number[], start: number): number {
  let s = 1;
  for (let i = start; i < x.length; i++) s *= x[i]!;
  return s;
}

/** @differentiable(forward, hessian, wrt: x) */
export function everyOther(x: number[], last: number): number {
  let s = 0;
  for (let i = 0; i <= last; i += 2) s += Math.sin(x[i]!) * x[i + 1]!;
  return s;
}

/** @differentiable(forward, hessian, wrt: x) */
export function countingDown(x: number[], n: number): number {
  let s = 0;
  for (let k = n; k > 0; k--) s = s * x[k - 1]! + 1;
  return s;
}

/** @differentiable(forward, hessian, wrt: x) */
export function tableWeighted(x: number[]): number {
  let s = 0;
  for (let i = 0; i < WEIGHTS.length; i++) s += WEIGHTS[i]! * x[i]! * x[i]!;
  return s;
}

/** @differentiable(forward, hessian, wrt: x) */
export function rowsTimes(rows: number[][], x: number[]): number {
  let s = 0;
  for (let i = 0; i < rows.length; i++) {
    for (let j = 0; j < x.length; j++) s += rows[i]![j]! * x[j]! * x[j]!;
  }
  return s;
}

/** @differentiable(forward, hessian, wrt: x) */
export function atLeastOnce(x: number[], n: number): number {
  let s = 0;
  let i = 0;
  do {
    s += x[i]! * x[i]!;
    i++;
  } while (i < n);
  return s;
}

/** @differentiable(forward, hessian, wrt: x) */
export function counterAfter(x: number[], n: number): number {
  let s = 0;
  let i = 0;
  for (; i < n; i++) s += x[i]! * 2;
  return s * i;
}
`;

const natural = ['sumOfSquares', 'fromOffset', 'everyOther', 'countingDown', 'tableWeighted', 'rowsTimes'];
const rotated = ['atLeastOnce', 'counterAfter'];

const x = () => [0.5, -1.25, 2, 0.75, 1.5];
const points: Record<string, Array<() => Argument[]>> = {
  sumOfSquares: [0, 1, 4, 2.5].map((n) => () => [x(), n]),
  fromOffset: [0, 1, 4, 5].map((start) => () => [x(), start]),
  everyOther: [-1, 0, 1, 3, 2.5].map((last) => () => [x(), last]),
  countingDown: [0, 1, 5].map((n) => () => [x(), n]),
  tableWeighted: [() => [x()]],
  rowsTimes: [
    () => [[], x()],
    () => [[[1, 2, 3, 4, 5]], x()],
    () => [
      [
        [1, 2, 3, 4, 5],
        [-1, 0.5, 2, 0, 3],
      ],
      x(),
    ],
    () => [[[1], [2]], []],
  ],
  atLeastOnce: [0, 1, 4].map((n) => () => [x(), n]),
  counterAfter: [0, 1, 4].map((n) => () => [x(), n]),
};

describe('counted loops', () => {
  it('are natural for loops in the forward sweep and the tangent sweep', async () => {
    const { text } = await compileSource(source, 'natural.ts');
    for (const name of natural) {
      for (const fn of [`backprop_${name}`, `tangent_${name}`]) {
        const code = functionText(text, fn);
        expect(code, fn).toMatch(/for \(let \w+ = \w+; \w+ (<|<=|>) \w+; \w+(\+\+|--| \+= 2)\) \{/);
        expect(code, fn).not.toContain('for (;;)');
      }
    }
    expect(functionText(text, 'backprop_everyOther')).toMatch(/i_\d+ <= last; i_\d+ \+= 2\)/);
    expect(functionText(text, 'backprop_countingDown')).toMatch(/k_\d+ > 0; k_\d+--\)/);
  });

  it('stay rotated for a do-while and for a counter read after the loop', async () => {
    const { text } = await compileSource(source, 'natural.ts');
    for (const name of rotated) {
      expect(functionText(text, `backprop_${name}`)).toContain('for (;;)');
      expect(functionText(text, `tangent_${name}`)).toContain('for (;;)');
    }
  });

  it.each([...natural, ...rotated])('%s matches finite differences in every mode', async (name) => {
    const compiled = await compileSource(source, 'natural.ts');
    for (const [i, args] of points[name]!.entries()) expectModesAgree(compiled, name, args, { wrt: ['x'], context: ` at point ${i}` });
  });
});
