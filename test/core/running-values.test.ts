/**
 * Running values (phases/4-differentiate/running-values.ts): a carried index that each iteration
 * advances by an amount the reverse sweep computes again is not taped once per iteration; the
 * reverse starts from its value after the loop and subtracts each iteration's advance. Each case
 * says whether its index is such a value, and checks the value against f and every partial
 * against finite differences, at two points.
 */
import { describe, expect, it } from 'vitest';
import { compileSource } from '../support/compile.js';
import type { Argument } from '../support/finite-difference.js';
import { expectValueAndGradientAt, functionText, pushedValues } from '../support/gradient-check.js';

const source = `
/** The strictly lower triangle, walked row by row (ADBench's GMM). */
/** @differentiable */
export function triangle(x: Float64Array, ltri: Float64Array): number {
  const d = x.length;
  let s = 0;
  let idx = 0;
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      s += ltri[idx]! * x[i]! * x[j]!;
      idx++;
    }
  }
  return s;
}

/** The same in a loop over blocks of the matrix: the index after each row loop is kept once per block. */
/** @differentiable(wrt: x, ltri) */
export function blocks(x: Float64Array, ltri: Float64Array, k: number): number {
  const d = x.length;
  const size = (d * (d - 1)) / 2;
  let s = 0;
  for (let b = 0; b < k; b++) {
    let idx = b * size;
    for (let i = 0; i < d; i++) {
      for (let j = i + 1; j < d; j++) {
        s += Math.sin(ltri[idx]! * x[i]!) * x[j]!;
        idx++;
      }
    }
  }
  return s;
}

/** Steps of 2 in the inner loop and of 3 after it, from a start computed before the loop. */
/** @differentiable(wrt: x, w) */
export function strides(x: Float64Array, w: Float64Array, offset: number): number {
  let s = 0;
  let idx = offset + 1;
  for (let i = 0; i < x.length; i++) {
    const m = x.length - i;
    for (let j = 0; j < m; j++) {
      s += w[idx]! * x[i]! * x[j]!;
      idx += 2;
    }
    idx = idx - 3;
  }
  return s;
}

/** The advance depends on a branch: +2 where x is positive, -1 elsewhere, then the inner loop's steps. */
/** @differentiable */
export function branches(x: Float64Array, w: Float64Array): number {
  let s = 0;
  let idx = 3;
  for (let i = 0; i < x.length; i++) {
    if (x[i]! > 0) idx += 2;
    else idx = idx - 1;
    for (let j = 0; j < 2; j++) {
      s += w[idx]! * x[i]! * x[j]!;
      idx++;
    }
  }
  return s;
}

/** Walking down: the inner loop steps the index by -1. */
/** @differentiable */
export function downward(x: Float64Array, w: Float64Array): number {
  let s = 0;
  let idx = w.length - 1;
  for (let i = 0; i < x.length; i++) {
    for (let j = i; j < x.length; j++) {
      s += w[idx]! * x[j]! * x[i]!;
      idx--;
    }
  }
  return s;
}

/** Read by the outer loop's body itself, which the reverse recomputes from it: taped. */
/** @differentiable */
export function readInBody(x: Float64Array, w: Float64Array): number {
  let s = 0;
  let idx = 0;
  for (let i = 0; i < x.length; i++) {
    s += w[idx]! * x[i]!;
    for (let j = 0; j < 2; j++) {
      s += w[idx]! * x[j]!;
      idx++;
    }
  }
  return s;
}

/** Compared: a different value would choose a different branch. Taped. */
/** @differentiable */
export function compared(x: Float64Array, w: Float64Array): number {
  let s = 0;
  let idx = 0;
  for (let i = 0; i < x.length; i++) {
    for (let j = i; j < x.length; j++) {
      if (idx < 4) s += w[idx]! * x[j]!;
      else s -= x[j]! * x[i]!;
      idx++;
    }
  }
  return s;
}

/** Used as a number (a factor), not only as an index: taped. */
/** @differentiable */
export function asNumber(x: Float64Array): number {
  let s = 0;
  let idx = 0;
  for (let i = 0; i < x.length; i++) {
    for (let j = i; j < x.length; j++) {
      s += x[j]! * x[i]!;
      idx++;
    }
    s += idx * x[i]!;
  }
  return s;
}
`;

interface Case {
  name: string;
  points: Array<() => Argument[]>;
  /** Whether the index is a running value (not taped per iteration). */
  running: boolean;
}

const floats = (...values: number[]) => new Float64Array(values);
const ramp = (n: number, scale: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(scale * (i + 1)));

const cases: Case[] = [
  { name: 'triangle', points: [() => [floats(0.3, -1.2, 0.8, 0.5), ramp(6, 0.7)], () => [floats(1.1, 0.4), ramp(1, 1.3)]], running: true },
  { name: 'blocks', points: [() => [floats(0.3, -1.2, 0.8), ramp(9, 0.7), 3], () => [floats(0.6, 0.2, -0.9, 1.4), ramp(12, 0.4), 2]], running: true },
  { name: 'strides', points: [() => [floats(0.3, -1.2, 0.8), ramp(20, 0.7), 2], () => [floats(0.6, 0.9), ramp(12, 0.4), 0]], running: true },
  { name: 'branches', points: [() => [floats(0.3, -1.2, 0.8, -0.4), ramp(16, 0.7)], () => [floats(-0.6, -0.9, 1.2), ramp(12, 0.4)]], running: true },
  { name: 'downward', points: [() => [floats(0.3, -1.2, 0.8), ramp(6, 0.7)], () => [floats(0.6, 0.9, -0.2, 1.5), ramp(10, 0.4)]], running: true },
  { name: 'readInBody', points: [() => [floats(0.3, -1.2, 0.8), ramp(6, 0.7)]], running: false },
  { name: 'compared', points: [() => [floats(0.3, -1.2, 0.8), ramp(6, 0.7)]], running: false },
  { name: 'asNumber', points: [() => [floats(0.3, -1.2, 0.8)]], running: false },
];

describe.each(cases)('$name', ({ name, points, running }) => {
  it(`${running ? 'computes the index again from its value after the loop' : 'tapes the index'}, and matches f and finite differences`, async () => {
    const compiled = await compileSource(source, 'running-values.ts');
    const backprop = functionText(compiled.text, `backprop_${name}`);
    expect(/\bidx\w*_after\b/.test(backprop), backprop).toBe(running);
    const pushed = pushedValues(backprop);
    // a running index is pushed once, after its loop (the value after it), not in the loop's body
    if (running) expect(pushed.filter((v) => v.startsWith('idx')).length).toBeLessThanOrEqual(1);

    for (const args of points) expectValueAndGradientAt(compiled, name, args);
  });
});
