/**
 * Calls between functions: helpers of the same module, exported or not, with number and container
 * arguments and results, helpers that write into an array argument, a helper called many times and
 * in a loop, non-differentiable helpers, direct and mutual recursion, and stopGradient. Every
 * gradient entry is checked against finite differences.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileSource, fn } from '../support/compile.js';
import { closeTo, leaves, partialAt, type Argument } from '../support/finite-difference.js';

const source = readFileSync(fileURLToPath(new URL('calls-case.ts.txt', import.meta.url)), 'utf8');

describe.each([
  ['inlined (the default)', {}],
  ['through their backprops', { inline: false }],
] as const)('a function calling helpers, %s', (_, options) => {
  it('matches finite differences in every gradient entry', async () => {
    const compiled = await compileSource(source, 'calls.ts', options);
    const f = fn(compiled.source, 'model') as unknown as (...args: Argument[]) => number;
    const args = (): Argument[] => [0.7, [0.3, -0.4, 0.9], new Float64Array([1.1, 0.2, -0.6]), [[0.1, 0.2, 0.3], [-0.5, 0.4, 0.2]]];
    const { value, grad } = (fn(compiled.companion, 'valueAndGrad_model') as unknown as (...a: Argument[]) => { value: number; grad: Record<string, Argument> })(...args());
    expect(value).toBe(f(...args()));
    const names = ['x', 'v', 'b', 'w'];
    for (const [path, adjoint] of leaves(grad)) {
      const numeric = partialAt(f, args(), [names.indexOf(path[0] as string), ...path.slice(1)], 1e-4);
      expect(closeTo(adjoint, numeric, 1e-6), `∂/∂${path.join('.')}: adjoint ${adjoint}, finite differences ${numeric}`).toBe(true);
    }
  });

});

describe('helpers', () => {
  it('are emitted once each, with inlining off', async () => {
    const { text } = await compileSource(source, 'calls.ts', { inline: false });
    expect(text.match(/^function square\(/gm)).toHaveLength(1);
    expect(text.match(/^function backprop_square\(/gm)).toHaveLength(1);
    // a recursive helper is reversed in split mode: its forward sweep, then its reverse sweep
    for (const sweep of ['forward', 'reverse']) expect(text.match(new RegExp(`^function ${sweep}_isOdd\\(`, 'gm'))).toHaveLength(1);
  });

  it('are inlined when small, not recursive and creating no array; the others stay calls', async () => {
    const { text } = await compileSource(source, 'calls.ts');
    for (const inlined of ['square', 'dot', 'scaleInPlace', 'countAbove']) expect(text).not.toMatch(new RegExp(`^function (backprop_)?${inlined}\\(`, 'm'));
    // layer runs a loop: reversed apart like a recursive helper, so that its loop runs once (recursive-calls.ts)
    for (const sweep of ['forward', 'reverse']) expect(text).toMatch(new RegExp(`^function ${sweep}_layer\\(`, 'm'));
    for (const recursive of ['factorialish', 'isEven', 'isOdd']) expect(text).toMatch(new RegExp(`^function forward_${recursive}\\(`, 'm'));
  });
});

describe('inlined helpers', () => {
  // a helper returning its parameter (its result is the argument), one returning early from a
  // loop, one called twice in an expression and once inside another helper, one writing into an
  // array argument that the caller reads afterwards; at a point where firstAbove returns early and
  // at one where it does not
  const inlining = `function same(v: number): number {
  return v;
}
function firstAbove(xs: number[], limit: number): number {
  for (const x of xs) if (x > limit) return x * x;
  return limit;
}
function cube(x: number): number {
  return x * same(x) * x;
}
function addInto(out: number[], xs: number[], k: number): void {
  for (let i = 0; i < xs.length; i++) out[i] = out[i]! + k * xs[i]!;
}
function total(v: number[]): number {
  let s = 0;
  for (const e of v) s += e;
  return s;
}
/** @differentiable */
export function f(xs: number[], b: Float64Array, k: number): number {
  const acc = new Array<number>(xs.length).fill(0);
  addInto(acc, xs, k);
  addInto(acc, xs, same(k) * k);
  return cube(k) + cube(firstAbove(xs, 0.5)) * firstAbove(acc, k) + total(acc) * same(b[0]!);
}`;

  it('are all inlined, and match finite differences', async () => {
    const compiled = await compileSource(inlining, 'inlining.ts');
    expect(compiled.text).not.toMatch(/^function (backprop_)?(same|firstAbove|cube|addInto|total)\(/m);
    const f = fn(compiled.source, 'f') as unknown as (...args: Argument[]) => number;
    const valueAndGrad = fn(compiled.companion, 'valueAndGrad_f') as unknown as (...a: Argument[]) => { value: number; grad: Record<string, Argument> };
    for (const point of [
      (): Argument[] => [[0.3, 0.9, -0.2], new Float64Array([1.5, 2]), 0.7],
      (): Argument[] => [[0.1, 0.2, 0.4], new Float64Array([-0.5, 2]), 0.45],
    ]) {
      const { value, grad } = valueAndGrad(...point());
      expect(value).toBe(f(...point()));
      const names = ['xs', 'b', 'k'];
      for (const [path, adjoint] of leaves(grad)) {
        const numeric = partialAt(f, point(), [names.indexOf(path[0] as string), ...path.slice(1)], 1e-4);
        expect(closeTo(adjoint, numeric, 1e-6), `∂/∂${path.join('.')}: adjoint ${adjoint}, finite differences ${numeric}`).toBe(true);
      }
    }
  });
});

describe('stopGradient', () => {
  it('cuts the gradient through a value: d(stopGradient(x) * x)/dx = x, by hand', async () => {
    const compiled = await compileSource(
      `import { stopGradient } from '@adjoint/core';
