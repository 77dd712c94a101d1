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

  it('are still rejected when the gradient is taken with respect to them (AD1003)', async () => {
    const { diagnostics } = await compile([{ path: 'g.ts', text: '/** @differentiable */\nexport function g(x: number, idx: Int32Array, label: string): number {\n  return x * idx[0]!;\n}\n' }]);
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['AD1003', "Parameter 'idx' has type 'Int32Array', which Adjoint cannot differentiate yet."],
      ['AD1003', "Parameter 'label' has type 'string', which Adjoint cannot differentiate yet."],
    ]);
  });
});
