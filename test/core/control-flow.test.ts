/**
 * Branches and loops: each function is checked against finite differences at several points,
 * chosen away from the points where a branch flips.
 */
import { describe, expect, it } from 'vitest';
import { compileSource, fn } from '../support/compile.js';
import { closeTo, partialAt } from '../support/finite-difference.js';
import { expectGradientMatches } from '../support/gradient-check.js';

const source = `
/** @differentiable */
export function branches(x: number, y: number): number {
  let z = x * y;
  if (x > 0) {
    z = z * x;
  } else if (y > 1) {
    z = Math.sin(z);
  } else {
    z += y;
  }
  return x > y ? z * 2 : z + y;
}

/** @differentiable */
export function logical(x: number, y: number): number {
  const big = x > 1 && y > 1;
  const either = x < 0 || y < 0;
  let r = (x > 0 && y) || x * 3;
  if (!big && !either) r += x * y;
  if (either) r -= Math.exp(y);
  return r + (x ?? y);
}

/** @differentiable(wrt: x) */
export function power(x: number, n: number): number {
  let p = 1;
  for (let i = 0; i < n; i++) {
    p *= x;
  }
  return p;
}

/** @differentiable */
export function newton(a: number): number {
  // square root of a by Newton's method, until converged: the trip count depends on a
  let x = a;
  let steps = 0;
  while (Math.abs(x * x - a) > 1e-12 * a && steps < 100) {
    x = 0.5 * (x + a / x);
    steps++;
  }
  return x;
}

/** @differentiable */
export function doWhile(x: number): number {
  let s = 0;
  let k = 0;
  do {
    s += Math.sin(x * k);
    k++;
  } while (k < 5);
  return s;
}

/** @differentiable(wrt: x) */
export function nested(x: number, n: number): number {
  let total = 0;
  for (let i = 1; i <= n; i++) {
    for (let j = 0; j < i; j++) {
      total += Math.cos(x * i + j) / i;
    }
  }
  return total;
}

/** @differentiable */
export function breakContinue(x: number): number {
  let acc = 0;
  for (let i = 0; i < 20; i++) {
    if (i % 3 === 0) continue;
    acc += x * i;
    if (acc > 40) break;
    acc *= 1.01;
  }
  return acc;
}

/** @differentiable */
export function earlyReturn(x: number, y: number): number {
  if (x < 0) return -x * y;
  let t = x;
  for (let i = 0; i < 10; i++) {
    t = t * 0.9 + y;
    if (t > 5) return t * t;
  }
  return t + 1;
}

/** @differentiable */
export function nestedBreak(x: number): number {
  let s = 0;
  for (let i = 0; i < 5; i++) {
    for (let j = 0; j < 5; j++) {
      if (j > i) break;
      if ((i + j) % 2 === 1) continue;
      s += Math.sin(x + i) * Math.cos(x * j);
    }
  }
  return s;
}

/** @differentiable(wrt: x) */
export function switchCase(x: number, mode: number): number {
  let r = 0;
  switch (mode) {
    case 0:
      r = x * x;
      break;
    case 1:
      r = Math.sin(x);
    case 2:
      r += x * 3;
      break;
    default:
      r = Math.exp(x);
  }
  return r;
}

/** @differentiable */
export function switchInLoop(x: number): number {
  let s = 0;
  for (let i = 0; i < 6; i++) {
    switch (i % 3) {
      case 0:
        s += x;
        continue;
      case 1:
        s *= x;
        break;
      default:
        if (s > 100) return s;
    }
    s += 1;
  }
  return s;
}

/** @differentiable */
export function workInUpdate(x: number): number {
  let s = 0;
  for (let t = 1; t < 50; t *= x) {
    s += t;
  }
  let k = 4;
  while (k--) s += x * k;
  let v: number;
  let n = 0;
  while ((v = x * n) < 3) n++;
  return s + v;
}

/** @differentiable */
export function swap(x: number, y: number): number {
  let a = x;
  let b = y;
  for (let i = 0; i < 3; i++) {
    const t = a;
    a = b * 1.5;
    b = t;
  }
  return a * 2 + b;
}

/** @differentiable */
export function nullish(a: number[], x: number): number {
  // a[5] is past the end: undefined ?? x is x
  return (a[0] ?? 7) * (a[5] ?? x) + (a[1] || x) * (0 || x);
}

/** @differentiable(wrt: x) */
export function millionSteps(x: number, n: number): number {
  // a long loop: the reverse sweep replays it without recursion, with memory linear in n
  let s = 0;
  for (let i = 0; i < n; i++) s = s * 0.999999 + Math.sin(x + i * 1e-6);
  return s;
}

const C = 0.75;

/** @differentiable */
export function constantInLoop(x: number): number {
  // the reverse reads the module constant C in every iteration: it is not saved
  let value = 0;
  for (let k = 0; k < 3; k++) value += x * C + Math.exp(x / C);
  return value;
}

/** @differentiable */
export function ternaryChain(x: number): number {
  return x < -1 ? x * x : x < 1 ? Math.sin(x) : x > 3 ? Math.log(x) : Math.sqrt(x);
}
`;

