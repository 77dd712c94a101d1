/**
 * Store-to-load forwarding (phases/3-optimize/forward-stores.ts): which scratch arrays stop being
 * read (and so are not made at all in the gradient) and which stay, with the value checked equal
 * to f's and every partial against finite differences either way.
 */
import { describe, expect, it } from 'vitest';
import { compileSource } from '../support/compile.js';
import type { Argument } from '../support/finite-difference.js';
import { expectValueAndGradientAt, functionText, pushedValues } from '../support/gradient-check.js';

const source = `
/** The centred point of ADBench's GMM, read by a diagonal product and by a triangular one. */
/** @differentiable(wrt: x, means, ltri) */
export function centred(x: Float64Array, means: Float64Array, ltri: Float64Array, d: number): number {
  const xc = new Float64Array(d);
  const qx = new Float64Array(d);
  let s = 0;
  for (let k = 0; k < means.length / d; k++) {
    for (let i = 0; i < d; i++) xc[i] = x[i]! - means[k * d + i]!;
    for (let i = 0; i < d; i++) qx[i] = 2 * xc[i]!;
    let idx = 0;
    for (let i = 0; i < d; i++) {
      for (let j = i + 1; j < d; j++) {
        qx[j] = qx[j]! + ltri[idx]! * xc[i]!;
        idx++;
      }
    }
    for (let i = 0; i < d; i++) s += qx[i]! * qx[i]!;
  }
  return s;
}

/** Read back in the loop that stores it: those reads are the stored values, and t is not read after. */
/** @differentiable */
export function readBack(x: Float64Array, y: Float64Array): number {
  const t = new Float64Array(x.length);
  const u = new Float64Array(x.length);
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    t[i] = Math.exp(x[i]!);
    u[i] = t[i]! * y[i]!;
    s += t[i]!;
    u[i] = u[i]! + 1;
    s += u[i]!;
  }
  for (let i = 0; i < x.length; i++) s += u[i]! * x[i]!;
  return s;
}

/** A copy of a forwarded read, read back in its own loop: both reads are values computed again. */
/** @differentiable */
export function chained(x: Float64Array, y: Float64Array): number {
  const a = new Float64Array(x.length);
  const b = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) a[i] = x[i]! - y[i]!;
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    b[i] = a[i]!;
    s += b[i]! * x[i]!;
  }
  return s;
}

/** A plain array, filled from index 1 by a loop over a bound computed before it. */
/** @differentiable */
export function differences(x: number[]): number {
  const n = x.length;
  const t: number[] = new Array(n).fill(0);
  for (let i = 1; i < n; i++) t[i] = (x[i]! - x[i - 1]!) * 0.5;
  let s = 0;
  for (let i = 1; i < n; i++) s += Math.sin(t[i]!) * x[i]!;
  return s;
}

/** Written again between the fill and the read: the read sees the new element. */
/** @differentiable */
export function rewritten(x: Float64Array): number {
  const t = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) t[i] = x[i]! * 3;
  t[0] = Math.cos(x[1]!);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += t[i]! * x[i]!;
  return s;
}

/** The reading loop runs past the filled part: its last element is still 0. */
/** @differentiable */
export function longer(x: Float64Array): number {
  const t = new Float64Array(x.length);
  for (let i = 0; i < x.length - 1; i++) t[i] = x[i]! * x[i + 1]!;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += t[i]! * x[i]!;
  return s;
}

/** The fill runs only when a flag says so; the read always. */
/** @differentiable(wrt: x) */
export function guarded(x: Float64Array, fill: boolean): number {
  const t = new Array(x.length).fill(0.5);
  if (fill) for (let i = 0; i < x.length; i++) t[i] = x[i]! * x[i]!;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += t[i]! * x[i]!;
  return s;
}

/** Too expensive to compute again at each read: exp stays one call per element. */
/** @differentiable */
export function expensive(x: Float64Array): number {
  const t = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) t[i] = Math.exp(x[i]!);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += t[i]! * x[i]!;
  return s;
}

/** The stored value depends on a running sum, which a read elsewhere cannot recompute. */
/** @differentiable */
export function running(x: Float64Array): number {
  const t = new Float64Array(x.length);
  let acc = 0;
  for (let i = 0; i < x.length; i++) {
    acc = acc + x[i]!;
    t[i] = acc * x[i]!;
  }
  let s = 0;
  for (let i = 0; i < x.length; i++) s += t[i]! * t[i]!;
  return s;
}

/** The function writes into a parameter's array, which may be x itself: x's reads are not forwarded. */
/** @differentiable(wrt: x) */
export function writesParameter(x: Float64Array, out: Float64Array): number {
  const t = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) t[i] = x[i]! * 2;
  for (let i = 0; i < x.length; i++) out[i] = 1;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += t[i]! * x[i]!;
  return s;
}

/** Read inside a nested loop at the outer counter: the read moves before the inner loop (hoist-loads.ts), once per store. */
/** @differentiable */
export function nested(x: Float64Array, y: Float64Array): number {
  const t = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) t[i] = x[i]! - y[i]!;
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    for (let j = 0; j < y.length; j++) s += t[i]! * y[j]!;
  }
  return s;
}

/** Read by an inner loop, n times per store: computing the product again for each read would cost more than a load. */
/** @differentiable */
export function pairs(x: Float64Array, y: Float64Array): number {
  const t = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) t[i] = x[i]! * y[i]!;
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    for (let i2 = 0; i2 < x.length; i2++) s += Math.sin(t[i2]!) * x[i]!;
  }
  return s;
}

/** Float32Array rounds what it stores: its reads are not the stored values. */
/** @differentiable */
export function single(x: Float64Array): number {
  const t = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) t[i] = x[i]! / 3;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += t[i]! * x[i]!;
  return s;
}
`;

