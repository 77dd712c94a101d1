/**
 * Recursive calls reversed apart (phases/4-differentiate/recursive-calls.ts): the caller's forward
 * sweep calls forward_g, which leaves g's values on the tape, and its reverse sweep calls reverse_g,
 * which reads them, so no level replays its subtree. Between the two the callers run on: each case
 * here writes, after the call, into what the recursion read, returned, or was passed, and checks
 * the value and every partial against finite differences.
 */
import { describe, expect, it } from 'vitest';
import { compileSource } from '../support/compile.js';
import { expectValueAndGradientAt, functionText } from '../support/gradient-check.js';

const source = `
/** Reads back what it stored, after the call below it; the caller overwrites it all afterwards. */
function fillCubes(a: number[], x: number[], k: number): number {
  if (k === 0) return 0;
  a[k - 1] = x[k - 1]! * x[k - 1]!;
  const s = fillCubes(a, x, k - 1);
  return s + a[k - 1]! * x[k - 1]!;
}

/** @differentiable */
export function overwritten(x: number[]): number {
  const a: number[] = new Array(x.length).fill(0);
  const s = fillCubes(a, x, x.length);
  for (let i = 0; i < a.length; i++) a[i] = 7;
  return s + a[0]!;
}

function weightedSines(w: Float64Array, x: Float64Array, k: number): number {
  if (k < 0) return 0;
  return w[k]! * Math.sin(x[k]!) + weightedSines(w, x, k - 1);
}

/** The recursion runs in a loop whose later iterations change the weights it read. */
/** @differentiable(wrt: x) */
export function rounds(x: Float64Array, weights: Float64Array): number {
  const w = new Float64Array(weights);
  let s = 0;
  for (let t = 0; t < 3; t++) {
    s += weightedSines(w, x, x.length - 1);
    w[t] = w[t]! + s * s;
  }
  return s;
}

/** Builds its result by recursion; the caller clears it after reading it. */
function cumulative(x: number[], k: number): number[] {
  if (k === 0) return [x[0]!];
  const c = cumulative(x, k - 1);
  c.push(c[k - 1]! * Math.cos(x[k]!) + x[k]!);
  return c;
}

/** @differentiable */
export function cleared(x: number[]): number {
  const c = cumulative(x, x.length - 1);
  let s = 0;
  for (let i = 0; i < c.length; i++) {
    s += c[i]! * c[i]!;
    c[i] = 0;
  }
  return s;
}

/** Mutual recursion over an array, with a loop inside each level. */
function even(x: Float64Array, k: number): number {
  if (k >= x.length) return 1;
  let p = 0;
  for (let i = k; i < x.length; i++) p += x[i]! * x[k]!;
  return p * odd(x, k + 1);
}

function odd(x: Float64Array, k: number): number {
  if (k >= x.length) return 0.5;
  return Math.exp(-x[k]! * x[k]!) + even(x, k + 1);
}

/** @differentiable */
export function mutual(x: Float64Array): number {
  return even(x, 0) + odd(x, 0);
}

function power(x: number, k: number): number {
  if (k === 0) return 1;
  return x * power(x, k - 1);
}

/** A recursive call inside a checkpointed loop. */
/** @differentiable */
export function checkpointed(x: number): number {
  let s = x;
  // @checkpoint
  for (let i = 0; i < 6; i++) s = Math.sin(s) + 0.1 * power(s, 3);
  return s;
}
`;

describe('recursive calls reversed apart', () => {
  it('a reverse sweep called apart keeps on the tape what its callers overwrite before it runs', async () => {
    const compiled = await compileSource(source, 'recursion-apart.ts');
    expectValueAndGradientAt(compiled, 'overwritten', () => [[0.3, -1.2, 0.7, 2.1]]);
    expectValueAndGradientAt(compiled, 'rounds', () => [new Float64Array([0.3, -1.2, 0.7]), new Float64Array([1.5, -0.5, 2])]);
    expectValueAndGradientAt(compiled, 'cleared', () => [[0.3, -1.2, 0.7, 2.1]]);
    // fillCubes reads a[k - 1] after its call: from the tape, since the caller writes a afterwards
    expect(functionText(compiled.text, 'reverse_fillCubes')).not.toMatch(/= a\[/);
  });

  it('mutual recursion with loops, and a recursion inside a checkpointed loop', async () => {
    const compiled = await compileSource(source, 'recursion-apart.ts');
    expectValueAndGradientAt(compiled, 'mutual', () => [new Float64Array([0.3, -1.2, 0.7, 0.9, -0.4])]);
    expectValueAndGradientAt(compiled, 'checkpointed', () => [0.8]);
    for (const name of ['even', 'odd', 'power']) expect(compiled.text).toContain(`function reverse_${name}(`);
    expect(compiled.text).not.toMatch(/function backprop_(even|odd|power)\(/);
  });

  it('the two sweeps split into parts when long, as a backprop does', async () => {
    const compiled = await compileSource(source, 'recursion-apart.ts', { maxPartSize: 60 });
    expectValueAndGradientAt(compiled, 'mutual', () => [new Float64Array([0.3, -1.2, 0.7, 0.9, -0.4])]);
    expectValueAndGradientAt(compiled, 'overwritten', () => [[0.3, -1.2, 0.7, 2.1]]);
    expect(compiled.text).toMatch(/function (forward|reverse)_\w+_part2\(/);
  });
});
