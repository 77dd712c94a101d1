/**
 * Shared checks for the examples: compile an example's marked source with the core, and compare
 * the generated gradient with finite differences of the source function, entry by entry.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { compileSource, type Compiled } from '../support/compile.js';
import { leaves, partialAt, type Argument } from '../support/finite-difference.js';

const examplesFolder = fileURLToPath(new URL('../../examples/', import.meta.url));

/** The text of a file under examples/, e.g. `projectile/simulation.ts`. */
export function exampleText(path: string): string {
  return readFileSync(`${examplesFolder}${path}`, 'utf8');
}

/** Compiles an example's marked source the way the CLI does (the companion's header names the file). */
export function compileExample(path: string): Promise<Compiled> {
  return compileSource(exampleText(path), path.split('/').at(-1)!);
}

type Differentiable = (...args: Argument[]) => number;

export function exported<T>(module: Record<string, unknown>, name: string): T {
  const value = module[name];
  if (typeof value !== 'function') throw new Error(`module has no function '${name}'`);
  return value as T;
}

/**
 * Checks grad_<name> and valueAndGrad_<name> at `makeArgs()` (fresh arguments for each call)
 * against central differences with Richardson extrapolation. Each entry is perturbed by
 * `relativeStep` times its own size (or `relativeStep` when it is 0), so that parameters of very
 * different scales (a drag of 0.005 and a speed of 40) are perturbed alike, and must agree to
 * `tolerance` relative to the larger of the two partials.
 */
export function expectGradientMatches(
  compiled: Compiled,
  name: string,
  params: string[],
  makeArgs: () => Argument[],
  { relativeStep = 1e-4, tolerance = 1e-6 } = {},
): void {
  const f = exported<Differentiable>(compiled.source, name);
  const grad = exported<(...args: Argument[]) => Record<string, Argument>>(compiled.companion, `grad_${name}`)(...makeArgs());
  const both = exported<(...args: Argument[]) => { value: number; grad: unknown }>(compiled.companion, `valueAndGrad_${name}`)(...makeArgs());
  expect(both.value).toBe(f(...makeArgs()));
  expect(both.grad).toEqual(grad);
  expect(Object.keys(grad)).toEqual(params);

  const args = makeArgs();
  let checked = 0;
  for (const [path, adjoint] of leaves(grad)) {
    const argIndex = parameterNames(f).indexOf(path[0] as string);
    const point = leaves(args[argIndex]).find(([p]) => p.join('.') === path.slice(1).join('.'))![1];
    const h = relativeStep * (Math.abs(point) || 1);
    const numeric = partialAt(f, makeArgs(), [argIndex, ...path.slice(1)], h);
    const scale = Math.max(Math.abs(adjoint), Math.abs(numeric), 1e-12);
    expect(Math.abs(adjoint - numeric) / scale, `∂${name}/∂${path.join('.')}: adjoint ${adjoint}, finite differences ${numeric}`).toBeLessThan(tolerance);
    checked++;
  }
  expect(checked).toBeGreaterThan(0);
}

/** The parameter names of a compiled function, read from its JavaScript source. */
function parameterNames(f: (...args: never[]) => unknown): string[] {
  const match = /^[^(]*\(([^)]*)\)/.exec(f.toString());
  return (match?.[1] ?? '').split(',').map((p) => p.trim()).filter(Boolean);
}