interface Case {
  name: string;
  args: () => Argument[];
  /** The local arrays the gradient still makes (every other one is no longer read). */
  arrays: string[];
  tolerance?: number;
}

const floats = (...values: number[]) => new Float64Array(values);

const cases: Case[] = [
  { name: 'centred', args: () => [floats(0.3, -1.2, 0.8), floats(0.1, 0.4, -0.6, 1.1, -0.3, 0.2), floats(0.7, -0.4, 0.25), 3], arrays: ['qx'] },
  // u is stored twice in its loop: its reads after the loop stay
  { name: 'readBack', args: () => [floats(0.5, -1.2, 0.8), floats(0.2, 0.9, -0.7)], arrays: ['u'] },
  { name: 'chained', args: () => [floats(0.5, -1.2, 0.8), floats(0.2, 0.9, -0.7)], arrays: [] },
  { name: 'differences', args: () => [[0.5, -1.2, 0.8, 0.3, 1.7]], arrays: [] },
  { name: 'rewritten', args: () => [floats(0.5, -1.2, 0.8, 0.3)], arrays: ['t'] },
  { name: 'longer', args: () => [floats(0.5, -1.2, 0.8, 0.3)], arrays: ['t'] },
  { name: 'guarded', args: () => [floats(0.5, -1.2, 0.8), false], arrays: ['t'] },
  { name: 'expensive', args: () => [floats(0.5, -1.2, 0.8)], arrays: ['t'] },
  { name: 'running', args: () => [floats(0.5, -1.2, 0.8)], arrays: ['t'] },
  { name: 'writesParameter', args: () => [floats(0.5, -1.2, 0.8), new Float64Array(3)], arrays: ['t'] },
  { name: 'nested', args: () => [floats(0.5, -1.2, 0.8), floats(0.2, 0.9, -0.7)], arrays: [] },
  { name: 'pairs', args: () => [floats(0.5, -1.2, 0.8), floats(0.2, 0.9, -0.7)], arrays: ['t'] },
  { name: 'single', args: () => [floats(0.5, -1.2, 0.8)], arrays: ['t'], tolerance: 1e-4 },
];

describe.each(cases)('$name', ({ name, args, arrays, tolerance = 1e-6 }) => {
  it('stops reading exactly the arrays whose reads are the stored values, and matches finite differences', async () => {
    const compiled = await compileSource(source, 'forward-stores.ts');
    const backprop = functionText(compiled.text, `backprop_${name}`);
    const created = [...backprop.matchAll(/const (\w+)(?:: [\w[\]]+)? = (?:new (?:Float64Array|Float32Array|Array)\(|\[)/g)].map((m) => m[1]!);
    expect(created.filter((local) => !local.startsWith('d_')).sort()).toEqual([...arrays].sort());

    expectValueAndGradientAt(compiled, name, args, { tolerance });
  });
});

describe('the centred point', () => {
  it('is no longer taped: the tape keeps the running index, the squared norm operands and the outer trip count only', async () => {
    const compiled = await compileSource(source, 'forward-stores.ts');
    const pushes = pushedValues(functionText(compiled.text, 'backprop_centred'));
    expect(pushes.some((v) => v.startsWith('diff'))).toBe(false);
    // idx (once per row of the triangle), qx[i] (once per element), and the trips of the loop
    // over k (its bound, means.length / d, is computed again in each iteration)
    expect(pushes).toHaveLength(3);
  });
});
