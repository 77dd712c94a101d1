/**
 * Names from the user's program that mean something else to JavaScript when written as keys:
 * parameters and fields named `__proto__`, `constructor`, `toString`, `hasOwnProperty`,
 * `valueOf`, fields that are not identifiers (`'a-b'`) or are keywords (`if`). The companion's
 * object literals must make properties of those names (issue 19, item 5: `{ grad: { __proto__: d } }`
 * set the prototype, and the gradient read as Object.prototype), in every mode. A source literal
 * `{ __proto__: v }` sets the prototype in f too: it makes no field, and is rejected (AD1133).
 */
import { compile } from '@adjoint/core';
import { describe, expect, it } from 'vitest';
import { compileSource, fn } from '../support/compile.js';
import type { Argument } from '../support/finite-difference.js';
import { expectVectorOutputMatches } from '../support/jacobian-check.js';
import { expectModesAgree } from '../support/modes-check.js';

const source = `
/** @differentiable(forward) */
export function params(__proto__: number, constructor: number, toString: number[], hasOwnProperty: number, valueOf: Float64Array): number {
  return __proto__ * constructor + toString[0]! * hasOwnProperty * valueOf[1]! + Math.sin(__proto__);
}

/** @differentiable(forward) */
export function fields(p: { __proto__: number; constructor: number; valueOf: number[]; 'a-b': number; if: number }, x: number): number {
  return p.__proto__ * x + p.constructor * p.valueOf[0]! + p['a-b'] * p.if * x;
}

/** @differentiable(forward) */
export function literals(x: number, y: number): number {
  const o = { ['__proto__']: x * y, 'b-c': y, toString: x };
  return o.__proto__ * o['b-c'] + o.toString;
}

/** @differentiable(wrt: __proto__) */
export function onlyProto(__proto__: number, y: number): number {
  return __proto__ * __proto__ * y;
}

/** @differentiable(hessian) */
export function second(__proto__: number, toString: number[]): number {
  return __proto__ * __proto__ * toString[0]! + Math.exp(toString[1]! * __proto__);
}

/** @differentiable(forward) */
export function vector(x: number, y: number): { __proto__: number; 'a-b': number; constructor: number } {
  return { ['__proto__']: x * y, 'a-b': x, constructor: y * y };
}
`;

/** An object with an own property __proto__ (a literal `{ __proto__: v }` would set its prototype). */
const withProto = (value: number, rest: Record<string, Argument>): Record<string, Argument> => Object.fromEntries([['__proto__', value], ...Object.entries(rest)]);

describe('names that mean something else as keys', () => {
  it('issue 19 item 5: a parameter named __proto__ gets its gradient as a property', async () => {
    const compiled = await compileSource(source, 'hostile.ts');
    const grad = (fn(compiled.companion, 'grad_onlyProto') as unknown as (p: number, y: number) => Record<string, number>)(2, 3);
    // f = p²y: ∂f/∂p = 2py = 12
    expect(Object.getPrototypeOf(grad)).toBe(Object.prototype);
    expect(Object.keys(grad)).toEqual(['__proto__']);
    expect(grad.__proto__).toBe(12);
  });

  it('parameters named __proto__, constructor, toString, hasOwnProperty and valueOf, in reverse and forward mode', async () => {
    const compiled = await compileSource(source, 'hostile.ts');
    expectModesAgree(compiled, 'params', () => [0.7, -1.2, [0.4, 2], 1.5, new Float64Array([0.3, -0.8])]);
  });

  it('fields of an object parameter with those names, a quoted name and a keyword', async () => {
    const compiled = await compileSource(source, 'hostile.ts');
    const p = () => withProto(0.6, { constructor: -1.1, valueOf: [0.9, 2], 'a-b': 1.7, if: -0.4 });
    expectModesAgree(compiled, 'fields', () => [p(), 1.3]);
    const { p: gradP } = (fn(compiled.companion, 'grad_fields') as unknown as (...a: Argument[]) => { p: Record<string, Argument> })(p(), 1.3);
    expect(Object.keys(gradP)).toEqual(['__proto__', 'constructor', 'valueOf', 'a-b', 'if']);
  });

  it('object literals with a computed "__proto__" key, a quoted key and a toString field', async () => {
    const compiled = await compileSource(source, 'hostile.ts');
    expectModesAgree(compiled, 'literals', () => [0.8, -1.5]);
  });

  it('Hessian of a function of __proto__ and toString', async () => {
    const compiled = await compileSource(source, 'hostile.ts');
    expectModesAgree(compiled, 'second', () => [0.8, [1.5, -0.3]]);
    // H = [[2t₀ + t₁²e, 2p, ·], …] at p, t: checked entry by entry against the hand-derived Hessian
    const [p, t0, t1] = [0.8, 1.5, -0.3];
    const e = Math.exp(t1 * p);
    const hessian = (fn(compiled.companion, 'hessian_second') as unknown as (...a: Argument[]) => number[][])(p, [t0, t1]);
    const expected = [
      [2 * t0 + t1 * t1 * e, 2 * p, e + t1 * p * e],
      [2 * p, 0, 0],
      [e + t1 * p * e, 0, p * p * e],
    ];
    hessian.forEach((row, i) => row.forEach((entry, j) => expect(entry).toBeCloseTo(expected[i]![j]!, 12)));
  });

  it('a function returning an object with fields named __proto__, a-b and constructor', async () => {
    const compiled = await compileSource(source, 'hostile.ts');
    expectVectorOutputMatches(compiled, 'vector', () => [0.8, -1.5]);
    const { value } = (fn(compiled.companion, 'jvp_vector') as unknown as (...a: number[]) => { value: Record<string, number> })(0.8, -1.5, 1, 0);
    expect(Object.keys(value)).toEqual(['__proto__', 'a-b', 'constructor']);
  });

  it.each(['{ __proto__: x }', '{ "__proto__": x, y: x }'])('rejects %s in the source: it sets the prototype (AD1133)', async (literal) => {
    const text = `/** @differentiable */\nexport function f(x: number): number {\n  const o = ${literal};\n  return x;\n}\n`;
    const result = await compile([{ path: 'proto.ts', text }]);
    expect(result.diagnostics.map((d) => `${d.code} ${d.location?.line}`)).toEqual(['AD1133 3']);
    expect(result.outputs).toEqual([]);
  });
});
