/**
 * Scalar replacement of small arrays (phases/3-optimize/scalar-arrays.ts, with unroll.ts and
 * fold-constants.ts): which local arrays become numbers and which stay arrays, and gradients
 * checked entry by entry against finite differences either way.
 */
import { describe, expect, it } from 'vitest';
import { compileSource, fn } from '../support/compile.js';
import type { Argument } from '../support/finite-difference.js';
import { expectValueAndGradientAt, functionText } from '../support/gradient-check.js';

const source = `
function cross(a: Float64Array, b: Float64Array, out: Float64Array): void {
  out[0] = a[1]! * b[2]! - a[2]! * b[1]!;
  out[1] = a[2]! * b[0]! - a[0]! * b[2]!;
  out[2] = a[0]! * b[1]! - a[1]! * b[0]!;
}

function sqnorm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < 3; i++) s += v[i]! * v[i]!;
  return s;
}

/** Rotates p about the axis r by |r| radians (Rodrigues), helpers writing into local arrays. */
function rotate(r: Float64Array, p: Float64Array, out: Float64Array): void {
  const theta2 = sqnorm(r);
  if (theta2 !== 0) {
    const theta = Math.sqrt(theta2);
    const w = new Float64Array(3);
    for (let i = 0; i < 3; i++) w[i] = r[i]! / theta;
    const wxp = new Float64Array(3);
    cross(w, p, wxp);
    const dot = w[0]! * p[0]! + w[1]! * p[1]! + w[2]! * p[2]!;
    for (let i = 0; i < 3; i++) out[i] = p[i]! * Math.cos(theta) + wxp[i]! * Math.sin(theta) + w[i]! * dot * (1 - Math.cos(theta));
  } else {
    const rxp = new Float64Array(3);
    cross(r, p, rxp);
    for (let i = 0; i < 3; i++) out[i] = p[i]! + rxp[i]!;
  }
}

/** @differentiable */
export function rotated(axes: Float64Array, points: Float64Array): number {
  const r = new Float64Array(3);
  const p = new Float64Array(3);
  const q = new Float64Array(3);
  let s = 0;
  for (let k = 0; k < points.length / 3; k++) {
    for (let i = 0; i < 3; i++) {
      r[i] = axes[3 * k + i]!;
      p[i] = points[3 * k + i]!;
    }
    rotate(r, p, q);
    s += q[0]! * q[1]! + q[2]!;
  }
  return s;
}

/** @differentiable */
export function branches(x: number, y: number): number {
  const v = [x, y, x * y];
  if (x > y) {
    v[0] = v[1]! * 2;
    v[2] = Math.sin(v[2]!);
  } else if (y > 0) {
    v[1] = v[0]! * v[0]!;
  }
  return v[0]! * v[1]! + v[2]!;
}

/** @differentiable */
export function accumulated(xs: number[]): number {
  const acc = new Array(2).fill(0);
  for (const x of xs) {
    acc[0] = acc[0]! + x;
    acc[1] = acc[1]! + acc[0]! * x;
  }
  return acc[0]! * acc[1]!;
}

/** @differentiable */
export function triangular(a: number[]): number {
  const m = new Float64Array(9);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j <= i; j++) m[i * 3 + j] = a[i]! * a[j]! + (i === j ? 1 : 0);
  }
  let s = 0;
  for (let i = 0; i < 3; i++) s += m[i * 3]! * m[i * 3 + i]! + m.length;
  return s;
}

/** Constant loops nested: the inner one is unrolled first, then the outer one around its copies. */
/** @differentiable */
export function nestedConstant(x: Float64Array): number {
  const t = new Float64Array(3);
  t[1] = x[0]! * 2;
  let s = 0;
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 3; j++) s += t[j]! * x[i]! + Math.sin(s);
  }
  return s;
}

/** @differentiable */
export function sixteen(x: number): number {
  const v = new Float64Array(16);
  for (let i = 0; i < 16; i++) v[i] = Math.sin(x * (i + 1));
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[15 - i]!;
  return s;
}

/** @differentiable */
export function seventeen(x: number): number {
  // 17 elements: longer than MAX_SCALAR_ELEMENTS, stays an array
  const v = new Float64Array(17);
  for (let i = 0; i < 17; i++) v[i] = Math.sin(x * (i + 1));
  return v[3]! * v[16]!;
}

/** @differentiable(wrt: x) */
export function runtimeIndex(x: number, k: number): number {
  const v = [x, x * x, Math.exp(x)];
  return v[k]! * v[(k + 1) % 3]!;
}

function pushes(v: number[], x: number): void {
  v.push(x);
}

/** @differentiable */
export function escapes(x: number, y: number): number {
  const pushed = [x];
  pushes(pushed, y);
  const matrix = [[0, 0], [0, 0]];
  const row = [x, y];
  matrix[1] = row;
  row[0] = y * 3;
  return pushed[0]! * pushed[1]! + matrix[1]![0]! * matrix[1]![1]!;
}

/** @differentiable */
export function single(x: number, y: number): number {
  const v = new Float32Array(2);
  v[0] = x;
  v[1] = y;
  return v[0]! * v[1]!;
}

/** @differentiable(wrt: x) */
export function checkpointed(x: number, n: number): number {
  const state = [x, 0];
  // @checkpoint
  for (let i = 0; i < n; i++) {
    state[1] = state[1]! + 0.1 * state[0]!;
    state[0] = state[0]! - 0.1 * Math.sin(state[1]!);
  }
  return state[0]! + state[1]!;
}

/** @differentiable */
export function returned(x: number, y: number): number[] {
  const v = new Array(2).fill(0);
  v[0] = x * y;
  v[1] = x + y;
  return v;
}
`;

