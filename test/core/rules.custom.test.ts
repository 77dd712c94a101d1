/**
 * Users' derivative rules (`@adjointOf f`): beside f, in another module, and for a function with
 * no body; and the diagnostics for a rule that does not fit and a function with neither.
 */
import { compile } from '@adjoint/core';
import { diskHost } from '../support/disk-host.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { closeTo, partialAt, type Argument } from '../support/finite-difference.js';
import { loadModule } from '../support/load.js';

const dir = fileURLToPath(new URL('rules-case/', import.meta.url));
const read = (name: string) => readFileSync(`${dir}${name}`, 'utf8');

describe('custom derivative rules', () => {
  it('are used for a function with a body in another module and for a host function without one', async () => {
    const { outputs, diagnostics } = await compile([{ path: `${dir}loss.ts` }], { host: diskHost });
    expect(diagnostics).toEqual([]);
    const companionText = outputs[0]!.text;
    expect(companionText).toContain("import { logSumExpAdjoint } from './stable';");
    expect(companionText).toContain('hostSoftplusAdjoint(scale, d_result)');
    // the host provides hostSoftplus at run time
    (globalThis as Record<string, unknown>).hostSoftplus = (x: number) => Math.log1p(Math.exp(x));
    const stable = loadModule(read('stable.ts'), 'stable.ts');
    const loss = loadModule(read('loss.ts'), 'loss.ts', { './stable': stable });
    const companion = loadModule(companionText, 'loss.grad.ts', { './stable': stable, './loss': loss });
    const f = loss.crossEntropy as (...a: Argument[]) => number;
    const args = (): Argument[] => [[0.3, -1.2, 2.1], 1, 0.8];
    const { value, grad } = (companion.valueAndGrad_crossEntropy as (...a: Argument[]) => { value: number; grad: { logits: number[]; scale: number } })(...args());
    expect(value).toBe(f(...args()));
    grad.logits.forEach((g, i) => expect(closeTo(g, partialAt(f, args(), [0, i]))).toBe(true));
    expect(closeTo(grad.scale, partialAt(f, args(), [2]))).toBe(true);
  });

  it('imports an exported declared function from its module, as the source does (was a bare call: TS2552)', async () => {
    const { outputs, diagnostics } = await compile([{ path: `${dir}uses-declared.ts` }], { host: diskHost });
    expect(diagnostics).toEqual([]);
    const companionText = outputs[0]!.text;
    expect(companionText).toContain("import { softplus, softplusAdjoint } from './declared';");
    // the module's implementation, which the declaration describes, comes from elsewhere at run time
    const declared = { ...loadModule(read('declared.ts'), 'declared.ts'), softplus: (x: number) => Math.log1p(Math.exp(x)) };
    const source = loadModule(read('uses-declared.ts'), 'uses-declared.ts', { './declared': declared });
    const companion = loadModule(companionText, 'uses-declared.grad.ts', { './declared': declared, './uses-declared': source });
    const f = source.smoothLoss as (...a: Argument[]) => number;
    const { value, grad } = (companion.valueAndGrad_smoothLoss as (x: number, y: number) => { value: number; grad: { x: number; y: number } })(0.7, -1.3);
    expect(value).toBe(f(0.7, -1.3));
    expect(closeTo(grad.x, partialAt(f, [0.7, -1.3], [0]))).toBe(true);
    expect(closeTo(grad.y, partialAt(f, [0.7, -1.3], [1]))).toBe(true);
  });

  it('reports a rule whose signature does not fit its function (AD2008), at the rule', async () => {
    const source = `export function cube(x: number, k: number): number { return k * x * x * x; }
/** @adjointOf cube */
export function cubeAdjoint(x: number, dResult: number): { x: number } { return { x: 3 * x * x * dResult }; }
/** @differentiable */
export function f(x: number): number { return cube(x, 2); }
`;
    const { diagnostics, outputs } = await compile([{ path: 'cube.ts', text: source }]);
    expect(outputs).toEqual([]);
    expect(diagnostics.map((d) => [d.code, d.location?.line])).toEqual([['AD2008', 2]]);
    expect(diagnostics[0]!.message).toMatch(/takes 2 parameters, and should take 3/);
    expect(diagnostics[0]!.fix).toContain('(x: number, k: number, dResult: number) => { x: number; k: number }');
    expect(diagnostics[0]!.notes?.[0]?.message).toMatch(/'cube' is called here/);
  });

  it('reports a rule that is not exported (AD2007) and a rule naming no function (AD2006)', async () => {
    const source = `/** @adjointOf nothing */
export function orphan(x: number, d: number): { x: number } { return { x: d }; }
export function g(x: number): number { return x; }
/** @adjointOf g */
function hidden(x: number, d: number): { x: number } { return { x: d }; }
`;
    const { diagnostics } = await compile([{ path: 'r.ts', text: source }]);
    expect(diagnostics.map((d) => d.code).sort()).toEqual(['AD2006', 'AD2007']);
  });
});
