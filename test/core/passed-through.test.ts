/**
 * Parameters that `wrt` leaves out may have any type (they were AD1003, and an Int32Array of
 * indices AD1003 and AD1129): strings, booleans, integer typed arrays (read, as indices), objects
 * of other fields, functions. They are passed through untouched; the gradient is checked against
 * finite differences.
 */
import { compile } from '@adjoint/core';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../support/compile.js';
import { closeTo, partialDerivative } from '../support/finite-difference.js';

const source = `interface Options { name: string; scale: number }

/** @differentiable(wrt: x, w) */
export function f(x: number[], w: number, label: string, idx: Int32Array, flag: boolean, options: Options, callback: (v: number) => number, counts: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < idx.length; i++) s += x[idx[i]!]! * w * counts[i]!;
  if (flag) s = s * s;
  return s;
}
`;

describe('parameters outside wrt', () => {
  it('may be strings, booleans, integer arrays, objects and functions, passed through untouched', async () => {
    const compiled = await compileSource(source, 'model.ts');
    const callback = (v: number) => v;
    const idx = new Int32Array([2, 0, 2, 1]);
    const counts = new Uint8Array([1, 2, 1, 3]);
    const options = { name: 'n', scale: 3 };
    const rest = ['a label', idx, true, options, callback, counts] as const;
    const f = compiled.source.f as (x: number[], w: number, ...others: typeof rest) => number;
    const valueAndGrad = compiled.companion.valueAndGrad_f as (x: number[], w: number, ...others: typeof rest) => { value: number; grad: { x: number[]; w: number } };
    const point = [0.5, -1.25, 2, 1.5];
    const { value, grad } = valueAndGrad(point.slice(0, 3), point[3]!, ...rest);
    expect(value).toBe(f(point.slice(0, 3), point[3]!, ...rest));
    // the passed-through arguments are untouched
    expect([...idx]).toEqual([2, 0, 2, 1]);
    expect(options).toEqual({ name: 'n', scale: 3 });
    const byNumbers = (...n: number[]) => f(n.slice(0, 3), n[3]!, ...rest);
    const adjoint = [...grad.x, grad.w];
    adjoint.forEach((a, i) => expect(closeTo(a, partialDerivative(byNumbers, point, i), 1e-6), `entry ${i}: ${a}`).toBe(true));
    // the companion's signature keeps the types it can write, and calls what it cannot `unknown`
    expect(compiled.text).toMatch(/export function grad_f\(\s*x: number\[\],\s*w: number,\s*label: string,\s*idx: Int32Array,\s*flag: boolean,\s*options: unknown,\s*callback: unknown,\s*counts: Uint8Array,?\s*\)/);
  });

  it('reach helpers: a label and an integer array of indices as parameters of helpers (were AD1003)', async () => {
    const helpers = `function gather(x: number[], idx: Int32Array, tag: string | undefined): number {
  let s = 0;
  for (let i = 0; i < idx.length; i++) s += x[idx[i]!]! * x[idx[i]!]!;
  return s + note(s, tag);
}

function note(s: number, tag: 'sum' | 'mean' | undefined): number {
  return 0 * s;
}

/** @differentiable(wrt: x) */
export function g(x: number[], idx: Int32Array, tag: 'sum' | 'mean'): number {
  return gather(x, idx, tag) * x[0]!;
}
`;
    const compiled = await compileSource(helpers, 'model.ts');
    const idx = new Int32Array([2, 0, 2]);
    const g = compiled.source.g as (x: number[], idx: Int32Array, tag: string) => number;
    const grad_g = compiled.companion.grad_g as (x: number[], idx: Int32Array, tag: string) => { x: number[] };
    const point = [0.5, -1.25, 2];
    // g = x0 (x2² + x0² + x2²): d/dx0 = 2x2² + 3x0², d/dx1 = 0, d/dx2 = 4 x0 x2
    const { x: gradient } = grad_g(point.slice(), idx, 'sum');
    gradient.forEach((a, i) => expect(closeTo(a, partialDerivative((...n: number[]) => g(n, idx, 'sum'), point, i), 1e-6), `entry ${i}: ${a}`).toBe(true));
    expect(gradient).toEqual([2 * 4 + 3 * 0.25, 0, 4 * 0.5 * 2]);
  });

  it('are still AD1003 in a helper when a number could be in them (any, unknown)', async () => {
    const { diagnostics } = await compile([{ path: 'h.ts', text: 'function h(x: number, extra: any): number {\n  return x * extra;\n}\n\n/** @differentiable */\nexport function g(x: number): number {\n  return h(x, x);\n}\n' }]);
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([['AD1003', "Parameter 'extra' has type 'any', which Adjoint cannot differentiate yet."]]);
  });

  it('are still rejected when the gradient is taken with respect to them (AD1003)', async () => {
    const { diagnostics } = await compile([{ path: 'g.ts', text: '/** @differentiable */\nexport function g(x: number, idx: Int32Array, label: string): number {\n  return x * idx[0]!;\n}\n' }]);
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['AD1003', "Parameter 'idx' has type 'Int32Array', which Adjoint cannot differentiate yet."],
      ['AD1003', "Parameter 'label' has type 'string', which Adjoint cannot differentiate yet."],
    ]);
  });
});
