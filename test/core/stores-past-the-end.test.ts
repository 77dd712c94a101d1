/**
 * Stores past an array's end. A number[] grows (`out[i] = …` filling `[]` is ordinary JavaScript):
 * its shadow grows with it in the forward sweep, so the reverse has an adjoint for every element
 * written. A typed array drops the store: the value stored reaches nothing, and its adjoint is 0.
 * Both gave NaN before. Each case: the value exactly f's, every partial against finite differences.
 */
import { describe, expect, it } from 'vitest';
import { compileSource, fn } from '../support/compile.js';
import type { Argument } from '../support/finite-difference.js';
import { expectValueAndGradientAt, functionText } from '../support/gradient-check.js';
import { expectModesAgree } from '../support/modes-check.js';

const source = `
/** Filled from empty by index, then read. */
/** @differentiable */
export function grow(x: number[]): number {
  const out: number[] = [];
  for (let i = 0; i < x.length; i++) out[i] = x[i]! * x[i]!;
  let s = 0;
  for (let i = 0; i < out.length; i++) s += Math.sin(out[i]!) * x[i]!;
  return s;
}

/** Written past its end, leaving a hole that a later store fills. */
/** @differentiable */
export function holes(x: number[]): number {
  const out: number[] = [x[0]!];
  out[3] = x[1]! * 2;
  out[2] = x[2]! * x[0]!;
  return out[0]! * out[3]! + out[2]! - out[3]!;
}

/** Grown in a loop nest, each row read back right away. */
/** @differentiable(wrt: x) */
export function rows(x: number[], n: number): number {
  const acc: number[] = [];
  let s = 0;
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < x.length; i++) {
      acc[r * x.length + i] = x[i]! * (r + 1);
      s += acc[r * x.length + i]! * x[i]!;
    }
  }
  return s;
}

/** A Float64Array of 2 written at 3 indices: the third store is dropped. */
/** @differentiable */
export function dropped(x: Float64Array): number {
  const t = new Float64Array(2);
  for (let i = 0; i < x.length; i++) t[i] = x[i]! * 3;
  return t[0]! * t[1]!;
}

/** From index -1: that store is dropped too (the loop's bound is the array's length, its start is not ≥ 0). */
/** @differentiable */
export function fromMinusOne(x: Float64Array): number {
  const t = new Float64Array(x.length);
  for (let i = -1; i < t.length; i++) t[i] = x[i + 1]! * x[0]!;
  let s = 0;
  for (let i = 0; i < t.length; i++) s += t[i]! * t[i]!;
  return s;
}

/** Inside by construction (a loop over the array's own length): no test in the reverse sweep. */
/** @differentiable */
export function inside(x: Float64Array): number {
  const t = new Float64Array(x.length);
  for (let i = 0; i < t.length; i++) t[i] = x[i]! * 2;
  for (let j = 1; j < x.length; j++) t[j] = t[j]! + t[j - 1]!;
  return t[x.length - 1]!;
}

/** The same with a Float32Array, which also rounds. */
/** @differentiable */
export function droppedSingle(x: Float64Array): number {
  const t = new Float32Array(2);
  for (let i = 0; i < x.length; i++) t[i] = x[i]! / 4;
  return t[0]! + t[1]! * x[0]!;
}
`;

/**
 * A parameter's own array written past its end: the argument grows, and so does its shadow in the
 * forward sweep; the reverse sweep gives the shadow back its length, so the gradient is shaped like
 * the argument passed (it was longer, with holes: `{"a":[20,20,0,null,0]}` for appendTwice).
 */
const grownParameters = `
/** @differentiable(forward) */
export function appendTwice(a: number[]): number {
  a[a.length] = a[0]! * 3;
  a[a.length + 1] = 2 * a[1]!;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] ?? 0) * (a[i] ?? 0);
  return s;
}

/** Filled past its end in a loop, each new element from the one before. */
/** @differentiable(forward, wrt: x) */
export function extend(x: number[], n: number): number {
  const start = x.length;
  for (let i = start; i < start + n; i++) x[i] = Math.sin(x[i - 1]!) * x[0]!;
  return x[x.length - 1]! + x[1]! * x[start]!;
}

/** A row of a matrix parameter grown: the row's gradient keeps the row's length. */
/** @differentiable(forward) */
export function growRow(m: number[][]): number {
  const row = m[1]!;
  row[row.length] = m[0]![0]! * row[0]!;
  return row[row.length - 1]! * m[0]![1]! + row[0]!;
}
`;

describe.each([
  { name: 'appendTwice', args: (): Argument[] => [[1, 2]], wrt: undefined },
  { name: 'extend', args: (): Argument[] => [[0.5, -1.2, 0.8], 3], wrt: ['x'] },
  { name: 'growRow', args: (): Argument[] => [[[0.5, -1.2], [0.8, 0.3, 1.1]]], wrt: undefined },
])('a parameter grown past its end: $name', ({ name, args, wrt }) => {
  it('has a gradient shaped like the argument, matching finite differences and forward mode', async () => {
    const compiled = await compileSource(grownParameters, 'grown-parameters.ts');
    expectModesAgree(compiled, name, args, { wrt });
  });
});

const cases: Array<{ name: string; args: () => Argument[]; tolerance?: number; zero?: string }> = [
  { name: 'grow', args: () => [[0.5, -1.2, 0.8]] },
  { name: 'holes', args: () => [[0.5, -1.2, 0.8]] },
  { name: 'rows', args: () => [[0.5, -1.2, 0.8], 3] },
  { name: 'dropped', args: () => [new Float64Array([0.5, -1.2, 0.8])], zero: 'x.2' },
  { name: 'fromMinusOne', args: () => [new Float64Array([0.5, -1.2, 0.8, 0.3])] },
  { name: 'inside', args: () => [new Float64Array([0.5, -1.2, 0.8, 0.3])] },
  { name: 'droppedSingle', args: () => [new Float64Array([0.5, -1.2, 0.8])], tolerance: 1e-4, zero: 'x.2' },
];

describe('stores the IR shows inside their typed array', () => {
  it('take their adjoint without a test; the others test for a missing element', async () => {
    const compiled = await compileSource(source, 'stores-past-the-end.ts');
    const tested = (name: string) => (functionText(compiled.text, `backprop_${name}`).match(/\?\? 0/g) ?? []).length;
    expect(tested('inside')).toBe(0);
    expect(tested('fromMinusOne')).toBe(1);
    expect(tested('dropped')).toBe(1);
  });
});

describe.each(cases)('$name', ({ name, args, tolerance = 1e-6, zero }) => {
  it('matches f and finite differences (no NaN)', async () => {
    const compiled = await compileSource(source, 'stores-past-the-end.ts');
    expectValueAndGradientAt(compiled, name, args, { tolerance });
    if (zero) {
      // the dropped store's value: exactly 0, not NaN
      const [param, at] = zero.split('.') as [string, string];
      const grad = (fn(compiled.companion, `grad_${name}`) as unknown as (...a: Argument[]) => Record<string, Float64Array>)(...args());
      expect(grad[param]![Number(at)]).toBe(0);
    }
  });
});
