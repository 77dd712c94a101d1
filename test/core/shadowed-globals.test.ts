/**
 * The rule tables match built-ins by name (`Math.sin`, `Math.PI`, `Number.EPSILON`, `NaN`,
 * `Infinity`, `new Float64Array`, `Array.from`). A name means the built-in only when TypeScript
 * resolves it to the declaration in its lib files: a namespace import, a parameter, a local or a
 * module-level declaration of that name is what it is (issue 19, item 4: with
 * `import * as Math from './mymath'`, `Math.sin` was taken for the built-in, and the companion's
 * value and gradient both differed from f's). Calls through a namespace import (`ns.f(x)`) are
 * calls of the module's function, as `f(x)` after `import { f }` is.
 */
import { compile, type CompileResult } from '@adjoint/core';
import { describe, expect, it } from 'vitest';
import type { Compiled } from '../support/compile.js';
import { loadModule, type ModuleExports } from '../support/load.js';
import { expectModesAgree } from '../support/modes-check.js';
import { stopGradient } from '@adjoint/core';

const mymath = `export function sin(x: number): number {
  return x * x;
}
export function cos(x: number): number {
  return 3 * x;
}
export const PI = 3;
`;

/** Compiles `text` (main.ts) beside mymath.ts and loads the source and its companion. */
async function compileWithMymath(text: string): Promise<Compiled & { errors: string[] }> {
  const result: CompileResult = await compile([
    { path: 'main.ts', text },
    { path: 'mymath.ts', text: mymath },
  ]);
  const errors = result.diagnostics.filter((d) => d.category === 'error').map((d) => `${d.code} ${d.location?.line}:${d.location?.column} ${d.message}`);
  const output = result.outputs.find((o) => o.sourcePath === 'main.ts');
  const modules: Record<string, ModuleExports> = { './mymath': loadModule(mymath, 'mymath.ts'), '@adjoint/core': { stopGradient } };
  return {
    result,
    errors,
    text: output?.text ?? '',
    source: loadModule(text, 'main.ts', modules),
    companion: output ? loadModule(output.text, output.companionPath, modules) : {},
  };
}

describe('Math and other built-ins are the built-ins only when they are the globals', () => {
  it('issue 19 item 4: import * as Math from "./mymath" makes Math.sin mymath\'s sin', async () => {
    const compiled = await compileWithMymath(`import * as Math from './mymath';
/** @differentiable(forward) */
export function f(x: number): number {
  return Math.sin(x) * 2;
}
`);
    expect(compiled.errors).toEqual([]);
    const valueAndGrad = compiled.companion.valueAndGrad_f as (x: number) => { value: number; grad: { x: number } };
    // f(x) = 2x², f'(x) = 4x
    expect(valueAndGrad(0.5)).toEqual({ value: 0.5, grad: { x: 2 } });
    expectModesAgree(compiled, 'f', () => [0.7]);
  });

  it('Math.sin passed as a callback is mymath\'s sin when Math is the namespace import', async () => {
    const compiled = await compileWithMymath(`import * as Math from './mymath';
/** @differentiable(forward) */
export function f(xs: number[]): number {
  return xs.map(Math.sin).reduce((s, v) => s + v, 0);
}
`);
    expect(compiled.errors).toEqual([]);
    const valueAndGrad = compiled.companion.valueAndGrad_f as (xs: number[]) => { value: number; grad: { xs: number[] } };
    // f(xs) = Σ xᵢ², ∂f/∂xᵢ = 2xᵢ
    expect(valueAndGrad([0.5, -2])).toEqual({ value: 4.25, grad: { xs: [1, -4] } });
  });

  it('a namespace import under another name, next to the global Math and a named import', async () => {
    const compiled = await compileWithMymath(`import * as mm from './mymath';
import { cos } from './mymath';
/** @differentiable(forward) */
export function f(x: number): number {
  return mm.sin(x) * Math.sin(x) + cos(x) * Math.cos(x);
}
`);
    expect(compiled.errors).toEqual([]);
    expectModesAgree(compiled, 'f', () => [0.7]);
    expectModesAgree(compiled, 'f', () => [-1.3]);
  });

  it('parameters and locals named Math, and module constants named Infinity and NaN', async () => {
    const compiled = await compileWithMymath(`const Infinity = 3;
const NaN = 0.5;
/** @differentiable(forward) */
export function f(x: number, Math: { PI: number; E: number }): number {
  return x * Math.PI + Math.E * x * x + Infinity * x + NaN;
}
/** @differentiable(forward) */
export function g(x: number): number {
  const Math = { PI: 3, E: x };
  return x * Math.PI + Math.E * x;
}
`);
    expect(compiled.errors).toEqual([]);
    const grad = compiled.companion.valueAndGrad_f as (x: number, m: { PI: number; E: number }) => unknown;
    // f = x·PI + E·x² + 3x + 0.5: ∂f/∂x = PI + 2E·x + 3, ∂f/∂PI = x, ∂f/∂E = x²
    expect(grad(2, { PI: 1, E: 0.25 })).toEqual({ value: 2 + 1 + 6 + 0.5, grad: { x: 1 + 1 + 3, Math: { PI: 2, E: 4 } } });
    expectModesAgree(compiled, 'f', () => [0.7, { PI: 1.5, E: -0.4 }]);
    expectModesAgree(compiled, 'g', () => [0.7]);
  });

  it('stopGradient through a namespace import of @adjoint/core', async () => {
    const compiled = await compileWithMymath(`import * as adjoint from '@adjoint/core';
/** @differentiable */
export function f(x: number): number {
  return adjoint.stopGradient(x) * x;
}
`);
    expect(compiled.errors).toEqual([]);
    // d/dx (stop(x)·x) = stop(x) = x
    expect((compiled.companion.grad_f as (x: number) => unknown)(1.5)).toEqual({ x: 1.5 });
  });

  it('a module-level object named Number is that object (a constant table), not the built-in', async () => {
    const compiled = await compileWithMymath(`const Number = { EPSILON: 0.5 };
/** @differentiable(forward) */
export function f(x: number): number {
  return Number.EPSILON * x * x;
}
`);
    expect(compiled.errors).toEqual([]);
    const valueAndGrad = compiled.companion.valueAndGrad_f as (x: number) => { value: number; grad: { x: number } };
    // f(x) = 0.5x², f'(x) = x (Number.EPSILON would give 2.2e-16)
    expect(valueAndGrad(3)).toEqual({ value: 4.5, grad: { x: 3 } });
    expectModesAgree(compiled, 'f', () => [0.7]);
  });

  it.each([
    ['a module-level object named Math', 'const Math = { sin: (x: number) => 3 * x };\n', 'Math.sin(x)', 'AD1123'],
    ['a constant read through a namespace import', "import * as mm from './mymath';\n", 'mm.PI * x', 'AD1006'],
    ['a namespace import named Math read as a constant', "import * as Math from './mymath';\n", 'Math.PI * x', 'AD1006'],
  ])('%s is not the built-in: a coded error, not its rule', async (_, prelude, expression, code) => {
    const compiled = await compileWithMymath(`${prelude}/** @differentiable */\nexport function f(x: number): number {\n  return ${expression};\n}\n`);
    expect(compiled.errors.map((e) => e.slice(0, 6))).toEqual([code]);
    expect(compiled.text).toBe('');
  });
});