interface Case {
  name: string;
  args: () => Argument[];
  /** The local arrays that must remain arrays in the gradient (all others become numbers). */
  arrays: string[];
  /** Float32Array rounds each perturbed value: finite differences then carry errors of about 1e-4. */
  tolerance?: number;
}

const cases: Case[] = [
  { name: 'rotated', args: () => [new Float64Array([0.3, -0.2, 0.5, 0, 0, 0]), new Float64Array([1, 2, -0.5, 0.4, -1.1, 0.7])], arrays: [] },
  { name: 'branches', args: () => [0.7, -0.4], arrays: [] },
  { name: 'accumulated', args: () => [[0.5, -1.2, 0.8, 0.3]], arrays: [] },
  { name: 'triangular', args: () => [[0.5, -1.2, 0.8]], arrays: [] },
  { name: 'nestedConstant', args: () => [new Float64Array([0.6, -1.3])], arrays: [] },
  { name: 'sixteen', args: () => [0.37], arrays: [] },
  { name: 'seventeen', args: () => [0.37], arrays: ['v'] },
  { name: 'runtimeIndex', args: () => [0.6, 1], arrays: ['v'] },
  // the rows of matrix's literal are stored into it: they stay arrays too
  { name: 'escapes', args: () => [0.6, -1.3], arrays: ['pushed', 'matrix', 'row', 'alloc', 'alloc_2'] },
  { name: 'single', args: () => [0.5, -1.25], arrays: ['v'], tolerance: 1e-3 },
  { name: 'checkpointed', args: () => [0.6, 25], arrays: ['state'] },
];

describe.each(cases)('$name', ({ name, args, arrays, tolerance = 1e-5 }) => {
  it('keeps exactly the arrays that cannot become numbers, and matches finite differences', async () => {
    const compiled = await compileSource(source, 'scalar-arrays.ts');
    const backprop = functionText(compiled.text, `backprop_${name}`);
    const created = [...backprop.matchAll(/const (\w+) = (?:new (?:Float64Array|Float32Array|Array)\(|\[)/g)].map((m) => m[1]!);
    // each array that stays has a shadow array beside it in the forward sweep
    expect(created.filter((local) => !local.startsWith('d_') && !local.startsWith('copy')).sort()).toEqual([...arrays].sort());

    expectValueAndGradientAt(compiled, name, args, { tolerance });
  });
});

describe('a function returning a small array', () => {
  it('keeps it an array (it is the output), with the Jacobian derived by hand', async () => {
    const compiled = await compileSource(source, 'scalar-arrays.ts');
    const jacobian = fn(compiled.companion, 'jacobian_returned') as unknown as (x: number, y: number) => unknown;
    // d(xy, x + y)/d(x, y): one row per output, one column per number parameter
    expect(jacobian(2, 3)).toEqual([
      [3, 2],
      [1, 1],
    ]);
    expect(functionText(compiled.text, 'backprop_returned')).toMatch(/const v = new Array\(/);
  });
});