/** @differentiable */
export function f(x: number, y: number): number {
  const target = stopGradient(x * y);
  return target * x + (x - target) ** 2;
}`,
      'stop.ts',
    );
    const grad = fn(compiled.companion, 'grad_f') as unknown as (x: number, y: number) => { x: number; y: number };
    // with t = x·y held constant: ∂/∂x = t + 2(x - t), ∂/∂y = 0
    const [x, y] = [0.7, -1.3];
    const t = x * y;
    expect(grad(x, y)).toEqual({ x: t + 2 * (x - t), y: 0 });
    expect(compiled.text).not.toContain('stopGradient');
  });
});

describe('calls across modules and between marked functions', () => {
  const library = `const HALF = 0.5;
/** Not exported from here, but exported under another name below. */
function halfSquare(x: number): number {
  return HALF * x * x;
}
export { halfSquare as energy };
/** @differentiable */
export function spring(x: number, k: number): number {
  return k * halfSquare(x);
}
`;
  const main = `import { energy, spring } from './lib/physics';
const HALF = 2;
/** @differentiable */
export function total(x: number, k: number): number {
  return spring(x, k) + energy(x * HALF) + spring(k, x);
}
`;

  it('differentiates an imported helper, and a marked callee through its own backprop', async () => {
    const { compile } = await import('@adjoint/core');
    const { outputs, diagnostics } = await compile([
      { path: 'lib/physics.ts', text: library },
      { path: 'main.ts', text: main },
    ]);
    expect(diagnostics).toEqual([]);
    const companion = outputs.find((o) => o.companionPath === 'main.grad.ts')!.text;
    // the two modules' HALF constants are kept apart
    expect(companion).toMatch(/^const HALF = 2;$/m);
    expect(companion).toMatch(/^const HALF_2 = 0\.5;$/m);
    // spring is called with two activity patterns, but its backprop is generated per pattern once
    expect(companion.match(/^function backprop_spring/gm)).toHaveLength(1);
    const { loadModule } = await import('../support/load.js');
    const lib = loadModule(library, 'lib/physics.ts');
    const source = loadModule(main, 'main.ts', { './lib/physics': lib });
    const generated = loadModule(companion, 'main.grad.ts');
    const f = source.total as (x: number, k: number) => number;
    const g = (generated.grad_total as (x: number, k: number) => { x: number; k: number })(0.7, 1.3);
    expect(closeTo(g.x, partialAt(f as never, [0.7, 1.3], [0]))).toBe(true);
    expect(closeTo(g.k, partialAt(f as never, [0.7, 1.3], [1]))).toBe(true);
  });
});