const points: Record<string, number[][]> = {
  branches: [[1.3, 0.4], [-0.7, 1.6], [-0.5, 0.3], [0.4, 1.9]],
  logical: [[1.5, 2.2], [0.5, 0.7], [-0.4, 0.8], [0.8, -0.3], [2.5, -1.2]],
  power: [[1.3, 5], [0.7, 0], [-1.2, 3]],
  newton: [[2], [9.5], [0.3]],
  doWhile: [[0.7], [-1.3]],
  nested: [[0.6, 4], [1.7, 1], [0.2, 0]],
  breakContinue: [[0.5], [1.3], [0.05]],
  earlyReturn: [[-1.5, 2], [0.5, 0.3], [0.5, 1.2], [3, 0.1]],
  nestedBreak: [[0.3], [1.7]],
  switchCase: [[0.7, 0], [0.7, 1], [0.7, 2], [0.7, 7]],
  switchInLoop: [[1.3], [0.6], [4.5]],
  workInUpdate: [[1.7], [2.6]],
  swap: [[0.8, 1.9]],
  ternaryChain: [[-2.2], [0.3], [2], [4.4]],
  millionSteps: [[0.4, 1_000_000]],
  constantInLoop: [[0.3]],
};

describe('nullish', () => {
  it('matches finite differences, reading past the end of an array', async () => {
    const compiled = await compileSource(source, 'control-flow.ts');
    const f = fn(compiled.source, 'nullish') as unknown as (a: number[], x: number) => number;
    const grad = fn(compiled.companion, 'grad_nullish') as unknown as (a: number[], x: number) => { a: number[]; x: number };
    for (const [a, x] of [[[0.5, 0.3], 1.5], [[2, 3], -0.5]] as Array<[number[], number]>) {
      const g = grad([...a], x);
      const numeric = (path: Array<number | string>) => partialAt(f as never, [[...a], x], path);
      expect(closeTo(g.x, numeric([1]))).toBe(true);
      g.a.forEach((v, i) => expect(closeTo(v, numeric([0, i]))).toBe(true));
    }
  });
});

describe.each(Object.entries(points))('%s', (name, cases) => {
  it.each(cases.map((args) => [args.join(', '), args] as const))('matches finite differences at (%s)', async (_, args) => {
    const compiled = await compileSource(source, 'control-flow.ts');
    expectGradientMatches(compiled, name, args);
  });
});

// Found by the Hessian-mode property test: a variable declared without a value and given the same
// value on both sides of a branch was left without one after it (AD1009 "used before it is given a
// value"), in user code and in the companion of `x < x ? x : x`, whose second stage then failed (AD9001).
describe('a variable given the same value on both sides of a branch', () => {
  const text = `
/** @differentiable */
export function same(x: number, y: number): number {
  let m: number;
  if (x < y) {
    m = x;
  } else {
    m = x;
  }
  return m * y;
}

/** @differentiable(hessian) */
export function sameTernary(x: number): number {
  return x * (x < x ? x : x);
}
`;
  it('has that value after the branch: the gradient matches finite differences, the Hessian is exact', async () => {
    const compiled = await compileSource(text, 'same.ts');
    expectGradientMatches(compiled, 'same', [0.7, 1.9]);
    expectGradientMatches(compiled, 'same', [2.5, -1.2]);
    // x², whose Hessian is 2
    expect((fn(compiled.companion, 'hessian_sameTernary') as unknown as (x: number) => number[][])(1.3)).toEqual([[2]]);
  });
});
