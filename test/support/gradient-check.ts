/** Checks a generated gradient against finite differences of the source function. */
import { expect } from 'vitest';
import { fn, type Compiled } from './compile.js';
import { closeTo, leaves, partialAt, partialDerivative, type Argument } from './finite-difference.js';
import { expectShapedLike } from './shape.js';

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
  return (match?.[1] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

/**
 * For a function of arrays and numbers: valueAndGrad_name's value is exactly f's at `args`, grad_name
 * gives the same gradient shaped like the arguments, and wherever f is finite each partial (every element of an array
 * parameter) matches central differences. `context` is added to every message (a program's text).
 */
export function expectValueAndGradientAt(
  compiled: Compiled,
  name: string,
  args: () => Argument[],
  { tolerance = 1e-6, context = '' } = {},
): void {
  const f = fn(compiled.source, name) as unknown as (...a: Argument[]) => number;
  const valueAndGrad = fn(compiled.companion, `valueAndGrad_${name}`) as unknown as (...a: Argument[]) => {
    value: number;
    grad: Record<string, Argument>;
  };
  const gradOnly = fn(compiled.companion, `grad_${name}`) as unknown as (...a: Argument[]) => Record<string, Argument>;
  const expected = f(...args());
  const { value, grad } = valueAndGrad(...args());
  expect(value, `value of ${name}${context}`).toBe(expected);
  expect(gradOnly(...args()), `grad_${name}${context}`).toEqual(grad);
  if (!Number.isFinite(expected)) return;
  // the gradient has one key per differentiated parameter, which may be a few of them (wrt)
  const params = parameterNames(f as unknown as (...args: number[]) => number);
  const at = args();
  for (const [param, adjoint] of Object.entries(grad)) expectShapedLike(adjoint, at[params.indexOf(param)], `∂${name}/∂${param}${context}`);
  for (const [path, adjoint] of leaves(grad)) {
    const numeric = partialAt(f, args(), [params.indexOf(path[0] as string), ...path.slice(1)]);
    expect(
      closeTo(adjoint, numeric, tolerance),
      `${name}: ∂/∂${path.join('.')}: adjoint ${adjoint}, finite differences ${numeric}${context}`,
    ).toBe(true);
  }
}

/** The text of a generated function in a companion. */
export function functionText(companion: string, name: string): string {
  const start = companion.indexOf(`function ${name}(`);
  expect(start, `no function ${name} in the companion`).toBeGreaterThanOrEqual(0);
  return companion.slice(start, companion.indexOf('\n}\n', start));
}

/**
 * The values a generated function pushes on the shared tape, in order: `tape.push(v)`, or
 * `tapeValues[tapeTop++] = v` where the function keeps the tape in locals (tape-in-locals.ts).
 */
export function pushedValues(text: string): string[] {
  return [...text.matchAll(/tape\.push\((\w+)\)|tapeValues\[tapeTop\+\+\] = (\w+);/g)].map((m) => (m[1] ?? m[2])!);
}
