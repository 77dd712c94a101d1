/** Checks a generated gradient against finite differences of the source function. */
import { expect } from 'vitest';
import { fn, type Compiled } from './compile.js';
import { closeTo, partialDerivative } from './finite-difference.js';

export function expectGradientMatches(compiled: Compiled, name: string, args: number[], tolerance = 1e-6): void {
  const f = fn(compiled.source, name);
  const grad = fn(compiled.companion, `grad_${name}`)(...args) as unknown as Record<string, number>;
  const valueAndGrad = fn(compiled.companion, `valueAndGrad_${name}`)(...args) as unknown as {
    value: number;
    grad: Record<string, number>;
  };
  // the gradient has one key per differentiated parameter: compare those partials only
  const paramNames = parameterNames(f);
  const actual = Object.values(grad);
  const expected = Object.keys(grad).map((key) => partialDerivative(f, args, paramNames.indexOf(key)));
  const detail = `${name}(${args.join(', ')}): adjoint ${JSON.stringify(actual)} vs finite differences ${JSON.stringify(expected)}`;
  expect(actual.length, detail).toBe(expected.length);
  actual.forEach((g, i) => expect(closeTo(g, expected[i]!, tolerance), detail).toBe(true));
  expect(valueAndGrad.grad).toEqual(grad);
  expect(Object.is(valueAndGrad.value, f(...args)) || closeTo(valueAndGrad.value, f(...args), 0), `value of ${name}`).toBe(true);
}

/** The parameter names of a compiled function, read from its JavaScript source. */
function parameterNames(f: (...args: number[]) => number): string[] {
  const match = /^[^(]*\(([^)]*)\)/.exec(f.toString());
  return (match?.[1] ?? '').split(',').map((p) => p.trim()).filter(Boolean);
}
